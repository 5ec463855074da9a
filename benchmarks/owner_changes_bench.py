"""How often the owner's plain-language requests produce exactly the right confirmed change, with the real
chat model (default: the embedded llama-server with Qwen2.5-Coder-1.5B; or any OpenAI-compatible server).

The requests (benchmarks/owner_cases.py: create, update, fix a typo found by description, delete,
publish, draft + revise + save, inbox, questions) run against a throwaway embedded PostgreSQL holding the
demo portfolio, each in its own thread, through the owner chat's own code (agent.owner_requests: the
structured classifier, the resolver, field extraction; drafting; the agent for questions). When folio
asks a question the owner would answer it: a missing field gets the case's answer, a choice of items gets
the expected one (either counts as one clarifying question). A request is right when exactly the expected
change is proposed, with the values asked for and nothing invented, and confirming it applies it.

Prints: the share exactly right, the share that needed a clarifying question, failures by kind, time per
request, raw tool-call JSON shown to the owner, and wrong proposals (a change a Confirm would have
written to the wrong item or with the wrong action).

    .venv/bin/python benchmarks/owner_changes_bench.py [--llm-url http://127.0.0.1:8080/v1] [--only 1,4]
        [--groups create,delete]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from owner_cases import CASES, Case, diff  # noqa: E402

from agent import drafting  # noqa: E402
from agent.configuration import Configuration  # noqa: E402
from agent.graph import build_agent  # noqa: E402
from agent.grounding import has_raw_call  # noqa: E402
from agent.owner_requests import OwnerRequests  # noqa: E402
from agent.turn import Final, run_turn  # noqa: E402
from folio.actor import Actor  # noqa: E402
from folio.llm import ChatEndpoint, chat_model  # noqa: E402
from launch.composition import database_url, open_services, upgrade_schema  # noqa: E402
from folio.services import Services  # noqa: E402
from folio.services.inbox import Origin  # noqa: E402
from folio.services.seed import seed_demo  # noqa: E402
from folio.settings import load_settings  # noqa: E402
from tools import ToolContext  # noqa: E402


@dataclass
class Result:
    ok: bool
    asked: int
    seconds: float
    failure: str  # "" when right
    detail: str
    raw_json: int = 0
    wrong_write: bool = False


class BenchChat:
    """The owner chat without its UI: what chat/owner_chat.py does with each message."""

    def __init__(self, services: Services, endpoint: ChatEndpoint, actor: Actor):
        self.services, self.endpoint, self.actor = services, endpoint, actor
        self.config = Configuration.for_actor(actor, load_settings())
        self.requests = OwnerRequests(services, chat_model(endpoint, temperature=0.0, max_tokens=300,
                                                           streaming=False))
        self.writer = chat_model(endpoint, temperature=0.4, max_tokens=700)

    async def run(self, case: Case) -> Result:
        thread, started = str(uuid.uuid4()), time.monotonic()
        draft, waiting, asked, shown, trace = None, None, 0, [], []
        for text in (case.says, *case.then):
            outcome = await self.requests.handle(self.actor, text, draft_title=draft.title if draft else None,
                                                 waiting=waiting, thread_id=thread)
            trace.append(outcome.request.intent if outcome.request else "answer")
            if outcome.waiting and outcome.waiting.get("ask") == "which" and case.expect:
                asked += 1
                shown.append(outcome.text)
                slug = case.expect[2]
                outcome = await self.requests.choose(self.actor, outcome.waiting, case.expect[1], slug, thread) \
                    if any(c["slug"] == slug for c in outcome.waiting["choices"]) else outcome
            elif outcome.waiting and outcome.waiting.get("ask") == "fields" and case.answer:
                asked += 1
                shown.append(outcome.text)
                outcome = await self.requests.handle(self.actor, case.answer, waiting=outcome.waiting,
                                                     thread_id=thread)
            waiting = outcome.waiting
            if outcome.text:
                shown.append(outcome.text)
            if outcome.to_agent:
                shown.append(await self._agent(text, thread))
            elif outcome.drafting:
                draft = await self._draft(outcome.request.intent, text, draft, thread, trace)
        return await self._judge(case, thread, time.monotonic() - started, asked, shown, " > ".join(trace))

    async def _agent(self, text: str, thread: str) -> str:
        ctx = ToolContext(self.actor, self.services, Origin(thread, None))
        agent = build_agent(ctx, chat_model(self.endpoint, temperature=self.config.temperature,
                                            max_tokens=self.config.max_tokens), self.config)
        return next((e.text for e in [e async for e in run_turn(agent, text, thread)] if isinstance(e, Final)), "")

    async def _draft(self, step: str, text: str, draft, thread: str, trace: list[str]):
        if step == "new_draft":
            hits = await self.services.search.search(self.actor, text, limit=3)
            new = await drafting.compose(self.writer, drafting.writer_messages_new(text, hits))
            trace.append(f"v1 {drafting.word_count(new.body) if new else 0} words")
            return new
        if step == "revise_draft" and draft is not None:
            goals = drafting.goals_of(text, draft)
            new = await drafting.compose(self.writer, drafting.writer_messages_revise(draft, text, goals), draft,
                                         goals) or draft
            trace.append(f"v{new.version} {drafting.word_count(new.body)} words (was {drafting.word_count(draft.body)}),"
                         f" code {drafting.has_code(new.body)}")
            self.shorter_ok = drafting.word_count(new.body) < drafting.word_count(draft.body)
            return new
        if step in ("save_draft", "publish_draft") and draft is not None:
            propose = self.services.drafts.propose_publish if step == "publish_draft" else self.services.drafts.propose_save
            await propose(self.actor, draft, thread_id=thread)
        return draft

    async def _judge(self, case: Case, thread: str, seconds: float, asked: int, shown: list[str],
                     trace: str) -> Result:
        changes = await self.services.changes.pending(self.actor, thread)
        raw = sum(has_raw_call(s or "") for s in shown)
        said = " | ".join(s[:100].replace("\n", " ") for s in shown if s)
        if case.expect is None:
            failure = "" if not changes else "unwanted change"
            return Result(not changes, asked, seconds, failure, f"{len(changes)} change(s); {trace}; {said}", raw,
                          wrong_write=bool(changes))
        if len(changes) != 1:
            return Result(False, asked, seconds, "no change proposed" if not changes else "several changes",
                          f"{len(changes)} change(s); {trace}; {said}", raw)
        change = changes[0]
        action, kind, slug = case.expect
        actions = {action, *(case.extra.get("also", ())[:1])}
        detail = f"{change.action} {change.kind} {change.slug} {change.fields or diff(change)}; {trace}; {said}"
        if change.kind != kind or (slug is not None and change.slug != slug):
            return Result(False, asked, seconds, "wrong item", detail, raw, wrong_write=True)
        if change.action not in actions:
            return Result(False, asked, seconds, "wrong action", detail, raw, wrong_write=True)
        try:
            right = case.check(change) and (not case.extra.get("shorter") or getattr(self, "shorter_ok", False))
        except (KeyError, TypeError):
            right = False
        if not right:
            return Result(False, asked, seconds, "wrong or invented values", detail, raw, wrong_write=True)
        await self.services.changes.confirm(self.actor, change.id, thread_id=thread)
        return Result(True, asked, seconds, "", detail, raw)


async def plant(services: Services, actor: Actor, case: Case) -> None:
    if case.plant is None:
        return
    kind, slug, field, right, typo = case.plant
    spec = services.content(kind).spec
    item = await services.content(kind).get(actor, slug)
    text = getattr(item, field) or ""
    await services.content(kind).update(actor, slug, spec.update.model_validate(
        {field: text.replace(right, typo, 1) if right in text else f"{text} {typo}".strip()}))


async def main_async(args) -> None:
    settings = load_settings(data_dir=tempfile.mkdtemp(prefix="fob", dir="/tmp"), llm_base_url=args.llm_url)
    local = None
    if args.llm_url:
        endpoint = ChatEndpoint(args.llm_url, args.model)
    else:
        from launch.composition import local_llm_for

        print("starting the embedded llama-server ...", flush=True)
        local = local_llm_for(settings).start()
        if not local.wait_ready(300):
            raise SystemExit("the embedded chat model did not start")
        endpoint = local.endpoint
    try:
        with database_url(settings) as url:
            upgrade_schema(url)
            services = open_services(url, settings)
            try:
                await seed_demo(services)
                user, _ = await services.users.ensure_owner("owner@example.com", "benchmark password")
                actor = Actor(user_id=user.id, email=user.email, is_owner=True)
                await services.inbox.record_question("Do you do consulting?", Origin("t", "v"))
                chat = BenchChat(services, endpoint, actor)
                cases = [(i, c) for i, c in enumerate(CASES, 1) if (not args.only or i in args.only)
                         and (not args.groups or c.group in args.groups)]
                results = []
                for number, case in cases:
                    await plant(services, actor, case)
                    started = time.monotonic()
                    try:
                        result = await chat.run(case)
                    except Exception as exc:  # noqa: BLE001 - a model timeout on a loaded box is a failure, not the end
                        result = Result(False, 0, time.monotonic() - started, f"error: {type(exc).__name__}",
                                        str(exc)[:200])
                    results.append(result)
                    print(f"{number:2}. {'RIGHT' if result.ok else 'WRONG'} {result.seconds:6.1f}s "
                          f"asked {result.asked}  [{case.group}] {case.says}\n      {result.detail[:400]}\n"
                          f"      so far: {sum(r.ok for r in results)}/{len(results)} right, "
                          f"{sum(r.raw_json for r in results)} raw JSON, {sum(r.wrong_write for r in results)} "
                          f"wrong proposals", flush=True)
                report(results, endpoint)
            finally:
                await services.db.dispose()
    finally:
        if local is not None:
            local.stop()


def report(results: list[Result], endpoint: ChatEndpoint) -> None:
    n = len(results) or 1
    right = sum(r.ok for r in results)
    asked = sum(r.ok and r.asked > 0 for r in results)
    times = sorted(r.seconds for r in results)
    print(f"\nmodel: {endpoint.model} at {endpoint.base_url}; load average {os.getloadavg()[0]:.2f}")
    print(f"exactly right (clarifying questions allowed): {right}/{len(results)} = {right / n:.0%}")
    print(f"right after one clarifying question: {asked}/{len(results)} = {asked / n:.0%}")
    print(f"failures by kind: {dict(Counter(r.failure for r in results if not r.ok)) or 'none'}")
    print(f"time per request: mean {sum(times) / n:.1f}s, median {times[len(times) // 2] if times else 0:.1f}s, "
          f"max {times[-1] if times else 0:.1f}s")
    print(f"raw tool-call JSON shown to the owner: {sum(r.raw_json for r in results)}")
    print(f"wrong proposals (a Confirm would write the wrong thing): {sum(r.wrong_write for r in results)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llm-url", default=None, help="OpenAI-compatible server; default: start the embedded one")
    parser.add_argument("--model", default="local", help="model name for --llm-url")
    parser.add_argument("--only", type=lambda s: {int(x) for x in s.split(",")}, default=None,
                        help="run only these case numbers, e.g. 1,4")
    parser.add_argument("--groups", type=lambda s: set(s.split(",")), default=None,
                        help="run only these groups: create, update, text edit, delete, publish, inbox, question, draft")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
