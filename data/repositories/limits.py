"""All SQL for the state every process shares to limit abuse: rate-limit counters and the login
throttle. No rules here: folio.services.ratelimit and folio.services.auth decide."""

from __future__ import annotations

from sqlalchemy import delete, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import LoginThrottle, RateCounter


# Several keys in one statement (a chat message counts for its visitor and its address), each adding its
# own number of hits (a process reserves a few at once: folio.services.ratelimit), upserted in key order
# so that concurrent statements on the same keys never deadlock.
_HIT_MANY = text("""
    WITH input AS (
        SELECT * FROM unnest(CAST(:keys AS text[]), CAST(:starts AS bigint[]), CAST(:previous AS bigint[]),
                             CAST(:expires AS bigint[]), CAST(:adds AS integer[]))
                   AS i(key, start, previous, expires, adds)),
    current AS (
        INSERT INTO rate_counters AS c (key, window_start, hits, expires_at)
        SELECT key, start, adds, expires FROM input ORDER BY key, start
        ON CONFLICT (key, window_start) DO UPDATE SET hits = c.hits + EXCLUDED.hits
        RETURNING c.key, c.window_start, c.hits)
    SELECT i.key, current.hits,
           (SELECT p.hits FROM rate_counters AS p WHERE p.key = i.key AND p.window_start = i.previous)
    FROM input AS i JOIN current ON current.key = i.key AND current.window_start = i.start""")


class RateCounterRepository:
    async def hit_many(self, session: AsyncSession,
                       hits: list[tuple[str, int, int, int, int]]) -> dict[str, tuple[int, int]]:
        """Add `adds` hits for each distinct (key, window_start, previous_start, expires_at, adds), atomic
        upserts in one statement, one round trip; returns key -> (hits in this window, in the previous one)."""
        rows = (await session.execute(_HIT_MANY, {"keys": [h[0] for h in hits], "starts": [h[1] for h in hits],
                                                  "previous": [h[2] for h in hits],
                                                  "expires": [h[3] for h in hits],
                                                  "adds": [h[4] for h in hits]})).all()
        return {row[0]: (int(row[1]), int(row[2] or 0)) for row in rows}

    async def unhit(self, session: AsyncSession, key: str, window_start: int, hits: int = 1) -> None:
        """Take back counted hits (refused ones, or reserved ones a process did not use)."""
        await session.execute(update(RateCounter)
                              .where(RateCounter.key == key, RateCounter.window_start == window_start)
                              .values(hits=RateCounter.hits - hits))

    async def purge(self, session: AsyncSession, now: int) -> int:
        result = await session.execute(delete(RateCounter).where(RateCounter.expires_at < now))
        return result.rowcount or 0


class LoginThrottleRepository:
    async def lock(self, session: AsyncSession, keys: list[str], now: float) -> dict[str, LoginThrottle]:
        """The rows of these keys (created when missing), locked until the transaction ends; keys are
        locked in sorted order so concurrent tries never deadlock."""
        ordered = sorted(set(keys))
        await session.execute(insert(LoginThrottle)
                              .values([{"key": k, "attempts": 0, "blocked_until": 0.0, "last_at": now}
                                       for k in ordered])
                              .on_conflict_do_nothing(index_elements=[LoginThrottle.key]))
        rows = await session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(ordered))
                                     .order_by(LoginThrottle.key).with_for_update(),
                                     execution_options={"populate_existing": True})
        return {row.key: row for row in rows}

    async def save(self, session: AsyncSession, row: LoginThrottle, *, attempts: int, blocked_until: float,
                   last_at: float) -> None:
        row.attempts, row.blocked_until, row.last_at = attempts, blocked_until, last_at
        await session.flush()

    async def clear(self, session: AsyncSession, keys: list[str]) -> None:
        await session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(keys)))

    async def purge(self, session: AsyncSession, before: float) -> int:
        result = await session.execute(delete(LoginThrottle).where(LoginThrottle.last_at < before,
                                                                   LoginThrottle.blocked_until < before))
        return result.rowcount or 0
