"""What the shared (PostgreSQL) abuse limits cost per request, and how exact they are across processes,
printed as figures (issues #12, #25).

    .venv/bin/python benchmarks/limits_bench.py            # 2,000 sequential + 2,000 concurrent each

In a scratch embedded PostgreSQL migrated with folio's migrations, over folio's own pools:
- a rate-limit hit (RateLimiter.hit: one upsert reserving a lease of hits every few requests, as every
  anonymous REST request and visitor chat message pays) against a bare peer measured in the same run: the
  same pool running `SELECT 1` (the cheapest round trip), as a ratio;
- the same with 20 concurrent callers (one key each: no row contention) and with 20 concurrent
  callers on ONE key (one client hammering: the counter row is the hot spot);
- the login throttle's bookkeeping (LoginService._count_try: lock two rows, update them, commit)
  against the bare peer; bcrypt (~250 ms) dwarfs it;
- a burst across N processes (1, 2, 4, 8 OS processes, each its own pool, released together, each
  sending the whole limit on one key, 10 at a time): hits accepted against the limit and against the
  documented bound (never over; at most 2 (N - 1) (lease - 1) early), a few bursts per N.
Prints the load average: the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
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
from folio.errors import RateLimited  # noqa: E402
from folio.services.ratelimit import Limit, RateLimiter, largest_lease  # noqa: E402
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
    ratio = statistics.fmean(times) / statistics.fmean(peer)
    print(f"{label:<44} mean {statistics.fmean(times) * 1000:6.3f} ms  p50 {ms(times, .5):6.3f}  p95 {ms(times, .95):6.2f}"
          f"   bare SELECT 1 mean {statistics.fmean(peer) * 1000:5.2f} ms   ratio of means {ratio:5.2f}x")


def burst_worker(url: str, limit: Limit, key: str, go, accepted) -> None:
    """One process: its own pool and limiter; waits for the others, then sends `limit` hits, 10 at a time."""
    async def run() -> int:
        db = Database(make_engine(url, pool_size=10))
        limiter = RateLimiter(db)
        await limiter.hit((Limit("warm", 10**9, 60), "x"))  # the pool connected before the burst
        go.wait()
        count = 0

        async def one() -> None:
            nonlocal count
            try:
                await limiter.hit((limit, key))
                count += 1
            except RateLimited:
                pass

        for _ in range(0, limit.limit, 10):
            await asyncio.gather(*(one() for _ in range(10)))
        await db.dispose()
        return count

    accepted.put(asyncio.run(run()))


def bursts(url: str, limits: list[Limit], processes: tuple[int, ...], repeats: int) -> None:
    ctx = multiprocessing.get_context("spawn")
    print(f"\nburst across N processes (load average {os.getloadavg()[0]:.2f}): hits accepted of N x limit sent")
    print(f"{'limit':>6} {'lease':>5} {'N':>3}   accepted (each burst)        over   early   bound (early)")
    for limit in limits:
        for n in processes:
            results = []
            for r in range(repeats):
                go, accepted = ctx.Event(), ctx.Queue()
                procs = [ctx.Process(target=burst_worker, args=(url, limit, f"{limit.name}-{n}-{r}", go, accepted))
                         for _ in range(n)]
                for p in procs:
                    p.start()
                time.sleep(1.0 + 0.7 * n)  # every process imported and connected
                go.set()
                results.append(sum(accepted.get(timeout=300) for _ in procs))
                for p in procs:
                    p.join()
            bound = 2 * (n - 1) * (largest_lease(limit) - 1)
            over = max(0, max(results) - limit.limit)
            early = max(0, limit.limit - min(results))
            print(f"{limit.limit:>6} {largest_lease(limit):>5} {n:>3}   {' '.join(f'{x:>5}' for x in results):<28}"
                  f" {over:>4} {early:>7}   {bound:>5}  {'within' if over == 0 and early <= bound else 'OUTSIDE'}")


async def main(n: int, repeats: int) -> None:
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

        fresh = iter(range(10**9))

        async def first(_: int) -> None:  # a key never seen: its first hit reserves a lease (a round trip)
            await limiter.hit((limit, f"client-{next(fresh)}"))

        async def hot(_: int) -> None:  # one busy key: a round trip every largest_lease(limit) hits
            await limiter.hit((limit, "one-client"))

        async def throttle(i: int) -> None:
            await logins._count_try(logins._keys(f"user{i % 50}@example.com", f"10.0.{i % 200}.1"))

        await timed(bare, 200, 20)
        await timed(first, 200, 20)  # warm both pools
        print(f"load average {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores; n={n} per row; "
              f"lease of a busy key {largest_lease(limit)} hits")
        for concurrency in (1, 20):
            peer = await timed(bare, n, concurrency)
            line(f"rate-limit hit, {concurrency} at once, first of a key", await timed(first, n, concurrency), peer)
        for concurrency in (1, 20):
            peer = await timed(bare, n, concurrency)
            line(f"rate-limit hit, {concurrency} at once, one busy key", await timed(hot, n, concurrency), peer)
        peer = await timed(bare, n // 4, 1)
        line("login throttle bookkeeping (no bcrypt)", await timed(throttle, n // 4, 1), peer)
        await db.dispose()
        bursts(url, [Limit("read", 300, 600), Limit("search", 30, 600), Limit("big", 2000, 600)], (1, 2, 4, 8),
               repeats)
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="calls per measured row")
    parser.add_argument("--bursts", type=int, default=3, help="bursts per limit and number of processes")
    args = parser.parse_args()
    asyncio.run(main(args.n, args.bursts))
