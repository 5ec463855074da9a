"""Sliding-window rate limits kept in memory (one folio process serves the chat)."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from folio.errors import RateLimited

MAX_KEYS = 50_000  # oldest keys are forgotten beyond this, so memory stays bounded


class SlidingWindowLimiter:
    """At most `limit` hits per key in any `window` seconds."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may hit again; 0 when it may now."""
        now = self.clock()
        hits = self._prune(key, now)
        if len(hits) < self.limit:
            return 0
        return max(1, math.ceil(hits[0] + self.window - now))

    def hit(self, key: str) -> None:
        now = self.clock()
        hits = self._prune(key, now)
        hits.append(now)
        if len(self._hits) > MAX_KEYS:
            self._hits.pop(next(iter(self._hits)))

    def _prune(self, key: str, now: float) -> deque[float]:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits


class ChatRateLimit:
    """Visitors' chat messages: limited per visitor id and per client IP; the owner is not limited."""

    def __init__(self, per_visitor: int, per_ip: int, window: float,
                 clock: Callable[[], float] = time.monotonic):
        self.visitors = SlidingWindowLimiter(per_visitor, window, clock)
        self.ips = SlidingWindowLimiter(per_ip, window, clock)

    def check(self, visitor_id: str | None, ip: str | None) -> None:
        """Count one message, or raise RateLimited (counting nothing) when either limit is reached."""
        keys = [(lim, key) for lim, key in ((self.visitors, visitor_id), (self.ips, ip)) if key]
        wait = max((lim.retry_after(key) for lim, key in keys), default=0)
        if wait:
            raise RateLimited(f"too many messages; try again in {wait} seconds", retry_after=wait)
        for lim, key in keys:
            lim.hit(key)
