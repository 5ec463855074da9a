"""Throughput of GET /api/v1/projects/{slug} on one `folio serve` worker (uvicorn, uvloop + httptools).

Starts `folio serve` as a real process on a free port against a throwaway embedded PostgreSQL (the demo
portfolio is loaded on first start), then drives it with wrk from 127.0.0.1 and prints requests/s.
Target: >= 1,000 requests/s.

    .venv/bin/python benchmarks/rest_bench.py [--duration 10] [--connections 10] [--log-level INFO]

Needs `wrk` (Debian: apt-get install -y wrk).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
TARGET_RPS = 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"folio serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout:.0f}s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    p50 = re.search(r"50%\s+([\d.]+\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    return {"rps": rps, "requests": requests, "non_2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else "none",
            "p50": p50.group(1) if p50 else "?", "p99": p99.group(1) if p99 else "?", "raw": out}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds measured (after a 3 s warm-up)")
    parser.add_argument("--connections", type=int, default=10, help="concurrent keep-alive connections")
    parser.add_argument("--log-level", default="INFO", help="FOLIO_LOG_LEVEL of the server (INFO logs every request)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install -y wrk)")

    data_dir = Path(tempfile.mkdtemp(prefix="frb", dir="/tmp"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOLIO_")}
    env.update(FOLIO_DATA_DIR=str(data_dir), FOLIO_LOG_LEVEL=args.log_level,
               # A chat model is not part of this measurement: point at a closed port, start nothing.
               FOLIO_LLM_BASE_URL="http://127.0.0.1:9/v1")
    # The server's output goes to a file: an unread pipe would fill up and stall it.
    log = open(data_dir / "serve.log", "w")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "folio", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        print(f"starting folio serve on {base} (data in {data_dir}) ...", flush=True)
        wait_ready(base + "/readyz", proc, data_dir / "serve.log")
        slug = httpx.get(base + "/api/v1/projects", params={"limit": 1}).json()["items"][0]["slug"]
        url = f"{base}/api/v1/projects/{slug}"
        size = len(httpx.get(url).content)
        print(f"GET {url} ({size} bytes), 1 uvicorn worker, wrk -t1 -c{args.connections}", flush=True)
        run_wrk(url, 3, args.connections)  # warm-up: connection pool, prepared statements
        cpu_before = cpu_seconds(proc.pid)
        result = run_wrk(url, args.duration, args.connections)
        cpu_ms = (cpu_seconds(proc.pid) - cpu_before) * 1000 / max(1, result["requests"])
        if os.environ.get("BENCH_RAW"):
            print(result["raw"])
        print(f"latency p50 {result['p50']}, p99 {result['p99']}; non-2xx {result['non_2xx']}; "
              f"socket errors {result['socket_errors']}")
        # The worker's own CPU time per request: what one free core could serve, whatever else runs here.
        print(f"server CPU per request {cpu_ms:.3f} ms (one free core: ~{1000 / cpu_ms:.0f} requests/s); "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        verdict = "meets" if result["rps"] >= TARGET_RPS else "BELOW"
        print(f"GET /api/v1/projects/{{slug}}: {result['rps']:.0f} requests/s ({verdict} the {TARGET_RPS} target)")
        if result["non_2xx"]:
            raise SystemExit("some responses were not 2xx")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
