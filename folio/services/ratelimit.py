"""Rate limits shared by every process: sliding-window counters kept in PostgreSQL, reserved a few at a time.

Each key counts hits in fixed windows (table rate_counters); the rate is the current window's hits plus
the previous window's, weighted by how much of it still overlaps the sliding window (the "sliding window
counter" of the `limits` library and of Cloudflare).

A process does not ask PostgreSQL at every hit: it reserves a lease of hits for a key in one atomic upsert
(at most 1/LEASE_SHARE of what is left under the limit, at most MAX_LEASE, one when the limit is small or
nearly used up) and spends it in memory; only the hit that finds its lease empty makes a round trip. A
reservation is made only while it fits under the limit, and it holds for the rest of its window (the
previous window's weight only falls), so a burst across any number of processes never gets past a limit.
The error is on the safe side: hits other processes reserved and have not used yet are refused here early,
at most 2 (N - 1) (lease - 1) of them with N processes (this window's leases and the previous one's);
docs/deploy.md has the figures. A process gives back what it did not use of a lease when the window ends
and the key comes back, and all that a refused hit reserved: a message refused by one limit (the
visitor's) does not use up another (the address's).
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

PURGE_EVERY_S = 60.0  # each process deletes expired counters (and forgets old leases) at most this often
LEASE_SHARE = 10  # a lease holds at most this share (1/10) of what is left under a limit ...
MAX_LEASE = 50  # ... and at most this many hits: one round trip per 50 hits of a busy key at most


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


def largest_lease(limit: Limit) -> int:
    """The most hits one process reserves at once for a key of this limit."""
    return max(1, min(MAX_LEASE, limit.limit // LEASE_SHARE))


@dataclass
class _Lease:
    """Hits of one key reserved in PostgreSQL by this process for the window starting at `start`."""
    start: int
    window_s: int
    left: int  # reserved and not used yet
    rate: float  # the key's rate when last read (what this process reserved included)


@dataclass
class _Ask:
    limit: Limit
    name: str
    start: int
    adds: int  # hits to reserve: this one and the lease's


class RateLimiter:
    def __init__(self, db: Database, clock: Callable[[], float] = time.time):
        self.db = db
        self.clock = clock
        self.repo = RateCounterRepository()
        self._purged_at = 0.0
        self._leases: dict[str, _Lease] = {}

    def _grant(self, limit: Limit, lease: _Lease | None) -> int:
        """How many hits to reserve: a share of what was left under the limit when last read."""
        left = limit.limit - (lease.rate if lease is not None else 0.0)
        return max(1, min(MAX_LEASE, int(left // LEASE_SHARE)))

    async def hit(self, *keyed: tuple[Limit, str | None], message: str = "too many requests") -> None:
        """Count one hit for each (limit, key) with a key; RateLimited (with the longest wait) when any
        limit is exceeded. No round trip while every key's lease has hits left."""
        now = self.clock()
        spent: list[_Lease] = []  # hits taken from leases (handed back if another limit refuses)
        asks: list[_Ask] = []
        stale: list[tuple[str, int, int]] = []  # unused hits of ended windows' leases, to give back
        for limit, key in keyed:
            if not key:
                continue
            name = f"{limit.name}:{key}"
            start = int(now // limit.window_s) * limit.window_s
            lease = self._leases.get(name)
            if lease is not None and lease.start != start:  # its window ended
                if lease.left > 0:
                    stale.append((name, lease.start, lease.left))
                del self._leases[name]
                lease = None
            if lease is not None and lease.left > 0:
                lease.left -= 1
                spent.append(lease)
            else:
                asks.append(_Ask(limit, name, start, self._grant(limit, lease)))
        if not asks and not stale:
            return
        wait, exceeded = await self._reserve(now, asks, stale, spent)
        if wait:
            for name in exceeded:
                RATE_LIMITED.labels(name).inc()
            raise RateLimited(f"{message}; try again in {wait} seconds", retry_after=wait)

    async def _reserve(self, now: float, asks: list[_Ask], stale: list[tuple[str, int, int]],
                       spent: list[_Lease]) -> tuple[int, list[str]]:
        """One round trip: give back stale leases, reserve each ask's hits (every key in one statement),
        keep what fits under its limit as a lease and give the rest back. (wait, names of refusing limits)."""
        async with self.db.autocommit() as session:
            for name, start, unused in stale:
                await self.repo.unhit(session, name, start, unused)
            counts = await self.repo.hit_many(
                session, [(a.name, a.start, a.start - a.limit.window_s, a.start + 2 * a.limit.window_s, a.adds)
                          for a in asks]) if asks else {}
            wait, exceeded, fitted = 0, [], []
            for ask in asks:
                current, previous = counts[ask.name]
                fits = ask.adds  # the most of the reserved hits that are still within the limit
                while fits and wait_for(ask.limit, now, ask.start, current - ask.adds + fits, previous):
                    fits -= 1
                if not fits:
                    wait = max(wait, wait_for(ask.limit, now, ask.start, current - ask.adds + 1, previous))
                    exceeded.append(ask.limit.name)
                w = ask.limit.window_s
                rate = previous * (1 - (now - ask.start) / w) + current - (ask.adds - fits)
                fitted.append((ask, fits, rate))
            for ask, fits, rate in fitted:
                kept = 0 if wait else fits  # refused: nothing reserved here is used (nor kept from others)
                if kept < ask.adds:
                    await self.repo.unhit(session, ask.name, ask.start, ask.adds - kept)
                self._keep(ask, kept - 1, rate - (fits - kept))
            if wait:
                for lease in spent:
                    lease.left += 1
            if now - self._purged_at > PURGE_EVERY_S:
                self._purged_at = now
                await self.repo.purge(session, int(now))
                self._leases = {name: lease for name, lease in self._leases.items()
                                if lease.start + 2 * lease.window_s > now}
        return wait, exceeded

    def _keep(self, ask: _Ask, left: int, rate: float) -> None:
        lease = self._leases.get(ask.name)
        if lease is not None and lease.start == ask.start:  # another hit of this process reserved meanwhile
            lease.left += max(0, left)
            lease.rate = max(lease.rate, rate)
        else:
            self._leases[ask.name] = _Lease(ask.start, ask.limit.window_s, max(0, left), rate)


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
