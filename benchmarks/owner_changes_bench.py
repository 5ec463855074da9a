"""How often the owner's plain-language requests produce the right confirmed change, with the real
chat model (default: the embedded llama-server with Qwen2.5-Coder-1.5B; or any OpenAI-compatible server).

A fixed set of requests runs against a throwaway embedded PostgreSQL holding the demo portfolio, each in
its own chat thread, through the same path as the owner's chat: drafting-looking messages go through
the structured-output router, the rest through the owner's agent (propose-only tools, tool-call
recovery). A request is right when exactly the expected pending change appears (or, for the request
missing a required field, none does), with the values asked for and nothing invented (a create leaves
every field the owner did not mention at its default; an update changes only the fields named), and
confirming it applies it. Prints the figure.

    .venv/bin/python benchmarks/owner_changes_bench.py [--llm-url http://127.0.0.1:8080/v1] [--only 1,4]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent import drafting  # noqa: E402
from agent.configuration import Configuration  # noqa: E402
from agent.graph import build_agent  # noqa: E402
from agent.turn import Final, ToolStart, run_turn  # noqa: E402
from folio.actor import Actor  # noqa: E402
from folio.kinds import KINDS  # noqa: E402
from folio.llm import ChatEndpoint, chat_model  # noqa: E402
from folio.runtime import database_url, open_services, upgrade_schema  # noqa: E402
from folio.services import Services  # noqa: E402
from folio.services.changes import ProposedChange  # noqa: E402
from folio.services.inbox import Origin  # noqa: E402
from folio.services.seed import seed_demo  # noqa: E402
from folio.settings import load_settings  # noqa: E402
from tools import ToolContext  # noqa: E402

Check = Callable[[ProposedChange], bool]


def _low(values: Any) -> set[str]:
    return {str(v).lower() for v in values or []}


def _diff(change: ProposedChange) -> dict[str, Any]:
    return {d.field: d.after for d in change.diff}


def _nothing_invented(change: ProposedChange, given: set[str]) -> bool:
    """A create sets only the fields the owner gave: every other field keeps the schema's default."""
    model = KINDS[change.kind].create
    for name, value in change.fields.items():
        if name in given or name == "slug":
            continue
        declared = model.model_fields[name]
        default = declared.default_factory() if declared.default_factory else declared.default
        if value != default:
            return False
    return True


@dataclass(frozen=True)
class Case:
    request: str
    expect: tuple[str, str, str | None] | None  # (action, kind, slug or None for a create); None: no change
    check: Check = lambda change: True
    then: str | None = None  # a second owner message in the same thread (drafting: "save it")


CASES = [
    Case("Add a project called Tide Gauge, built with Python and TimescaleDB, repo github.com/x/tide-gauge",
         ("create", "project", None),
         lambda c: c.fields["title"] == "Tide Gauge" and {"python", "timescaledb"} <= _low(c.fields["tech_stack"])
         and "github.com/x/tide-gauge" in (c.fields["repo_url"] or "")
         and _nothing_invented(c, {"title", "tech_stack", "repo_url", "tags"})),
    Case("Add my certification Certified Kubernetes Application Developer (CKAD), issued by The Linux Foundation "
         "on 2025-01-10", ("create", "certification", None),
         lambda c: "CKAD" in c.fields["name"] and "Linux Foundation" in c.fields["issuer"]
         and c.fields["issued_on"] == "2025-01-10"
         and _nothing_invented(c, {"name", "issuer", "issued_on", "description"})),
    Case("Add a certification called Azure Fundamentals", None),  # the issuer is missing: ask, propose nothing
    Case("Change the summary of the Glint project to 'A fast terminal log viewer.'", ("update", "project", "glint"),
         lambda c: _diff(c) == {"summary": "A fast terminal log viewer."}),
    Case("Mark the Heartbeat project as featured", ("update", "project", "heartbeat"),
         lambda c: _diff(c) == {"featured": True}),
    Case("My AWS Solutions Architect certification now expires on 2028-05-14",
         ("update", "certification", "aws-solutions-architect-associate"),
         lambda c: _diff(c) == {"expires_on": "2028-05-14"}),
    Case("Delete the Lookalike project", ("delete", "project", "lookalike")),
    Case("Publish my post about DuckDB", ("publish", "post", "duckdb-local-analytics-notes")),
    Case("Set the tags of the Ferrox project to rust, cli and performance", ("update", "project", "ferrox"),
         lambda c: _diff(c) == {"tags": ["rust", "cli", "performance"]}),
    Case("Draft a short blog post about tuning HNSW indexes in pgvector", ("create", "post", None),
         lambda c: c.fields["status"] == "draft" and bool(c.fields["title"]) and len(c.fields["body"]) > 100,
         then="Save it as a draft"),
]


