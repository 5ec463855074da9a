"""Throughput of GET /api/v1/projects/{slug} on one `folio serve` worker (uvicorn, uvloop + httptools).

Starts `folio serve` as a real process on a free port against a throwaway embedded PostgreSQL (the demo
portfolio is loaded on first start), then drives it with wrk from 127.0.0.1 and prints requests/s.
Target: >= 1,000 requests/s.

    .venv/bin/python benchmarks/rest_bench.py [--runs 3] [--duration 5] [--connections 10] [--log-level INFO]

Needs `wrk` (Debian: apt-get install -y wrk).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from testkit.procs import folio_env, free_port, stop_process, wait_http  # noqa: E402  (shared with the tests)

TARGET_RPS = 1000


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
    parser.add_argument("--duration", type=int, default=5, help="seconds per measured run (after a 3 s warm-up)")
    parser.add_argument("--runs", type=int, default=3, help="measured runs; the median is reported")
    parser.add_argument("--connections", type=int, default=10, help="concurrent keep-alive connections")
    parser.add_argument("--log-level", default="INFO", help="FOLIO_LOG_LEVEL of the server (INFO logs every request)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install -y wrk)")

    data_dir = Path(tempfile.mkdtemp(prefix="frb", dir="/tmp"))
    port = free_port()
    # A chat model is not part of this measurement: point at a closed port, start nothing.
    env = folio_env(FOLIO_DATA_DIR=str(data_dir), FOLIO_LOG_LEVEL=args.log_level,
                    FOLIO_LLM_BASE_URL="http://127.0.0.1:9/v1",
                    FOLIO_RATE_READ_REQUESTS="1000000000")  # wrk is one address: counted, never refused
    # The server's output goes to a file: an unread pipe would fill up and stall it.
    log = open(data_dir / "serve.log", "w")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "folio", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        print(f"starting folio serve on {base} (data in {data_dir}) ...", flush=True)
        try:
            wait_http(base + "/readyz", proc, timeout=600)
        except (RuntimeError, TimeoutError) as exc:
            raise SystemExit(f"{exc}\n{(data_dir / 'serve.log').read_text()[-3000:]}") from None
        slug = httpx.get(base + "/api/v1/projects", params={"limit": 1}).json()["items"][0]["slug"]
        url = f"{base}/api/v1/projects/{slug}"
        size = len(httpx.get(url).content)
        print(f"GET {url} ({size} bytes), 1 uvicorn worker, wrk -t1 -c{args.connections}", flush=True)
        run_wrk(url, 3, args.connections)  # warm-up: connection pool, prepared statements
        runs = []
        for n in range(args.runs):
            cpu_before = cpu_seconds(proc.pid)
            result = run_wrk(url, args.duration, args.connections)
            result["cpu_ms"] = (cpu_seconds(proc.pid) - cpu_before) * 1000 / max(1, result["requests"])
            runs.append(result)
            if os.environ.get("BENCH_RAW"):
                print(result["raw"])
            print(f"run {n + 1}: {result['rps']:.0f} requests/s, latency p50 {result['p50']} p99 {result['p99']}, "
                  f"non-2xx {result['non_2xx']}, socket errors {result['socket_errors']}, "
                  f"server CPU {result['cpu_ms']:.3f} ms/request", flush=True)
            if result["non_2xx"]:
                raise SystemExit("some responses were not 2xx")
        best = max(runs, key=lambda r: r["rps"])
        median = sorted(r["rps"] for r in runs)[len(runs) // 2]
        cpu_ms = sorted(r["cpu_ms"] for r in runs)[len(runs) // 2]
        # The worker's own CPU time per request says what one free core serves, whatever else runs here.
        print(f"server CPU per request {cpu_ms:.3f} ms (one free core: ~{1000 / cpu_ms:.0f} requests/s); "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        verdict = "meets" if median >= TARGET_RPS else "BELOW"
        print(f"GET /api/v1/projects/{{slug}}: {median:.0f} requests/s median of {len(runs)} runs "
              f"(best {best['rps']:.0f}; {verdict} the {TARGET_RPS} target)")
    finally:
        stop_process(proc, signal.SIGINT)
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
