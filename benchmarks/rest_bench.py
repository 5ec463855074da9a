"""REST speed against a bare peer, each goal printed as `measured / goal` (issues #13, #25).

    .venv/bin/python benchmarks/rest_bench.py [--runs 3] [--duration 10] [--connections 10] [--before REF]

Starts `folio serve` (one uvicorn worker, as `make run`; the demo portfolio loaded on first start,
no chat model; the anonymous REST rate limit on, counting every request, its limit lifted so that the
one load generator address is never refused) and the bare peer of benchmarks/rest_peer.py (FastAPI +
SQLAlchemy async + psycopg on its own embedded PostgreSQL, same table and row shape), and with
--before REF also `folio serve` from commit REF's files (benchmarks/checkout.py), then drives
GET /api/v1/projects/{slug} on each in turn, --runs times alternating, with wrk (Debian's `wrk`, one
thread, --connections keep-alive connections) or, without wrk on the PATH, a small keep-alive HTTP/1.1
load generator in this process. Each run is preceded by a 3 s warm-up. Reported: requests/s and
latency p50/p99 per run, server CPU per request, the medians, and folio / peer ratios with the load
average.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from testkit.procs import folio_env, free_port, stop_process, wait_http  # noqa: E402  (shared with the tests)
sys.path.insert(0, str(ROOT / "benchmarks"))
from checkout import checkout  # noqa: E402


async def _client(host: str, port: int, request: bytes, until: float, latencies: list[float],
                  errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = head[9:12]
            length = None
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if length is None:  # chunked
                while size := int((await reader.readuntil(b"\r\n"))[:-2], 16):
                    await reader.readexactly(size + 2)
                await reader.readuntil(b"\r\n")
            else:
                await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if status != b"200":
                errors.append(status.decode())
    finally:
        writer.close()


def drive(url: str, seconds: float, connections: int) -> dict:
    """Closed-loop load: each connection sends its next request when the last answer is read."""
    parsed = httpx.URL(url)
    request = (f"GET {parsed.raw_path.decode()} HTTP/1.1\r\nHost: {parsed.host}:{parsed.port}\r\n"
               "Accept: application/json\r\n\r\n").encode()
    latencies: list[float] = []
    errors: list[str] = []

    async def run() -> None:
        until = time.perf_counter() + seconds
        await asyncio.gather(*(_client(parsed.host, parsed.port, request, until, latencies, errors)
                               for _ in range(connections)))

    started = time.perf_counter()
    asyncio.run(run())
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"rps": len(latencies) / elapsed, "p50": ordered[len(ordered) // 2] * 1000,
            "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
            "errors": len(errors), "requests": len(latencies)}


def _wrk_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def drive_wrk(url: str, seconds: float, connections: int) -> dict:
    """wrk, one thread, `connections` keep-alive connections, its latency distribution."""
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
                          "-H", "Accept: application/json", url], capture_output=True, text=True, check=True).stdout
    found = {p: _wrk_ms(m.group(1)) for p, m in
             ((p, re.search(rf"^\s+{p}%\s+(\S+)", out, re.M)) for p in ("50", "99")) if m}
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": found["50"],
            "p99": found["99"], "errors": int(non_2xx.group(1)) if non_2xx else 0, "requests": requests}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (Linux /proc): the steadier yardstick on a shared machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start(cmd: list[str], env: dict, log_path: Path, health: str, cwd: Path = ROOT) -> subprocess.Popen:
    log = open(log_path, "w")  # noqa: SIM115  (a file: an unread pipe would fill up and stall it)
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        wait_http(health, proc, timeout=900)
    except (RuntimeError, TimeoutError) as exc:
        stop_process(proc, signal.SIGINT)
        raise SystemExit(f"{exc}\n{log_path.read_text()[-3000:]}") from None
    return proc


def goal(label: str, measured: float, target: str, ok: bool) -> None:
    print(f"  {label:<40} {measured:>7.2f}x / {target:<7} {'met' if ok else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per measured run")
    parser.add_argument("--runs", type=int, default=3, help="measured runs per server, alternating")
    parser.add_argument("--connections", type=int, default=10, help="concurrent keep-alive connections")
    parser.add_argument("--before", metavar="REF", help="also serve folio from this commit (e.g. main)")
    args = parser.parse_args()
    load = drive_wrk if shutil.which("wrk") else drive

    data_dir = Path(tempfile.mkdtemp(prefix="frb", dir="/tmp"))
    folio_port, peer_port = free_port(), free_port()
    # A chat model is not part of this measurement: point at a closed port, start nothing.
    env = folio_env(FOLIO_DATA_DIR=str(data_dir / "folio"), FOLIO_LLM_BASE_URL="http://127.0.0.1:9/v1",
                    FOLIO_RATE_READ_REQUESTS="1000000000")  # one load generator address: counted, never refused
    procs: list[subprocess.Popen] = []
    before = checkout(args.before) if args.before else None
    try:
        print("starting folio serve and the bare peer ...", flush=True)
        servers = {"folio": (ROOT, folio_port)}
        if before is not None:
            servers["before"] = (before, free_port())
        pids, urls = {}, {}
        for name, (tree, port) in servers.items():
            env_here = dict(env, FOLIO_DATA_DIR=str(data_dir / name), PYTHONPATH=str(tree))
            procs.append(start([sys.executable, "-m", "launch", "serve", "--port", str(port)], env_here,
                               data_dir / f"{name}.log", f"http://127.0.0.1:{port}/api/v1/projects?limit=1", cwd=tree))
            pids[name] = procs[-1].pid
        procs.append(start([sys.executable, str(ROOT / "benchmarks" / "rest_peer.py"), "--port", str(peer_port),
                            "--data", str(data_dir / "peer")], env, data_dir / "peer.log",
                           f"http://127.0.0.1:{peer_port}/healthz"))
        pids["peer"] = procs[-1].pid
        base = f"http://127.0.0.1:{folio_port}"
        slug = httpx.get(base + "/api/v1/projects", params={"limit": 1}).json()["items"][0]["slug"]
        for name, (_, port) in servers.items():
            urls[name] = f"http://127.0.0.1:{port}/api/v1/projects/{slug}"
        urls["peer"] = f"http://127.0.0.1:{peer_port}/api/v1/projects/{slug}"
        sizes = {name: len(httpx.get(url).content) for name, url in urls.items()}
        print(f"GET /api/v1/projects/{slug}: " + ", ".join(f"{n} {b} bytes" for n, b in sizes.items())
              + f"; 1 worker each; {args.connections} connections, {args.runs} x {args.duration:.0f} s alternating; "
              f"load generator: {'wrk' if load is drive_wrk else 'in-process asyncio'}"
              + (f"; before = {args.before}" if before else ""))
        runs: dict[str, list[dict]] = {name: [] for name in urls}
        for n in range(args.runs):
            for name, url in urls.items():
                load(url, 3, args.connections)  # warm-up: pools, prepared statements, caches
                cpu = cpu_seconds(pids[name])
                r = load(url, args.duration, args.connections)
                r["cpu_ms"] = (cpu_seconds(pids[name]) - cpu) * 1000 / max(1, r["requests"])
                runs[name].append(r)
                print(f"  run {n + 1} {name:<6} {r['rps']:7.0f} req/s  p50 {r['p50']:6.2f} ms  p99 {r['p99']:7.2f} ms"
                      f"  server CPU {r['cpu_ms']:.3f} ms/request  non-200 {r['errors']}", flush=True)
                if r["errors"]:
                    raise SystemExit(f"{name} answered {r['errors']} requests with a status other than 200")
        med = {name: {k: statistics.median(r[k] for r in rs) for k in ("rps", "p50", "p99", "cpu_ms")}
               for name, rs in runs.items()}
        avg = os.getloadavg()
        print("medians: " + "; ".join(f"{name} {m['rps']:.0f} req/s, p99 {m['p99']:.2f} ms, CPU {m['cpu_ms']:.3f} ms/req"
                                      for name, m in med.items())
              + f"; load average {avg[0]:.2f} / {avg[1]:.2f} on {os.cpu_count()} cores (the load generator is one of them)")
        if "before" in med:
            print(f"  before / peer: {med['before']['rps'] / med['peer']['rps']:.2f}x req/s, "
                  f"{med['before']['p99'] / med['peer']['p99']:.2f}x p99, "
                  f"{med['before']['cpu_ms'] / med['peer']['cpu_ms']:.2f}x CPU per request")
        print("goal (folio = this checkout): measured / goal")
        rps = med["folio"]["rps"] / med["peer"]["rps"]
        p99 = med["folio"]["p99"] / med["peer"]["p99"]
        goal("requests/s, folio / peer", rps, ">= 0.9", rps >= 0.9)
        goal("latency p99, folio / peer", p99, "<= 2", p99 <= 2)
        cpu = med["folio"]["cpu_ms"] / med["peer"]["cpu_ms"]
        print(f"  (server CPU per request, folio / peer: {cpu:.2f}x = {med['folio']['cpu_ms']:.3f} / "
              f"{med['peer']['cpu_ms']:.3f} ms; one free core would serve ~{1000 / med['folio']['cpu_ms']:.0f} / "
              f"~{1000 / med['peer']['cpu_ms']:.0f} req/s)")
    finally:
        for proc in procs:
            stop_process(proc, signal.SIGINT)
        shutil.rmtree(data_dir, ignore_errors=True)
        if before is not None:
            shutil.rmtree(before, ignore_errors=True)


if __name__ == "__main__":
    main()
