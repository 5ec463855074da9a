"""Chat under load, printed as figures (issue #12): N concurrent visitor chats over socket.io.

    .venv/bin/python benchmarks/chat_load.py [--chats 50] [--seconds 120]

A real `folio serve` (testkit's LiveServer: REST + Chainlit, the agent with its real search,
PostgreSQL checkpointer, Markdown filter) over a scratch embedded PostgreSQL holding the demo
portfolio, its chat model a ScriptedLLM answering at once (so the figures are folio's own cost, not a
model's). Each simulated visitor signs in as a guest, opens a socket.io connection and asks question
after question until the time is up. Printed: turns completed, turns/s, errors (exceptions, time-outs,
empty answers, "unavailable" messages; must be 0), rate-limited turns, p50/p95 turn time, and next to
them the bare peer: the same number of concurrent streamed completions straight from the scripted
model, with the load average. Beside them (unless --no-abusers) one client hammers search and another
guesses the owner's password, each from its own address: printed are their requests and 429s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from testkit.chat_client import ChatClient  # noqa: E402  (shared with the tests)
from testkit.live import OWNER_EMAIL, LiveServer  # noqa: E402
from testkit.pg import TestDatabases  # noqa: E402
from testkit.scripted_llm import ScriptedLLM, reply  # noqa: E402

from folio import prompts  # noqa: E402
from launch.composition import embedder_for, open_services  # noqa: E402
from folio.services.seed import seed_demo  # noqa: E402
from folio.settings import load_settings  # noqa: E402

QUESTIONS = ["Which projects use Rust?", "What has been written about PostgreSQL?", "Which certifications are there?"]
ANSWER = ("Two projects are written in Rust: [Ferrox](/api/v1/projects/ferrox), a load tester, and "
          "[Glint](/api/v1/projects/glint), a terminal log viewer.")
FAILED = (prompts.LLM_UNAVAILABLE, prompts.CHAT_UNAVAILABLE, prompts.LLM_STARTING)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


class Tally:
    def __init__(self) -> None:
        self.times: list[float] = []
        self.errors: list[str] = []
        self.limited = 0


async def visitor(url: str, deadline: float, tally: Tally, index: int) -> None:
    try:
        async with await ChatClient.visitor(url) as chat:
            await chat.started()
            n = index
            while time.monotonic() < deadline:
                started = time.monotonic()
                events = await chat.ask(QUESTIONS[n % len(QUESTIONS)], timeout=120)
                answer = ChatClient.answer(events)
                if answer.startswith(prompts.RATE_LIMITED.split("{")[0]):
                    tally.limited += 1
                elif not answer or answer in FAILED:
                    tally.errors.append(answer or "empty answer")
                else:
                    tally.times.append(time.monotonic() - started)
                n += 1
    except Exception as exc:  # a refused connection, a time-out: an error, never a crash of the run
        tally.errors.append(f"{type(exc).__name__}: {exc}")


async def abuser(url: str, deadline: float, kind: str, counts: dict[int, int]) -> None:
    """One client that hammers search, or one that guesses the owner's password, from its own address
    (X-Forwarded-For from loopback, honoured from trusted proxies only)."""
    address = "203.0.113.7" if kind == "search" else "203.0.113.8"
    async with httpx.AsyncClient(base_url=url, timeout=30, headers={"X-Forwarded-For": address}) as http:
        n = 0
        while time.monotonic() < deadline:
            try:
                if kind == "search":
                    response = await http.get("/api/v1/search", params={"q": f"rust {n % 7}"})
                else:
                    response = await http.post("/chat/login", data={"username": OWNER_EMAIL, "password": f"guess {n}"})
                counts[response.status_code] = counts.get(response.status_code, 0) + 1
                if response.status_code == 429:
                    await asyncio.sleep(min(float(response.headers.get("retry-after", "1") or 1), 1.0))
            except httpx.HTTPError:
                counts[0] = counts.get(0, 0) + 1
            n += 1


async def bare_peer(base_url: str, chats: int, seconds: float) -> list[float]:
    """Streamed completions straight from the scripted model, `chats` at a time."""
    times: list[float] = []
    deadline = time.monotonic() + seconds
    body = {"model": "scripted", "stream": True, "messages": [{"role": "user", "content": QUESTIONS[0]}]}

    async def one(http: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                async with http.stream("POST", f"{base_url}/chat/completions", json=body) as response:
                    async for _ in response.aiter_bytes():
                        pass
            except httpx.HTTPError:
                continue
            times.append(time.monotonic() - started)

    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=chats)) as http:
        await asyncio.gather(*(one(http) for _ in range(chats)))
    return times


async def run(chats: int, seconds: float, with_abusers: bool) -> None:
    pg = TestDatabases()
    pg.start()
    try:
        name = pg.create()
        services = open_services(pg.url(name), embedder=embedder_for(load_settings()))
        try:
            await seed_demo(services)
        finally:
            await services.db.dispose()
        with ScriptedLLM(default=reply(ANSWER, chunk_size=2)) as llm, \
                LiveServer(pg.libpq_url(name), llm.base_url, log_level="WARNING",
                           # the app's default REST limits for the abusers; the visitors here send turn after
                           # turn for minutes, more than the default 20 messages per visitor in 10 minutes
                           rate_search_requests="30", rate_read_requests="300", rate_login_requests="20",
                           chat_visitor_messages="1000", chat_ip_messages="100000") as server:
            peer = await bare_peer(llm.base_url, chats, min(10.0, seconds / 4))
            tally = Tally()
            load_before = os.getloadavg()[0]
            started = time.monotonic()
            searches: dict[int, int] = {}
            guesses: dict[int, int] = {}
            abusers = [abuser(server.url, started + seconds, "search", searches),
                       abuser(server.url, started + seconds, "login", guesses)] if with_abusers else []
            await asyncio.gather(*(visitor(server.url, started + seconds, tally, i) for i in range(chats)), *abusers)
            elapsed = time.monotonic() - started
            load_after = os.getloadavg()
        print(f"chats: {chats} concurrent visitors over socket.io for {elapsed:.0f} s (scripted model, "
              f"{os.cpu_count()} cores; load average {load_before:.2f} before, {load_after[0]:.2f} "
              f"/ {load_after[1]:.2f} (1/5 min) after)")
        print(f"turns completed: {len(tally.times)} ({len(tally.times) / elapsed:.1f} turns/s)")
        print(f"errors: {len(tally.errors)}" + (f" (first: {tally.errors[0][:200]})" if tally.errors else ""))
        print(f"rate-limited turns of the well-behaved visitors: {tally.limited} (should be 0)")
        if with_abusers:
            print(f"search hammer: {sum(searches.values())} requests, {searches.get(429, 0)} answered 429 "
                  f"(statuses {dict(sorted(searches.items()))})")
            print(f"password guesser: {sum(guesses.values())} tries, {guesses.get(429, 0)} answered 429 "
                  f"(statuses {dict(sorted(guesses.items()))})")
        p50, p95 = pct(tally.times, 50) * 1000, pct(tally.times, 95) * 1000
        b50, b95 = pct(peer, 50) * 1000, pct(peer, 95) * 1000
        mean = statistics.fmean(tally.times or [0]) * 1000
        print(f"turn time: p50 {p50:.0f} ms, p95 {p95:.0f} ms, mean {mean:.0f} ms")
        print(f"bare peer (the scripted model's own streamed completion, {chats} at a time): p50 {b50:.0f} ms, "
              f"p95 {b95:.0f} ms; turn/peer ratio p50 {p50 / b50:.1f}x, p95 {p95 / b95:.1f}x")
    finally:
        pg.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--no-abusers", action="store_true",
                        help="visitors only: no search hammer, no password guesser")
    args = parser.parse_args()
    asyncio.run(run(args.chats, args.seconds, not args.no_abusers))


if __name__ == "__main__":
    main()
