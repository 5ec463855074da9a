"""What the benchmarks share: a scratch embedded PostgreSQL, migrated, in a /tmp folder that is removed
afterwards, and a clock of wall and CPU seconds. Imported by the scripts beside it (run as
`python benchmarks/NAME.py`, which puts this folder on the path)."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data import migrate  # noqa: E402
from data.embedded_pg import EmbeddedPostgres  # noqa: E402
from folio.settings import load_settings  # noqa: E402

T = TypeVar("T")


@contextlib.contextmanager
def scratch_database(prefix: str = "fbench") -> Iterator[str]:
    """A fresh embedded PostgreSQL with folio's migrations applied; yields its SQLAlchemy URL."""
    scratch = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    server = EmbeddedPostgres(scratch / "pg")
    uri = server.start()
    try:
        url = load_settings().sqlalchemy_url(uri)
        migrate.upgrade(url)
        yield url
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def scratch_run(work: Callable[[str], Awaitable[T]], prefix: str = "fbench") -> T:
    """asyncio.run(work(url)) over a scratch database."""
    with scratch_database(prefix) as url:
        return asyncio.run(work(url))


class Clock:
    """Wall seconds and this process's CPU seconds (all its threads: torch's included). The machine is
    shared, so CPU time is the steadier yardstick; PostgreSQL's own CPU is not in it."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
