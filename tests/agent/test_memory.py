"""Conversation memory on the real checkpointer (PostgreSQL): a visitor who reuses another visitor's
thread id starts from nothing, and visitors' memory is purged once it is older than
FOLIO_VISITOR_MEMORY_HOURS (by the background job too), while the owner's stays."""

import asyncio
import uuid

import psycopg
from testkit.agent import AgentDriver
from testkit.scripted_llm import reply

from agent.memory import memory_key, open_memory
from folio.actor import Actor

OWNER = Actor(email="owner@example.com", is_owner=True)
AGED = "2020-01-01T00:00:00+00:00"


def _threads(db_url: str) -> dict[str, int]:
    with psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        rows = conn.execute("SELECT thread_id, count(*) FROM checkpoints GROUP BY thread_id").fetchall()
    return dict(rows)


def _age(db_url: str, key: str) -> None:
    with psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        conn.execute("UPDATE checkpoints SET checkpoint = jsonb_set(checkpoint, '{ts}', to_jsonb(%s::text)) "
                     "WHERE thread_id = %s", (AGED, key))


async def test_a_reused_thread_id_reaches_only_the_visitors_own_memory(portfolio, llm, db_url):
    thread = str(uuid.uuid4())
    alice_key, mallory_key = memory_key(thread, "a" * 32), memory_key(thread, "b" * 32)
    async with open_memory(db_url) as memory:
        saver = await memory.ready()
        alice = AgentDriver(portfolio, llm.base_url, checkpointer=saver, visitor_id="a" * 32)
        llm.script(reply("Ferrox is a Rust project."))
        await alice.turn("Tell me about Ferrox, my codename is BLUEBIRD.", alice_key)
        mallory = AgentDriver(portfolio, llm.base_url, checkpointer=saver, visitor_id="b" * 32)
        llm.script(reply("Glint is a Rust project."))
        await mallory.turn("Tell me about Glint", mallory_key)
        kept = {key: await saver.aget_tuple({"configurable": {"thread_id": key}})
                for key in (alice_key, mallory_key)}
    assert "BLUEBIRD" in str(kept[alice_key].checkpoint)  # the memory is kept, under the visitor's key
    assert "Glint" in str(kept[mallory_key].checkpoint) and "BLUEBIRD" not in str(kept[mallory_key].checkpoint)
    assert all("BLUEBIRD" not in str(request["messages"]) for request in llm.requests[1:])
    assert {alice_key, mallory_key} <= set(_threads(db_url))


async def test_visitor_memory_expires_and_the_owners_stays(portfolio, llm, db_url):
    old_visitor, new_visitor, owner_thread = (str(uuid.uuid4()) for _ in range(3))
    async with open_memory(db_url) as memory:
        saver = await memory.ready()
        for thread, visitor in ((old_visitor, "c" * 32), (new_visitor, "d" * 32)):
            llm.script(reply("Hello."))
            await AgentDriver(portfolio, llm.base_url, checkpointer=saver, visitor_id=visitor).turn(
                "Hi", memory_key(thread, visitor))
        llm.script(reply("Hello Maya."))
        await AgentDriver(portfolio, llm.base_url, actor=OWNER, checkpointer=saver).turn(
            "Hi", memory_key(owner_thread, None))
        _age(db_url, memory_key(old_visitor, "c" * 32))
        _age(db_url, owner_thread)
        assert await memory.purge_visitors(24) == 1
        assert await memory.purge_visitors(24) == 0
    left = set(_threads(db_url))
    assert memory_key(old_visitor, "c" * 32) not in left
    assert {memory_key(new_visitor, "d" * 32), owner_thread} <= left
    with psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        for table in ("checkpoint_writes", "checkpoint_blobs"):
            orphans = conn.execute(f"SELECT count(*) FROM {table} WHERE thread_id = %s",
                                   (memory_key(old_visitor, "c" * 32),)).fetchone()[0]
            assert orphans == 0, table


async def test_the_background_job_purges_without_being_asked(portfolio, llm, db_url):
    thread = str(uuid.uuid4())
    key = memory_key(thread, "e" * 32)
    async with open_memory(db_url) as memory:
        llm.script(reply("Hello."))
        await AgentDriver(portfolio, llm.base_url, checkpointer=await memory.ready(),
                          visitor_id="e" * 32).turn("Hi", key)
    _age(db_url, key)
    assert key in _threads(db_url)
    async with open_memory(db_url, visitor_hours=0.001):  # purges every 0.9 s
        for _ in range(100):
            if key not in _threads(db_url):
                break
            await asyncio.sleep(0.1)
    assert key not in _threads(db_url)


async def test_a_memory_connection_the_server_ended_is_replaced_before_a_turn_uses_it(portfolio, llm, db_url):
    """Connections are checked before use without a round trip (agent.memory.check_idle): one that
    PostgreSQL ended (a restart, pg_terminate_backend) is seen and replaced, so the turn still works."""
    thread = str(uuid.uuid4())
    key = memory_key(thread, "f" * 32)
    async with open_memory(db_url) as memory:
        driver = AgentDriver(portfolio, llm.base_url, checkpointer=await memory.ready(), visitor_id="f" * 32)
        llm.script(reply("Ferrox is a Rust project."))
        await driver.turn("Tell me about Ferrox", key)
        async with memory.pool.connection() as conn:
            pid = conn.info.backend_pid
        with psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://")) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            for _ in range(100):  # until the ended backends are gone
                if admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()[0] == 0:
                    break
                await asyncio.sleep(0.05)
        llm.script(reply("Ferrox is written in Rust."))
        record = await driver.turn("What is it written in?", key)
        assert record.answer and "Rust" in record.answer
        state = await (await memory.ready()).aget_tuple({"configurable": {"thread_id": key}})
    assert "What is it written in?" in str(state.checkpoint)
