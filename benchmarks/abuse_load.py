"""Load under abuse (issue #12): well-behaved visitors chat over socket.io while one client hammers
search and another guesses the owner's password, against a real `folio serve` (one process) with
the scripted chat model.

    .venv/bin/python benchmarks/abuse_load.py                      # 50 chats for 120 s
    .venv/bin/python benchmarks/abuse_load.py --chats 10 --seconds 20

Each visitor is its own address (X-Forwarded-For from loopback, the trusted proxy) and cookie, and
asks a question every few seconds, within the default chat limits. Prints: turns completed, errors
(must be 0), p50/p95 turn time, turns/s, the 429s served to the abusers, and whether any
well-behaved visitor was ever limited, with the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from testkit.chat_client import ChatClient  # noqa: E402  (shared with the tests)
from testkit.live import OWNER_EMAIL, LiveServer  # noqa: E402
from testkit.pg import TestDatabases  # noqa: E402
from testkit.scripted_llm import ScriptedLLM, reply  # noqa: E402

from folio import prompts  # noqa: E402

QUESTIONS = ["Which projects use Rust?", "What has she written about PostgreSQL?", "Any Kubernetes work?",
             "Tell me about Ferrox", "Which certifications does she hold?"]
LIMITED = prompts.RATE_LIMITED.split("{")[0]


async def visitor(url: str, n: int, until: float, pause: float, stats: dict) -> None:
    headers = {"X-Forwarded-For": f"198.18.{n // 250}.{n % 250 + 1}"}
    try:
        async with await ChatClient.visitor(url, headers=headers) as chat:
            await chat.started()
            while time.monotonic() < until:
                started = time.perf_counter()
                answer = ChatClient.answer(await chat.ask(random.choice(QUESTIONS), timeout=120))
                if answer.startswith(LIMITED):
                    stats["limited"] += 1
                elif not answer:
                    stats["errors"] += 1
                else:
                    stats["turns"].append(time.perf_counter() - started)
                await asyncio.sleep(pause * random.uniform(0.5, 1.5))
    except Exception as exc:  # noqa: BLE001 - a failed visitor is an error to report
        stats["errors"] += 1
        stats["failures"].append(repr(exc)[:200])


async def hammer(client: httpx.AsyncClient, until: float, request, counts: dict) -> None:
    while time.monotonic() < until:
        try:
            status = (await request(client)).status_code
        except httpx.HTTPError:
            status = "error"
        counts[status] = counts.get(status, 0) + 1


async def run(url: str, chats: int, seconds: float, pause: float) -> None:
    until = time.monotonic() + seconds
    stats = {"turns": [], "errors": 0, "limited": 0, "failures": []}
    search, guesses = {}, {}
    async with httpx.AsyncClient(base_url=url, timeout=60, headers={"X-Forwarded-For": "203.0.113.66"}) as bad, \
            httpx.AsyncClient(base_url=url, timeout=60, headers={"X-Forwarded-For": "203.0.113.77"}) as guesser:
        started = time.perf_counter()
        await asyncio.gather(
            *(visitor(url, n, until, pause, stats) for n in range(chats)),
            hammer(bad, until, lambda c: c.get("/api/v1/search", params={"q": "rust"}), search),
            hammer(guesser, until, lambda c: c.post("/api/v1/auth/login", json={
                "email": OWNER_EMAIL, "password": f"guess-{random.random()}"}), guesses))
        elapsed = time.perf_counter() - started
    turns = sorted(stats["turns"])
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")
    print(f"{chats} visitor chats for {seconds:.0f} s: {len(turns)} turns completed, {stats['errors']} errors, "
          f"{len(turns) / elapsed:.2f} turns/s")
    if turns:
        print(f"turn time p50 {statistics.median(turns):.2f} s, p95 {turns[int(0.95 * (len(turns) - 1))]:.2f} s")
    print(f"search hammer: {search}   (429s: {search.get(429, 0)})")
    print(f"password guesser: {guesses}   (429s: {guesses.get(429, 0)})")
    print(f"well-behaved visitors limited: {stats['limited']} times"
          + ("" if not stats["failures"] else f"; failures: {stats['failures'][:3]}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--pause", type=float, default=8.0, help="seconds a visitor waits between messages")
    args = parser.parse_args()
    dbs = TestDatabases()
    dbs.start()
    try:
        name = dbs.create()
        with ScriptedLLM() as llm:
            llm.respond_with(lambda body: reply("Ferrox and Glint are written in Rust."))
            # The default limits (the test server's are lifted); the demo portfolio, embedded at start.
            server = LiveServer(dbs.libpq_url(name), llm.base_url, seed_demo="true", chat_visitor_messages=20,
                                chat_ip_messages=60, rate_search_requests=30, rate_read_requests=300,
                                rate_login_requests=20).start(timeout=900)
            try:
                asyncio.run(run(server.url, args.chats, args.seconds, args.pause))
            finally:
                server.stop()
    finally:
        dbs.stop()


if __name__ == "__main__":
    main()
