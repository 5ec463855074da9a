"""A real infinity-emb server (the production embeddings server) for tests, from its own venv.

infinity-emb's pins clash with folio's (uvicorn, numpy, typer), so it lives in .venv-infinity, made
by `make infinity` (a prerequisite of `make test`); a test run without it makes it the same way."""

from __future__ import annotations

import os
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from testkit.procs import ROOT, free_port, wait_http

VENV = ROOT / ".venv-infinity"
SERVED_NAME = "all-MiniLM-L6-v2"


def ensure_installed() -> Path:
    binary = VENV / "bin" / "infinity_emb"
    if not binary.exists():
        subprocess.run(["make", "-C", str(ROOT), "infinity"], check=True, timeout=1200)
    return binary


@contextmanager
def infinity_server(model_dir: Path):
    """Serve the model on a free 127.0.0.1 port; yields the base URL (no /v1 prefix)."""
    binary = ensure_installed()
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "INFINITY_ANONYMOUS_USAGE_STATS": "0", "DO_NOT_TRACK": "1"}
    log = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(binary), "v2", "--model-id", str(model_dir), "--served-model-name", SERVED_NAME,
         "--engine", "torch", "--device", "cpu", "--no-model-warmup", "--host", "127.0.0.1",
         "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            wait_http(f"http://127.0.0.1:{port}/health", proc, timeout=240)
        except Exception as exc:
            log.seek(0)
            raise RuntimeError(f"infinity did not start: {exc}\n{log.read()[-3000:]}") from exc
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()  # by its own pid
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
