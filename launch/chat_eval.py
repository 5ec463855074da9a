"""Run the labelled chat questions through the real visitor chat (agent, tools, search, PostgreSQL and a
real chat model) and score the answers (folio/services/chat_eval.py). Used by `folio eval --chat`.

In a scratch embedded PostgreSQL: the demo portfolio plus a second one made of real third-party text
(data/eval/packages_portfolio.json: PyPI package summaries as projects). The model is the embedded
llama-server (as `make run` starts it) unless FOLIO_LLM_BASE_URL is set. Not run in CI: slow.

    python -m launch.chat_eval [--limit N] [--label after] [--out run.json] [--compare before.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from langgraph.checkpoint.memory import InMemorySaver

from agent.configuration import Configuration
from agent.graph import build_agent
from agent.turn import LLM_ERRORS, Final, Token, run_turn
from folio.actor import Actor
from folio.llm import ChatEndpoint, chat_model
from folio.services.chat_eval import (SECOND_PORTFOLIO, Outcome, Question, Summary, judge, load_questions,
                                      summarize, table)
from folio.services.inbox import Origin
from folio.settings import load_settings
from tools import ToolContext

VISITOR = Actor()


def first_questions(questions: list[Question], limit: int | None) -> list[Question]:
    """The first `limit` questions, never cutting a thread in half."""
    if limit is None or limit >= len(questions):
        return questions
    chosen = questions[:limit]
    threads = {q.thread for q in chosen if q.thread}
    return chosen + [q for q in questions[limit:] if q.thread in threads]


async def ask_all(services, endpoint: ChatEndpoint, questions: list[Question],
                  progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    settings = load_settings()
    config = Configuration.for_actor(VISITOR, settings)
    model = chat_model(endpoint, temperature=0.0, max_tokens=config.max_tokens, max_retries=0)
    memory = InMemorySaver()
    threads: dict[str, str] = {}
    outcomes = []
    for q in questions:
        thread = threads.setdefault(q.thread, str(uuid.uuid4())) if q.thread else str(uuid.uuid4())
        agent = build_agent(ToolContext(VISITOR, services, Origin(thread, "eval")), model, config, memory)
        start = time.perf_counter()
        first, answer = None, ""
        try:
            async for event in run_turn(agent, q.question, thread):
                if isinstance(event, (Token, Final)) and first is None:
                    first = time.perf_counter()
                if isinstance(event, Final):
                    answer = event.text
        except LLM_ERRORS as exc:
            answer = f"(chat model error: {exc})"
        end = time.perf_counter()
        outcome = judge(q, answer, (first or end) - start, end - start)
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    return outcomes


async def _run(url: str, limit: int | None, progress) -> list[Outcome]:
    from folio.services.seed import seed_demo
    from launch.composition import configured_chat_endpoint, local_llm_for, open_services, prepare_local_model

    settings = load_settings()
    services = open_services(url)
    server = None
    try:
        await services.indexer.prepare(services.db)
        await seed_demo(services)
        await seed_demo(services, SECOND_PORTFOLIO)
        if settings.llm_base_url:
            endpoint = configured_chat_endpoint(settings)
        else:
            prepare_local_model(settings, show_progress=True)
            server = local_llm_for(settings, "llama-server-eval.log").start()
            if not await asyncio.to_thread(server.wait_ready, 300):
                raise RuntimeError(f"llama-server did not start: {server.error}")
            endpoint = server.endpoint
        return await ask_all(services, endpoint, first_questions(load_questions(), limit), progress)
    finally:
        if server is not None:
            server.stop()
        await services.db.dispose()


def run(limit: int | None = None, progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Everything in a throwaway embedded database: the real portfolio is never touched."""
    from data import migrate
    from data.embedded_pg import EmbeddedPostgres

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: still stop the scratch database
    scratch = Path(tempfile.mkdtemp(prefix="fchat", dir="/tmp"))
    server = EmbeddedPostgres(scratch / "pg")
    url = load_settings().sqlalchemy_url(server.start())
    try:
        migrate.upgrade(url)
        return asyncio.run(_run(url, limit, progress))
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def report(outcomes: list[Outcome], label: str, out: Path | None, compare: Path | None) -> str:
    summary = summarize(outcomes)
    columns: dict[str, Summary] = {}
    if compare is not None and compare.exists():
        previous = json.loads(compare.read_text())
        columns[previous["label"]] = Summary(**previous["summary"])
    columns[label] = summary
    if out is not None:
        out.write_text(json.dumps({"label": label, "load_average": os.getloadavg(), "summary": asdict(summary),
                                   "answers": [{"question": o.question.question, "type": o.question.type,
                                                "correct": o.correct, "claim": o.claim, "cited": sorted(o.cited),
                                                "first_token_s": round(o.first_token_s, 2),
                                                "total_s": round(o.total_s, 2), "answer": o.answer}
                                               for o in outcomes]}, indent=1))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{table(columns)}\n(load average {load}, {os.cpu_count()} CPUs)"


def line(outcome: Outcome) -> str:
    mark = "ok " if outcome.correct else "BAD"
    return (f"{mark} {outcome.question.type:11} {outcome.total_s:5.1f}s {outcome.question.question[:60]!r} -> "
            f"{' '.join(outcome.answer.split())[:110]!r}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions (threads kept whole)")
    parser.add_argument("--label", default="this run")
    parser.add_argument("--out", type=Path, default=None, help="write answers and figures as JSON")
    parser.add_argument("--compare", type=Path, default=None, help="an earlier --out file, shown side by side")
    args = parser.parse_args()
    done: list[Outcome] = []

    def progress(outcome: Outcome) -> None:  # figures so far are kept even if the run is stopped
        done.append(outcome)
        print(line(outcome), flush=True)
        if args.out is not None:
            report(done, args.label, args.out, None)

    results = run(args.limit, progress=progress)
    print(report(results, args.label, args.out, args.compare))
