"""A newcomer's first login, as the README tells it: a fresh data folder, `folio serve` (what `make run`
runs), then do what it prints while no owner exists (run the command it shows, type a password twice), and
log in where it says: the owner is logged in."""

from __future__ import annotations

import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from testkit.procs import ROOT, folio_env, free_port, stop_process, wait_http
from testkit.scripted_llm import ScriptedLLM

EMAIL = "newcomer@example.com"
PASSWORD = "my first owner password"


def _printed(log: Path, proc: subprocess.Popen, wanted: str, timeout: float = 600) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if wanted in text:
            return text
        assert proc.poll() is None, f"folio serve exited:\n{text[-3000:]}"
        time.sleep(0.5)
    raise AssertionError(f"{wanted!r} never printed:\n{log.read_text()[-3000:]}")


@pytest.mark.timeout(900)
def test_fresh_start_prints_how_to_become_the_owner_and_following_it_logs_in(short_tmp):
    data_dir = short_tmp("ffirst")
    log = data_dir / "serve.out"
    port = free_port()
    with ScriptedLLM() as llm, log.open("w") as out:
        env = folio_env(FOLIO_DATA_DIR=str(data_dir), FOLIO_LLM_BASE_URL=llm.base_url)
        proc = subprocess.Popen([sys.executable, "-m", "launch", "serve", "--port", str(port)], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, text=True)
        try:
            wait_http(f"http://127.0.0.1:{port}/healthz", proc, timeout=600)
            printed = _printed(log, proc, "then log in at")
            lines = printed.splitlines()
            hint = next(i for i, line in enumerate(lines) if "No owner account" in line)
            assert lines[hint] in (ROOT / "README.md").read_text()  # the README shows what is printed
            command = shlex.split(lines[hint + 1])
            assert "create-owner" in command
            assignments = [word for word in command if re.fullmatch(r"[A-Z_]+=.*", word)]
            argv = [EMAIL if word == "you@example.com" else word for word in command if word not in assignments]
            created = subprocess.run(argv, cwd=ROOT, input=f"{PASSWORD}\n{PASSWORD}\n", capture_output=True,
                                     text=True, timeout=300,
                                     env=folio_env(**dict(word.split("=", 1) for word in assignments)))
            assert created.returncode == 0, created.stdout + created.stderr
            assert f"owner {EMAIL} created" in created.stdout + created.stderr

            login_url = re.search(r"then log in at (\S+)", printed).group(1)
            assert login_url == f"http://127.0.0.1:{port}/login"
            assert httpx.get(login_url, timeout=30, follow_redirects=True).status_code == 200  # the login page
            base = login_url.removesuffix("/login")
            token = httpx.post(f"{base}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD},
                               timeout=30).json()["access_token"]
            me = httpx.get(f"{base}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=30)
            assert me.status_code == 200 and me.json()["email"] == EMAIL and me.json()["is_owner"] is True
        finally:
            stop_process(proc, signal.SIGTERM)
