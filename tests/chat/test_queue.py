"""Visitors take turns on the chat model (chat/queue.py): as many at once as it has slots, first come
first served, one place per client address, each waiting visitor told how many people are ahead."""

import asyncio
from dataclasses import replace

import chainlit as cl
import pytest
from testkit.chainlit_session import chainlit_session, chat_runtime
from testkit.scripted_llm import query

from chat import handlers as chat
from chat.identity import visitor_user
from chat.queue import ModelQueue
from folio import prompts


async def _hold(queue: ModelQueue, address: str, log: list, release: asyncio.Event, told: list | None = None):
    async def tell(ahead: int) -> None:
        if told is not None:
            told.append(ahead)

    async with queue.turn(address, tell):
        log.append(("in", address))
        await release.wait()
        log.append(("out", address))


async def _settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


async def test_as_many_visitors_as_slots_at_once_the_rest_in_line_first_come_first_served():
    queue, log = ModelQueue(2), []
    releases = {a: asyncio.Event() for a in "abcd"}
    told: dict[str, list] = {a: [] for a in "abcd"}
    tasks = []
    for address in "abcd":
        tasks.append(asyncio.create_task(_hold(queue, address, log, releases[address], told[address])))
        await _settle()
    assert log == [("in", "a"), ("in", "b")] and queue.waiting == 2
    assert told["c"] == [2] and told["d"] == [3]  # two being answered (+ c in front of d)
    releases["b"].set()
    await _settle()
    assert log[-2:] == [("out", "b"), ("in", "c")]
    assert told["d"][-1] == 2  # the line moved: d is told
    releases["a"].set()
    await _settle()
    assert log[-1] == ("in", "d") and queue.waiting == 0
    for event in releases.values():
        event.set()
    await asyncio.gather(*tasks)
    assert queue.serving == 0 and told["a"] == [] and told["b"] == []  # never waited, never told


async def test_one_address_never_holds_two_slots_and_those_behind_it_go_first():
    queue, log = ModelQueue(2), []
    first, second, other = asyncio.Event(), asyncio.Event(), asyncio.Event()
    told: list[int] = []
    tasks = [asyncio.create_task(_hold(queue, "same", log, first))]
    await _settle()
    tasks.append(asyncio.create_task(_hold(queue, "same", log, second, told)))
    await _settle()
    tasks.append(asyncio.create_task(_hold(queue, "other", log, other)))
    await _settle()
    assert log == [("in", "same"), ("in", "other")]  # a free slot, but not for a second place of "same"
    # its own first question is ahead of it; then "other", which went first, is being answered too
    assert told == [1, 2]
    first.set()
    await _settle()
    assert log[-1] == ("in", "same")
    second.set(), other.set()
    await asyncio.gather(*tasks)


async def test_a_visitor_who_leaves_the_line_frees_their_place():
    queue, log = ModelQueue(1), []
    held, waiting = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(_hold(queue, "a", log, held))
    await _settle()
    gone = asyncio.create_task(_hold(queue, "b", log, waiting))
    await _settle()
    gone.cancel()
    with pytest.raises(asyncio.CancelledError):
        await gone
    assert queue.waiting == 0
    held.set()
    await first
    assert queue.serving == 0 and ("in", "b") not in log


async def test_a_waiting_visitor_sees_how_many_people_are_ahead_until_their_question_is_read(portfolio, db_url, llm):
    llm.respond_with(lambda body: replace(query(intent="describe", items=["project:ferrox"]), delay=1.0))
    async with chat_runtime(portfolio, db_url, llm.base_url, llm_parallel=1):

        async def visitor(name: str, ip: str, after: float):
            await asyncio.sleep(after)
            ui = chainlit_session(visitor_user(name), ip=ip)
            await chat.on_message(cl.Message(content="Tell me about Ferrox"))
            return ui

        first, second = await asyncio.gather(visitor("v1", "10.0.0.1", 0), visitor("v2", "10.0.0.2", 0.3))
    ahead = prompts.QUEUE_AHEAD.format(ahead=1, people="person")
    assert not any(e == "send_step" and d.get("output") == ahead for e, d in first.events)
    shown = [d for e, d in second.events if e == "send_step" and d.get("output") == ahead]
    assert len(shown) == 1  # told at once ...
    removed = [i for i, (e, d) in enumerate(second.events) if e == "delete_step" and d["id"] == shown[0]["id"]]
    steps = [i for i, (e, d) in enumerate(second.events) if e == "send_step" and d.get("name") == "understand"]
    assert removed and steps and removed[0] < steps[0]  # ... and the notice goes when the question is read
    [answer] = second.messages()
    assert answer["output"].startswith("Ferrox (project)")
    assert len(llm.requests) == 2
