"""folio's own time per chat turn with a scripted instant model (issue #13's chat goal), for chat_bench.py.

The goal figure is measured on the real path of a visitor's message: Chainlit's handler
(chat/handlers.py on_message: rate limits, the conversation's agent graph, render_turn streaming into
a recording Chainlit emitter) -> agent turn (retrieve-first, plan, checked answer, PostgreSQL
checkpoints) -> tools -> services (hybrid search with the question's query embedding, relevance) ->
PostgreSQL. Each visitor is a new Chainlit session that starts as the browser's does (on_chat_start:
the welcome; timed apart, not a turn; the agent graph is built in the first turn) and asks three questions: a question about one project (the model phrases the answer), a follow-up
(made to stand alone from the thread's memory; the model answers), and a list (written from the data,
no model call). Every question's embedding is dropped from the embedder's cache before it is asked,
as for a question nobody asked before.

Below it, the agent alone (tests' AgentDriver, no Chainlit) for comparison, as the issue first measured.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable

import chainlit as cl
from testkit.agent import AgentDriver
from testkit.chainlit_session import chainlit_session, chat_runtime
from testkit.scripted_llm import Reply, ScriptedLLM, reply, tool_call

from agent.memory import open_memory
from chat import handlers as chat
from chat.identity import visitor_user

QUESTION = "Tell me about Ferrox"
LIST_QUESTION = "Which projects use Rust?"
ANSWER = "The project Ferrox is a Rust HTTP load tester."
TURN_GOAL_MS = 50  # issue #13: folio's own time per visitor turn, p95, with an instant model
WARM_UP = 5  # visitors (or agent turns) before timing
START = "chat start: the welcome, not a turn (the graph is built in the first turn)"

# A visitor's conversation through the handlers: (row, question, the text folio searches (its
# embedding is dropped from the cache before the question), what the model answers, if asked).
CONVERSATION = (
    ("question about a project (model answers)", QUESTION, QUESTION, ANSWER),
    ("follow-up from memory (model answers)", "What is it written in?", "What is the project Ferrox written in?",
     "Ferrox is written in Rust."),
    ("list from the data (no model call)", LIST_QUESTION, LIST_QUESTION, None),
)
# The agent alone: (row, question, settings, replies of the instant model).
AGENT_TURNS: dict[str, tuple[str, dict, Callable[[], list[Reply]]]] = {
    "search + checked answer": (QUESTION, {}, lambda: [reply(ANSWER)]),
    "list from the data (no model)": (LIST_QUESTION, {}, lambda: []),
    "model tool call + answer": (QUESTION, {"chat_retrieve_first": False, "llm_tool_rounds": 1},
                                 lambda: [tool_call("search_portfolio", {"query": "ferrox"}), reply(ANSWER)]),
    "plain answer (no tools)": (QUESTION, {"chat_retrieve_first": False, "llm_tool_rounds": 0},
                                lambda: [reply(ANSWER)]),
}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def load_line() -> str:
    load = os.getloadavg()
    return f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1/5/15 min) on {os.cpu_count()} cores"


async def handler_timings(services, db_url: str, visitors: int) -> dict[str, list[float]]:
    """ms per turn by row, through chat/handlers.py, `visitors` new visitors after the warm-up."""
    timings: dict[str, list[float]] = {row: [] for row, *_ in CONVERSATION}
    timings[START] = []
    with ScriptedLLM() as llm:
        async with chat_runtime(services, db_url, llm.base_url):
            for n in range(visitors + WARM_UP):
                ui = chainlit_session(visitor_user(f"bench-{uuid.uuid4().hex[:8]}"), ip=f"10.0.{n // 250}.{n % 250}")
                start = time.perf_counter()
                await chat.start()
                if n >= WARM_UP:
                    timings[START].append((time.perf_counter() - start) * 1000)
                for row, question, searched, answer in CONVERSATION:
                    llm.reset()
                    if answer is not None:
                        llm.script(reply(answer))
                    ui.clear()
                    services.search.embedder.forget(searched)
                    start = time.perf_counter()
                    await chat.on_message(cl.Message(content=question))
                    elapsed = time.perf_counter() - start
                    shown = ui.messages()[-1]["output"] if ui.messages() else ""
                    assert "Ferrox" in shown, (row, shown)
                    assert len(llm.requests) == (answer is not None), (row, llm.requests)
                    steps = ui.steps("tool")
                    assert not steps or json.loads(steps[0]["input"])["query"] == searched, (row, steps)
                    if n >= WARM_UP:
                        timings[row].append(elapsed * 1000)
    return timings


async def agent_timings(services, db_url: str, turns: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {name: [] for name in AGENT_TURNS}
    with ScriptedLLM() as llm:
        async with open_memory(db_url) as memory:
            saver = await memory.ready()
            for n in range(turns + WARM_UP):
                for name, (question, settings, replies) in AGENT_TURNS.items():
                    llm.reset()
                    llm.script(*replies())
                    driver = AgentDriver(services, llm.base_url, checkpointer=saver, **settings)
                    services.search.embedder.forget(question)
                    start = time.perf_counter()
                    record = await driver.turn(question)
                    elapsed = time.perf_counter() - start
                    assert record.answer and "Ferrox" in record.answer, record.events
                    if n >= WARM_UP:
                        timings[name].append(elapsed * 1000)
    return timings


def _table(timings: dict[str, list[float]], head: bool = True) -> None:
    if head:
        print(f"  {'turn':46} {'p50':>7} {'p95':>7}")
    for name, values in timings.items():
        print(f"  {name:46} {pct(values, 50):>7.1f} {pct(values, 95):>7.1f}")


async def overhead_figures(services, db_url: str, turns: int, agent_rows: bool = True) -> float:
    """Print the figures; returns the goal's measure (p95 ms over every visitor turn)."""
    timings = await handler_timings(services, db_url, turns)
    every = [v for row, values in timings.items() if row != START for v in values]
    print(f"\nfolio's own time per visitor turn, scripted instant model, through chat/handlers.py "
          f"({turns} visitors x {len(CONVERSATION)} questions; ms, the question's query embedding included)")
    _table({**{row: v for row, v in timings.items() if row != START}, "every visitor turn": every})
    _table({START: timings[START]}, head=False)
    if agent_rows:
        print(f"\nThe agent alone (AgentDriver: a graph built per turn, no Chainlit), {turns} turns each (ms)")
        _table(await agent_timings(services, db_url, turns))
    visitor = pct(every, 95)
    print(f"  {load_line()}")
    print("goal: measured / goal")
    print(f"  folio's own time per visitor turn, p95       {visitor:>7.1f} ms / <= {TURN_GOAL_MS} ms  "
          f"{'met' if visitor <= TURN_GOAL_MS else 'MISSED'}")
    return visitor
