"""Start-up: `make run` on a warm machine to /healthz, /readyz and the first visitor answer (issue #13).

    .venv/bin/python benchmarks/startup_bench.py [--restarts 3] [--data-dir DIR]

`make run` is `folio serve` once its install stamps are up to date; this runs `python -m launch serve`
from this checkout (so this checkout's code is what starts) on a free port, with FOLIO_DATA_DIR set to
a scratch data folder whose models/ links to this checkout's (the chat model already joined).

1. First start (the folder is empty): PostgreSQL initialised, migrated, the demo seeded and embedded.
   Timed too, then stopped (SIGTERM to the pid): from here on the machine is "warm".
2. --restarts warm restarts, each timed from the command to: /healthz 200, /readyz 200 (database, the
   embedder and llama-server's self-check), then a visitor's first answer through the chat's own
   socket.io path (tests/testkit/chat_client.py: guest sign-in, welcome, the question, first streamed
   token, the answer's end).
Printed against the 33 s warm restart measured before this script existed (goal: no regression).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
from testkit.chat_client import ChatClient  # noqa: E402

from folio.settings import load_settings  # noqa: E402

BASELINE_S = 33.0  # the warm restart measured in issue #13, before this script
QUESTION = "Tell me about Ferrox"  # answered by the model from the search results


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def wait_for(http: httpx.AsyncClient, path: str, proc: subprocess.Popen, timeout: float = 600) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"folio serve exited with status {proc.returncode} (log: see --keep)")
        try:
            if (await http.get(path, timeout=5)).status_code == 200:
                return time.perf_counter()
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.05)
    raise RuntimeError(f"{path} not 200 within {timeout:.0f} s")


async def first_answer(url: str) -> tuple[float, float | None, float, str]:
    """(asked, first streamed token or None, answer's end, the answer) through the chat's socket."""
    async with await ChatClient.visitor(url) as chat:
        await chat.started(timeout=300)
        await chat.drain()
        message = {"id": str(uuid.uuid4()), "name": "User", "type": "user_message", "output": QUESTION,
                   "createdAt": datetime.now(UTC).isoformat()}
        asked = time.perf_counter()
        await chat.sio.emit("client_message", {"message": message, "fileReferences": []})
        first, events = None, []
        async with asyncio.timeout(300):
            while True:  # task_start, tokens..., task_end (ChatClient.ask without losing the token times)
                event = await chat.events.get()
                events.append(event)
                if event[0] == "stream_token" and first is None:
                    first = time.perf_counter()
                if event[0] == "task_end" and any(e[0] == "task_start" for e in events):
                    return asked, first, time.perf_counter(), ChatClient.answer(events)


async def one_start(data_dir: Path, log, ask: bool) -> dict[str, float]:
    port = free_port()
    env = {**os.environ, "FOLIO_DATA_DIR": str(data_dir), "FOLIO_HOST": "127.0.0.1", "FOLIO_PORT": str(port)}
    url = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "launch", "serve"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        async with httpx.AsyncClient(base_url=url) as http:
            health = await wait_for(http, "/healthz", proc)
            ready = await wait_for(http, "/readyz", proc)
        result = {"healthz": health - start, "readyz": ready - start}
        if ask:
            asked, first, ended, answer = await first_answer(url)
            result.update(first_token=(first or ended) - start, answered=ended - start,
                          first_token_s=(first or ended) - asked, answer_s=ended - asked,
                          answer=answer)
        return result
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)


async def main(args) -> None:
    models = load_settings().data_path / "models"
    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="folio-start-", dir="/tmp"))
    data_dir.mkdir(parents=True, exist_ok=True)
    if not (data_dir / "models").exists():
        (data_dir / "models").symlink_to(models.resolve(), target_is_directory=True)
    log_path = data_dir / "serve-bench.log"
    try:
        with log_path.open("ab") as log:
            first = await one_start(data_dir, log, ask=False)
            print(f"first start (empty data folder: database created, migrated, demo seeded and embedded): "
                  f"/healthz {first['healthz']:.1f} s, /readyz {first['readyz']:.1f} s")
            runs = [await one_start(data_dir, log, ask=True) for _ in range(args.restarts)]
        load = os.getloadavg()
        print(f"warm restarts ({args.restarts}), `folio serve` to each point, seconds (median, then each run):")
        for key, label in (("healthz", "/healthz 200"), ("readyz", "/readyz 200 (model self-check passed)"),
                           ("first_token", "first visitor answer: first token shown"),
                           ("answered", "first visitor answer: complete"),
                           ("first_token_s", "  question to first token"), ("answer_s", "  question to answer end")):
            values = [r[key] for r in runs]
            print(f"  {label:40} {statistics.median(values):7.1f}   ({', '.join(f'{v:.1f}' for v in values)})")
        print(f"  first answer: {runs[-1]['answer'][:120]!r}")
        print(f"  load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} on {os.cpu_count()} cores")
        ready = statistics.median(r["readyz"] for r in runs)
        first = statistics.median(r["first_token"] for r in runs)
        answered = statistics.median(r["answered"] for r in runs)
        print("goal: measured / goal (the 33 s warm restart of issue #13; no regression)")
        print(f"  warm restart to /readyz                        {ready:6.1f} s / <= {BASELINE_S:.0f} s  "
              f"{'met' if ready <= BASELINE_S else 'MISSED'}")
        print(f"  warm restart to the first answer's first token {first:6.1f} s / <= {BASELINE_S:.0f} s  "
              f"{'met' if first <= BASELINE_S else 'MISSED'}")
        print(f"  warm restart to the first answer complete      {answered:6.1f} s / <= {BASELINE_S:.0f} s  "
              f"{'met' if answered <= BASELINE_S else 'MISSED'}  (includes generating the whole answer)")
    finally:
        if not args.keep and not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
        elif args.keep:
            print(f"kept {data_dir} (log: {log_path})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--restarts", type=int, default=3, help="timed warm restarts")
    parser.add_argument("--data-dir", help="use this data folder (kept) instead of a scratch one")
    parser.add_argument("--keep", action="store_true", help="keep the scratch data folder and its log")
    asyncio.run(main(parser.parse_args()))
