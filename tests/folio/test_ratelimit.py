"""Rate limits reserved a few hits at a time (folio.services.ratelimit): no round trip below the limit,
never past the limit across processes, early by at most the documented bound."""

import asyncio

import pytest
from sqlalchemy import event

from data.db import Database, make_engine
from folio.errors import RateLimited
from folio.services.ratelimit import Limit, RateLimiter, largest_lease


class Statements:
    """Counts the statements a Database sends to PostgreSQL, on any of its pools."""

    def __init__(self, db: Database):
        self.count = 0
        for engine in {db.engine, db.read_engine, db.quick_engine}:
            event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *args) -> None:
        self.count += 1


async def _accepted(limiter: RateLimiter, limit: Limit, key: str, tries: int) -> int:
    accepted = 0
    for _ in range(tries):
        try:
            await limiter.hit((limit, key))
            accepted += 1
        except RateLimited:
            pass
    return accepted


async def test_hits_below_the_limit_make_no_round_trip_until_the_lease_is_spent(db_url, services):
    db = Database(make_engine(db_url))
    try:
        limiter, limit = RateLimiter(db), Limit("read", 10_000, 60)
        sent = Statements(db)
        lease = largest_lease(limit)
        await limiter.hit((limit, "1.2.3.4"))
        after_first = sent.count
        assert after_first >= 1  # the first hit reserved a lease
        for _ in range(lease - 1):
            await limiter.hit((limit, "1.2.3.4"))
        assert sent.count == after_first  # the rest of the lease: no statement at all
        await limiter.hit((limit, "1.2.3.4"))
        assert sent.count > after_first  # the lease spent: the next hit reserves again
    finally:
        await db.dispose()


@pytest.mark.parametrize("processes", [1, 4])
async def test_a_burst_across_processes_is_refused_at_the_limit_within_the_bound(db_url, services, processes):
    """Each 'process' (its own limiter and connection pool) sends the whole limit at once, concurrently."""
    limit = Limit("burst", 300, 600)
    dbs = [Database(make_engine(db_url, pool_size=2)) for _ in range(processes)]
    try:
        limiters = [RateLimiter(db) for db in dbs]
        accepted = sum(await asyncio.gather(*(_accepted(lim, limit, "9.9.9.9", limit.limit) for lim in limiters)))
        bound = 2 * (processes - 1) * (largest_lease(limit) - 1)
        assert limit.limit - bound <= accepted <= limit.limit
        if processes == 1:
            assert accepted == limit.limit  # one process uses every hit it reserved
        for limiter in limiters:  # and the key stays refused everywhere
            with pytest.raises(RateLimited):
                await limiter.hit((limit, "9.9.9.9"))
    finally:
        for db in dbs:
            await db.dispose()


async def test_a_lease_is_given_back_when_its_window_ends(db_url, services):
    now = [6000.0]
    db = Database(make_engine(db_url))
    try:
        here, there = RateLimiter(db, clock=lambda: now[0]), RateLimiter(db, clock=lambda: now[0])
        limit = Limit("roll", 100, 60)
        await here.hit((limit, "k"))  # reserves a lease of 10, uses 1
        assert await _accepted(there, limit, "k", 100) == 100 - largest_lease(limit)  # the 9 unused count
        now[0] += 60  # the next window: `here` gives its 9 back when the key comes back
        await here.hit((limit, "k"))
        now[0] += 59  # nearly all of the previous window has faded: 99/60 of it still weighs ~1.65
        assert await _accepted(there, limit, "k", 100) == 100 - largest_lease(limit) - 1
    finally:
        await db.dispose()
