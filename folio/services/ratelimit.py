"""Rate limits shared by every process: sliding-window counters kept in PostgreSQL.

Each key counts hits in fixed windows (one atomic upsert a hit, table rate_counters); the rate is
the current window's hits plus the previous window's, weighted by how much of it still overlaps the
sliding window (the "sliding window counter" of the `limits` library and of Cloudflare). A hit is
counted first and taken back when refused, so a parallel burst can never get past a limit, and a
message refused by one limit (the visitor's) does not use up another (the address's).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from data.db import Database
from data.repositories import RateCounterRepository
from folio.errors import RateLimited
from folio.metrics import RATE_LIMITED

PURGE_EVERY_S = 60.0  # each process deletes expired counters at most this often


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int
    window_s: int

    def __post_init__(self):
        if self.limit < 1 or self.window_s < 1:
            raise ValueError("limit and window must be >= 1")


def wait_for(limit: Limit, now: float, start: int, current: int, previous: int) -> int:
    """0 when a hit, counted as the `current`-th of this window, is within the limit; else the seconds
    until one would be (the refused hit itself taken back)."""
    w = limit.window_s
    elapsed = now - start
    if previous * (1 - elapsed / w) + current <= limit.limit:
        return 0
    if current > limit.limit:  # this window alone is full: wait until its hits fade in the next one
        return max(1, math.ceil(start + w - now + w * (1 - (limit.limit - 1) / (current - 1))))
    return max(1, math.ceil(w * (1 - (limit.limit - current) / previous) - elapsed))


class RateLimiter:
    def __init__(self, db: Database, clock: Callable[[], float] = time.time):
        self.db = db
        self.clock = clock
        self.repo = RateCounterRepository()
        self._purged_at = 0.0

    async def hit(self, *keyed: tuple[Limit, str | None], message: str = "too many requests") -> None:
        """Count one hit for each (limit, key) with a key; RateLimited (with the longest wait) when any
        limit is exceeded."""
        now = self.clock()
        wait = 0
        keyed = [(limit, key) for limit, key in keyed if key]
        hits = []
        for limit, key in keyed:
            start = int(now // limit.window_s) * limit.window_s
            hits.append((f"{limit.name}:{key}", start, start - limit.window_s, start + 2 * limit.window_s))
        async with self.db.autocommit() as session:
            # every key in one statement: one round trip a chat message (issue #13)
            counts = await self.repo.hit_many(session, hits) if hits else {}
            exceeded = []
            for (limit, _), (name, start, _, _) in zip(keyed, hits):
                current, previous = counts[name]
                this_wait = wait_for(limit, now, start, current, previous)
                if this_wait:
                    exceeded.append(limit.name)
                wait = max(wait, this_wait)
            if wait:
                for name, start, _, _ in hits:
                    await self.repo.unhit(session, name, start)
            if now - self._purged_at > PURGE_EVERY_S:
                self._purged_at = now
                await self.repo.purge(session, int(now))
        if wait:
            for name in exceeded:
                RATE_LIMITED.labels(name).inc()
            raise RateLimited(f"{message}; try again in {wait} seconds", retry_after=wait)


class ChatRateLimit:
    """Visitors' chat messages: limited per visitor id and per client address; the owner is not limited.
    Chat sessions (guest sign-ins, socket connects): limited per client address, each counted on its own
    key (a page load is one of each)."""

    def __init__(self, limiter: RateLimiter, per_visitor: int, per_ip: int, window: int,
                 sessions_per_ip: int | None = None):
        self.limiter = limiter
        self.visitor = Limit("chat-visitor", per_visitor, window)
        self.address = Limit("chat-address", per_ip, window)
        self.sign_ins = Limit("chat-sign-in", sessions_per_ip, window) if sessions_per_ip else None
        self.connects = Limit("chat-connect", sessions_per_ip, window) if sessions_per_ip else None

    async def check(self, visitor_id: str | None, ip: str | None) -> None:
        await self.limiter.hit((self.visitor, visitor_id), (self.address, ip), message="too many messages")

    async def sign_in(self, ip: str | None) -> None:
        if self.sign_ins is not None:
            await self.limiter.hit((self.sign_ins, ip), message="too many chat sessions")

    async def session(self, ip: str | None) -> None:
        if self.connects is not None:
            await self.limiter.hit((self.connects, ip), message="too many chat connections")


class RestRateLimit:
    """Per client address: anonymous REST requests (searches, which each cost an embedding, strictest)
    and password logins at any door, whatever the email (each costs a bcrypt check)."""

    def __init__(self, limiter: RateLimiter, search_per_window: int, reads_per_window: int, window: int,
                 logins_per_window: int = 20, search_prefix: str = "/api/v1/search"):
        self.limiter = limiter
        self.search = Limit("rest-search", search_per_window, window)
        self.read = Limit("rest-read", reads_per_window, window)
        self.logins = Limit("login-address", logins_per_window, window)
        self.search_prefix = search_prefix

    async def check(self, path: str, address: str) -> None:
        limit = self.search if path.startswith(self.search_prefix) else self.read
        await self.limiter.hit((limit, address))

    async def login(self, address: str) -> None:
        await self.limiter.hit((self.logins, address), message="too many login attempts")
