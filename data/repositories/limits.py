"""All SQL for the state every process shares to limit abuse: rate-limit counters and the login
throttle. No rules here: folio.services.ratelimit and folio.services.auth decide."""

from __future__ import annotations

from sqlalchemy import delete, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import LoginThrottle, RateCounter


_HIT = text("""
    WITH current AS (
        INSERT INTO rate_counters AS c (key, window_start, hits, expires_at)
        VALUES (:key, :start, 1, :expires)
        ON CONFLICT (key, window_start) DO UPDATE SET hits = c.hits + 1
        RETURNING c.hits)
    SELECT current.hits,
           (SELECT p.hits FROM rate_counters AS p WHERE p.key = :key AND p.window_start = :previous)
    FROM current""")


class RateCounterRepository:
    async def hit(self, session: AsyncSession, key: str, window_start: int, previous_start: int,
                  expires_at: int) -> tuple[int, int]:
        """Count one hit in the current window (one atomic upsert); returns (hits in this window,
        hits in the previous one). One statement, one round trip."""
        row = (await session.execute(_HIT, {"key": key, "start": window_start, "previous": previous_start,
                                            "expires": expires_at})).one()
        return int(row[0]), int(row[1] or 0)

    async def unhit(self, session: AsyncSession, key: str, window_start: int) -> None:
        """Take back one counted hit (a refused one)."""
        await session.execute(update(RateCounter)
                              .where(RateCounter.key == key, RateCounter.window_start == window_start)
                              .values(hits=RateCounter.hits - 1))

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
