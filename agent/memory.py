"""Conversation memory: LangGraph's PostgreSQL checkpointer, who may read which thread, and how long
a visitor's memory lives.

- A visitor's memory is keyed by the signed-in visitor id AND Chainlit's thread id
  (`visitor:<visitor id>:<thread id>`): the thread id comes from the browser, so another visitor who
  guesses or reuses it reaches only a key of their own. The owner's threads keep the plain thread id
  (Chainlit checks a resumed thread's author, and the owner's history lists them).
- Visitors' memory expires FOLIO_VISITOR_MEMORY_HOURS after its last message: a background job in every
  app process deletes it (the delete is idempotent, so several processes may run it at once).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from psycopg import AsyncConnection, OperationalError
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from data.db import socket_readable

log = logging.getLogger(__name__)

VISITOR_PREFIX = "visitor:"
MAX_PURGE_EVERY = 900.0  # seconds between purges at most

_PURGE = """
WITH expired AS (
    SELECT thread_id FROM checkpoints WHERE starts_with(thread_id, %(prefix)s)
    GROUP BY thread_id HAVING max((checkpoint->>'ts')::timestamptz) < now() - make_interval(secs => %(age)s)),
writes AS (DELETE FROM checkpoint_writes w USING expired e WHERE w.thread_id = e.thread_id),
blobs AS (DELETE FROM checkpoint_blobs b USING expired e WHERE b.thread_id = e.thread_id)
DELETE FROM checkpoints c USING expired e WHERE c.thread_id = e.thread_id RETURNING c.thread_id
"""


def memory_key(thread_id: str, visitor_id: str | None) -> str:
    """The checkpointer's thread id for Chainlit's `thread_id` (None visitor id: the owner)."""
    if visitor_id is None:
        return thread_id
    return f"{VISITOR_PREFIX}{visitor_id}:{thread_id}"


def libpq_url(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


async def check_idle(conn: AsyncConnection) -> None:
    """The pool's check of a connection before use, without a round trip in the usual case: an idle
    connection has nothing to read unless the server ended it (a restart, pg_terminate_backend, an idle
    timeout: PostgreSQL says so and closes the socket) or sent a notice; only then the full check runs
    (an empty query), and a dead connection is replaced before it is handed out. A turn takes several
    connections from this pool: a round trip each was ~10 of a visitor turn's statements (issue #13)."""
    if conn.closed or conn.broken:
        raise OperationalError("the connection is closed")
    if socket_readable(conn.fileno()):
        await AsyncConnectionPool.check_connection(conn)


class Memory:
    """Its tables are created by the checkpointer's own `setup()`: started in the background when the
    app starts (the app must come up even while the database is down) and awaited before the first turn."""

    def __init__(self, pool: AsyncConnectionPool):
        self.pool = pool
        self.saver = AsyncPostgresSaver(pool)
        self._ready = False
        self._lock = asyncio.Lock()

    async def ready(self) -> AsyncPostgresSaver:
        if not self._ready:
            async with self._lock:
                if not self._ready:
                    await self.saver.setup()
                    self._ready = True
        return self.saver

    async def purge_visitors(self, older_than_hours: float) -> int:
        """Delete visitors' threads whose last checkpoint is older than that; returns how many."""
        await self.ready()
        async with self.pool.connection() as conn:
            rows = await (await conn.execute(_PURGE, {"prefix": VISITOR_PREFIX,
                                                      "age": older_than_hours * 3600})).fetchall()
        return len({row["thread_id"] for row in rows})

    async def purge_forever(self, hours: float) -> None:
        every = min(MAX_PURGE_EVERY, hours * 3600 / 4)
        while True:
            try:
                purged = await self.purge_visitors(hours)
                if purged:
                    log.info("purged the memory of %d visitor conversation(s) older than %s h", purged, hours)
            except Exception as exc:  # the database is down: try again next time
                log.warning("visitor memory purge failed: %s", exc)
            await asyncio.sleep(every)


async def _prepare(memory: Memory) -> None:
    try:
        await memory.ready()
    except Exception as exc:  # retried at the first chat turn
        log.warning("chat memory tables not ready yet: %s", exc)


@asynccontextmanager
async def open_memory(database_url: str, visitor_hours: float | None = None,
                      statement_timeout_ms: int = 5000) -> AsyncIterator[Memory]:
    """The memory, with the visitors' purge running in the background when `visitor_hours` is given.
    Connections are checked before use (a PostgreSQL restart costs nothing once it is back up), and
    visitors' turns cannot hold a statement longer than the app's statement timeout."""
    pool = AsyncConnectionPool(libpq_url(database_url), min_size=1, max_size=4, open=False, timeout=10,
                               check=check_idle,
                               kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row,
                                       "options": f"-c statement_timeout={statement_timeout_ms}"})
    await pool.open(wait=False)
    memory = Memory(pool)
    tasks = [asyncio.create_task(_prepare(memory))]
    if visitor_hours is not None:
        tasks.append(asyncio.create_task(memory.purge_forever(visitor_hours)))
    try:
        yield memory
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with suppress(asyncio.CancelledError, Exception):
                await task
        await pool.close()
