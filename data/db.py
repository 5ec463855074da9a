"""Engine and the one session-per-unit-of-work helper."""

from __future__ import annotations

import select
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import (AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker,
                                    create_async_engine)

T = TypeVar("T")
#: Connections of the one-statement read pool (search): a few, beside the engine's and the read pool's.
QUICK_POOL = 5


def _connect_args(statement_timeout_ms: int | None) -> dict:
    # A query that runs away (or a hostile search) is cancelled by PostgreSQL itself.
    return {"options": f"-c statement_timeout={statement_timeout_ms}"} if statement_timeout_ms else {}


def socket_readable(fd: int) -> bool:
    """Has an idle connection's socket anything to read (the server ended it, or sent a notice)?"""
    if hasattr(select, "poll"):  # any descriptor number (select() stops at 1024)
        poll = select.poll()
        poll.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
        return bool(poll.poll(0))
    return bool(select.select([fd], [], [], 0)[0])


def _check_on_checkout(dbapi_connection, connection_record, connection_proxy) -> None:
    """A pooled connection is checked before it is handed out, without a round trip: an idle connection
    has nothing to read unless the server ended it (a restart, pg_terminate_backend, an idle timeout:
    PostgreSQL says so and closes the socket) or sent a notice. Then it is dropped and the pool opens
    a fresh one, so a PostgreSQL restart costs errors only while it is down, never afterwards. (A
    pre-ping was a round trip per checkout: three of a chat turn's ten statements, issue #13.)"""
    conn = getattr(dbapi_connection, "driver_connection", dbapi_connection)
    if conn.closed or conn.broken or socket_readable(conn.fileno()):
        raise DisconnectionError("the server ended this connection")


def _checked(engine: AsyncEngine) -> AsyncEngine:
    event.listen(engine.sync_engine.pool, "checkout", _check_on_checkout)
    return engine


def make_engine(url: str, pool_size: int = 20, statement_timeout_ms: int | None = None) -> AsyncEngine:
    # Overflow connections are closed on return, which churns connections under load:
    # size the pool for the expected concurrency instead. Connections are checked on checkout.
    return _checked(create_async_engine(url, pool_size=pool_size, max_overflow=0,
                                        connect_args=_connect_args(statement_timeout_ms)))


class Database:
    def __init__(self, engine: AsyncEngine, statement_timeout_ms: int | None = None):
        self.engine = engine
        self.sessionmaker = async_sessionmaker(engine, expire_on_commit=False)
        # Reads get their own autocommit pool: one round trip a query (no BEGIN/COMMIT, no reset on
        # return, no isolation switching on checkout), the hot path of GET requests. It serves
        # visitors, so its statements are always time-limited.
        pool_size = engine.pool.size() if hasattr(engine.pool, "size") else 5
        self.read_engine = _checked(create_async_engine(
            engine.url, pool_size=pool_size, max_overflow=0, isolation_level="AUTOCOMMIT",
            pool_reset_on_return=None, connect_args=_connect_args(statement_timeout_ms or 5000)))
        self._reader = async_sessionmaker(self.read_engine, expire_on_commit=False)
        # One-statement reads (search) skip the pre-ping round trip: a statement that fails because its
        # pooled connection died (a PostgreSQL restart) is run again once on a new connection instead
        # (SQLAlchemy invalidates the whole pool on a disconnect), so it still works at once afterwards.
        self.quick_engine = create_async_engine(engine.url, pool_size=QUICK_POOL, max_overflow=0,
                                                isolation_level="AUTOCOMMIT", pool_reset_on_return=None,
                                                connect_args=_connect_args(statement_timeout_ms or 5000))

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One session: commit when the block succeeds, roll back when it raises."""
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only: each statement sees the latest committed data; nothing is written."""
        async with self._reader() as session:
            yield session

    @asynccontextmanager
    async def autocommit(self) -> AsyncIterator[AsyncSession]:
        """A session whose every statement commits on its own (single-statement writes: counters)."""
        async with self._reader() as session:
            yield session

    @asynccontextmanager
    async def read_connection(self) -> AsyncIterator[AsyncConnection]:
        """A bare connection of the read pool (autocommit, time-limited): one round trip per statement
        and no ORM session (a hot read that builds its objects itself)."""
        async with self.read_engine.connect() as conn:
            yield conn

    async def read_once(self, statement: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run one read-only statement on the quick pool: one round trip; retried once on a dead connection."""
        for attempt in (1, 2):
            try:
                async with self.quick_engine.connect() as conn:
                    return await statement(conn)
            except DBAPIError as exc:
                if attempt == 2 or not exc.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    async def ping(self) -> None:
        """Raise unless the database answers a trivial query."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
        await self.read_engine.dispose()
        await self.quick_engine.dispose()
