"""What the shared (PostgreSQL) abuse limits cost per request, printed as figures (issue #12).

    .venv/bin/python benchmarks/limits_bench.py            # 2,000 sequential + 2,000 concurrent each

In a scratch embedded PostgreSQL migrated with folio's migrations, over folio's own pools:
- a rate-limit hit (RateLimiter.hit: one upsert of the sliding-window counter, as every anonymous
  REST request and visitor chat message pays) against a bare peer measured in the same run: the
  same pool running `SELECT 1` (the cheapest round trip), as a ratio;
- the same with 20 concurrent callers (one key each: no row contention) and with 20 concurrent
  callers on ONE key (one client hammering: the counter row is the hot spot);
- the login throttle's bookkeeping (LoginService._count_try: lock two rows, update them, commit)
  against the bare peer; bcrypt (~250 ms) dwarfs it.
Prints the load average: the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data import migrate  # noqa: E402
from data.db import Database, make_engine  # noqa: E402
from data.embedded_pg import EmbeddedPostgres  # noqa: E402
from folio.services.logins import LoginService  # noqa: E402
from folio.services.ratelimit import Limit, RateLimiter  # noqa: E402
from folio.services.users import UserService  # noqa: E402
from folio.settings import load_settings  # noqa: E402


def ms(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] * 1000


async def timed(fn, n: int, concurrency: int) -> list[float]:
    times: list[float] = []

    async def one(i: int) -> None:
        started = time.perf_counter()
        await fn(i)
        times.append(time.perf_counter() - started)

    for start in range(0, n, concurrency):
        await asyncio.gather(*(one(i) for i in range(start, min(n, start + concurrency))))
    return times


def line(label: str, times: list[float], peer: list[float]) -> None:
    ratio = statistics.median(times) / statistics.median(peer)
    print(f"{label:<44} p50 {ms(times, .5):6.2f} ms  p95 {ms(times, .95):6.2f} ms   "
          f"bare SELECT 1 p50 {ms(peer, .5):5.2f} ms   ratio {ratio:4.1f}x")


async def main(n: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="flim", dir="/tmp"))
    server = EmbeddedPostgres(root / "pg")
    try:
        url = load_settings().sqlalchemy_url(server.start())
        migrate.upgrade(url)
        db = Database(make_engine(url))
        limiter = RateLimiter(db)
        limit = Limit("bench", 10**9, 60)
        logins = LoginService(db, UserService(db))

        async def bare(_: int) -> None:
            async with db.autocommit() as session:
                await session.execute(text("SELECT 1"))

        async def hit(i: int) -> None:
            await limiter.hit((limit, f"client-{i}"))

        async def hot(_: int) -> None:
            await limiter.hit((limit, "one-client"))

        async def throttle(i: int) -> None:
            await logins._count_try(logins._keys(f"user{i % 50}@example.com", f"10.0.{i % 200}.1"))

        await timed(bare, 200, 20)
        await timed(hit, 200, 20)  # warm both pools
        print(f"load average {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores; n={n} per row")
        for concurrency in (1, 20):
            peer = await timed(bare, n, concurrency)
            line(f"rate-limit hit, {concurrency} at once, distinct keys", await timed(hit, n, concurrency), peer)
        peer = await timed(bare, n, 20)
        line("rate-limit hit, 20 at once, one hot key", await timed(hot, n, 20), peer)
        peer = await timed(bare, n // 4, 1)
        line("login throttle bookkeeping (no bcrypt)", await timed(throttle, n // 4, 1), peer)
        await db.dispose()
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="calls per measured row")
    asyncio.run(main(parser.parse_args().n))
