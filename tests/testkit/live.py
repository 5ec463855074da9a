"""The whole app (`folio serve`: REST + the Chainlit chat) as a real process on a free port, over a
test database and a chat model of the test's choosing (usually a ScriptedLLM).

    server = LiveServer(pg.libpq_url(name), llm.base_url).start()
    ... httpx / socket.io / Playwright against server.url ...
    server.stop()

Or the `live_server` fixture (tests/e2e/conftest.py). The owner account OWNER_EMAIL/OWNER_PASSWORD
exists in every live server.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from testkit.procs import ROOT, folio_env, free_port, wait_http

OWNER_EMAIL = "maya@example.com"
OWNER_PASSWORD = "correct horse battery"
SECRET_KEY = "live-server-test-secret-key-0123456789"


class LiveServer:
    def __init__(self, database_url: str, llm_base_url: str | None, **settings: str):
        self.database_url = database_url
        self.llm_base_url = llm_base_url
        self.port = free_port()
        self.data_dir = Path(tempfile.mkdtemp(prefix="flive", dir="/tmp"))
        self.log_path = self.data_dir / "server.log"
        self.settings = {
            "FOLIO_DATABASE_URL": database_url,
            "FOLIO_DATA_DIR": str(self.data_dir),
            "FOLIO_SECRET_KEY": SECRET_KEY,
            "FOLIO_OWNER_EMAIL": OWNER_EMAIL,
            "FOLIO_OWNER_PASSWORD": OWNER_PASSWORD,
            "FOLIO_SEED_DEMO": "false",
            # Every test talks from 127.0.0.1: only the rate-limit tests want the default limits.
            "FOLIO_CHAT_VISITOR_MESSAGES": "1000",
            "FOLIO_CHAT_IP_MESSAGES": "1000",
            "FOLIO_RATE_SEARCH_REQUESTS": "100000",
            "FOLIO_RATE_READ_REQUESTS": "100000",
            "FOLIO_RATE_LOGIN_REQUESTS": "1000",
            "FOLIO_CHAT_ADDRESS_SESSIONS": "100000",
            "FOLIO_CONTACT_ADDRESS_REQUESTS": "100000",
            **({"FOLIO_LLM_BASE_URL": llm_base_url} if llm_base_url else {}),
            **{f"FOLIO_{k.upper()}": str(v) for k, v in settings.items()},
        }
        self.proc: subprocess.Popen | None = None
        self._final_log: str | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 300) -> LiveServer:
        log = self.log_path.open("w")
        self.proc = subprocess.Popen([sys.executable, "-m", "launch", "serve", "--port", str(self.port)], cwd=ROOT,
                                     env=folio_env(**self.settings), stdout=log, stderr=subprocess.STDOUT)
        log.close()
        try:
            wait_http(f"{self.url}/healthz", self.proc, timeout=timeout)
        except Exception as exc:
            self.stop()
            raise RuntimeError(f"folio serve did not start: {exc}\n{self.log()[-4000:]}") from None
        return self

    def log(self) -> str:
        if self._final_log is not None:
            return self._final_log
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """Stops the process, keeps its log (tests read it afterwards) and removes the data folder."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self._final_log is None and self.proc is not None:
            self._final_log = self.log()
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