@dataclass
class Outcome:
    ok: bool
    seconds: float
    detail: str


class OwnerChat:
    """The owner chat's decisions without the UI: router for drafting-looking messages, else the agent."""

    def __init__(self, services: Services, endpoint: ChatEndpoint, actor: Actor):
        self.services, self.endpoint, self.actor = services, endpoint, actor
        settings = load_settings()
        self.config = Configuration.for_actor(actor, settings)
        self.router = chat_model(endpoint, temperature=0.0, max_tokens=60, streaming=False)
        self.writer = chat_model(endpoint, temperature=0.4, max_tokens=700)

    async def say(self, text: str, thread_id: str, draft) -> tuple[Any, str]:
        """(the draft after this message, a short trace of what happened)."""
        if drafting.may_be_drafting(text, draft):
            step = await drafting.route(self.router, text, draft)
            if step.intent == "new_draft":
                hits = await self.services.search.search(self.actor, step.topic or text, limit=3)
                written = "".join([t async for t in drafting.write(
                    self.writer, drafting.writer_messages_new(step.topic or text, hits))])
                return drafting.parse_draft(written), f"router new_draft; wrote {len(written)} chars"
            if step.intent in ("save_draft", "publish_draft") and draft is not None:
                propose = self.services.drafts.propose_publish if step.intent == "publish_draft" else \
                    self.services.drafts.propose_save
                await propose(self.actor, draft, thread_id=thread_id)
                return draft, f"router {step.intent}"
            if step.intent != "other":
                return draft, f"router {step.intent}"
        ctx = ToolContext(self.actor, self.services, Origin(thread_id, None))
        agent = build_agent(ctx, chat_model(self.endpoint, temperature=self.config.temperature,
                                            max_tokens=self.config.max_tokens), self.config)
        calls, answer = [], ""
        async for event in run_turn(agent, text, thread_id):
            if isinstance(event, ToolStart):
                calls.append(f"{event.name}({event.args})")
            elif isinstance(event, Final):
                answer = event.text
        return draft, f"tools {calls}; answer {answer[:160]!r}"


async def run_case(chat: OwnerChat, case: Case) -> Outcome:
    thread = str(uuid.uuid4())
    started = time.monotonic()
    draft, trace = await chat.say(case.request, thread, None)
    if case.then:
        draft, more = await chat.say(case.then, thread, draft)
        trace += " | " + more
    changes = await chat.services.changes.pending(chat.actor, thread)
    seconds = time.monotonic() - started
    if case.expect is None:
        return Outcome(not changes, seconds, f"{len(changes)} change(s); {trace}")
    if len(changes) != 1:
        return Outcome(False, seconds, f"{len(changes)} change(s); {trace}")
    change = changes[0]
    action, kind, slug = case.expect
    shape = (change.action, change.kind) == (action, kind) and (slug is None or change.slug == slug)
    try:
        right = shape and case.check(change)
    except (KeyError, TypeError):
        right = False
    detail = f"{change.action} {change.kind} {change.slug} fields={change.fields or _diff(change)}; {trace}"
    if right:
        await chat.services.changes.confirm(chat.actor, change.id, thread_id=thread)
    return Outcome(right, seconds, detail)


async def main_async(args) -> None:
    settings = load_settings(data_dir=tempfile.mkdtemp(prefix="fob", dir="/tmp"), llm_base_url=args.llm_url)
    local = None
    if args.llm_url:
        endpoint = ChatEndpoint(args.llm_url, args.model)
    else:
        from api.chat import local_llm_for

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
                chat = OwnerChat(services, endpoint, actor)
                cases = [(i, c) for i, c in enumerate(CASES, 1) if not args.only or i in args.only]
                right = 0
                for number, case in cases:
                    outcome = await run_case(chat, case)
                    right += outcome.ok
                    print(f"{number:2}. {'RIGHT' if outcome.ok else 'WRONG'} {outcome.seconds:6.1f}s  "
                          f"{case.request}\n      {outcome.detail}", flush=True)
                print(f"\n{right}/{len(cases)} owner requests produced the right confirmed change "
                      f"(model: {endpoint.model} at {endpoint.base_url})")
            finally:
                await services.db.dispose()
    finally:
        if local is not None:
            local.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llm-url", default=None, help="OpenAI-compatible server; default: start the embedded one")
    parser.add_argument("--model", default="local", help="model name for --llm-url")
    parser.add_argument("--only", type=lambda s: {int(x) for x in s.split(",")}, default=None,
                        help="run only these case numbers, e.g. 1,4")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
