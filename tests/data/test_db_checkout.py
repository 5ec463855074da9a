"""Pooled connections are checked on checkout without a round trip (data.db): one the server ended
(pg_terminate_backend, as a restart does) is replaced before a request uses it, on both pools."""

import asyncio

import psycopg
from sqlalchemy import text


def _terminate_others(db_url: str) -> None:
    with psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as admin:
        pids = [r[0] for r in admin.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                            "AND pid <> pg_backend_pid()").fetchall()]
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


async def test_a_connection_the_server_ended_is_replaced_on_checkout(services, db_url, visitor):
    async with services.db.unit_of_work() as session:
        await session.execute(text("SELECT 1"))
    async with services.db.read() as session:
        await session.execute(text("SELECT 1"))
    _terminate_others(db_url)
    await asyncio.sleep(0.3)  # the ended backends have said so and closed their sockets
    async with services.db.read() as session:  # the autocommit read pool
        assert (await session.execute(text("SELECT 2"))).scalar() == 2
    async with services.db.unit_of_work() as session:  # the transactional pool
        assert (await session.execute(text("SELECT 3"))).scalar() == 3
    assert (await services.projects.list(visitor)).total == 0
