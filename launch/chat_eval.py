"""Visitor answers and owner requests, judged on content, with the real chat model (default: the embedded
llama-server with Qwen2.5-Coder-1.5B; or --llm-url), the real embedding model and a throwaway embedded
PostgreSQL holding the demo portfolio (and, for "demo+packages" cases, the 29 projects of
data/eval/packages_portfolio.json).

The sets were written by someone who never read the answering or routing code (data/eval/visitor_*.json,
data/eval/owner_*.json): dev for iterating, test frozen (hashes in data/eval/FROZEN.sha256).

Visitors: each question (after its thread's earlier questions, in the same conversation) goes through
agent.answering exactly as the chat sends it. Right when every required fact is in the answer (any of its
spellings, case- and accent-insensitive, on word boundaries) and no forbidden string is; for questions
the portfolio cannot answer, when the answer says so (the pipeline's executed result) and names nothing
forbidden. Lists: complete when every listed item is named. Language: the answer's language, by stopwords.

Owner: the messages go through agent.requests as the chat sends them (a second message only when folio
asks back); a proposed change is confirmed through the change service (what the Confirm button calls), then
every item and the profile are read back through the services REST reads. Right when the target equals its
stored version with exactly the expected changes, nothing else changed, and a new item has no field the
owner did not give. A wrong write: a confirmed change that is not right.

    folio eval --chat [--split dev|dev2|test|both] [--set visitor|owner|both] [--limit N]
    .venv/bin/python benchmarks/pipeline_eval.py [the same] [--llm-url URL] [--only v001,o002] [--verbose]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from agent.answering import PassageFinder, Thread, make_answerer
from agent.requests import make_requests
from agent.turn import Final, ToolEnd, Token
from folio.actor import VISITOR, Actor
from folio.kinds import KINDS
from folio.llm import ChatEndpoint
from folio.services.seed import seed_demo
from folio.settings import load_settings
from launch.composition import database_url, open_services, upgrade_schema

ROOT = Path(__file__).resolve().parents[1]

EVAL = ROOT / "data" / "eval"
PACKAGES = EVAL / "packages_portfolio.json"
STOPWORDS = {
    "en": "the is are of and to in with what which how has have does she he it for".split(),
    "es": "el la los las de del que y en es con por para una un su sus tiene ha".split(),
    "de": "der die das und ist mit von zu den dem ein eine hat nicht auf für sie er".split(),
    "fr": "le la les de des du et est avec pour une un en sur qui il elle a".split(),
    "pt": "o a os as de do da que e em com para uma um tem não ela ele".split(),
    "it": "il lo la gli le di del della che e con per una un ha non è".split(),
}
# Set by code, never by a request: ids, times, the page, and what is derived from other fields (reading_time
# is the body's length in minutes, at least 1).
IGNORED = {"id", "slug", "created_at", "updated_at", "search_pending", "published_at", "current", "page",
           "reading_time"}


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", str(text).lower()) if not unicodedata.combining(c))


def has(answer: str, alt: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(fold(alt))}(?!\w)", fold(answer)) is not None


def language_of(text: str) -> str:
    words = re.findall(r"\w+", fold(re.sub(r"\(Sources:.*", "", text, flags=re.S)))
    scores = {lang: sum(w in {fold(s) for s in stop} for w in words) for lang, stop in STOPWORDS.items()}
    return max(scores, key=scores.get) if any(scores.values()) else "en"


# ---- the databases ------------------------------------------------------------------------------------

class Databases:
    """One embedded server; a template database per portfolio; a fresh copy per owner case."""

    def __init__(self, url: str, settings):
        self.url, self.settings = url, settings
        self.admin = url.replace("postgresql+psycopg://", "postgresql://")

    def url_of(self, name: str) -> str:
        return re.sub(r"/[^/?]+\?", f"/{name}?", self.url, count=1)

    def sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(statement)

    async def template(self, name: str, packages: bool) -> None:
        self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.sql(f"CREATE DATABASE {name}")
        url = self.url_of(name)
        upgrade_schema(url)
        services = open_services(url, self.settings)
        try:
            await seed_demo(services)
            if packages:
                await seed_demo(services, PACKAGES)
            await services.users.ensure_owner("owner@example.com", "benchmark password")
        finally:
            await services.db.dispose()

    def copy(self, template: str) -> str:
        name = f"case_{uuid.uuid4().hex[:10]}"
        self.sql(f"CREATE DATABASE {name} TEMPLATE {template}")
        return name


TEMPLATES = {"demo": "tmpl_demo", "demo+packages": "tmpl_packages"}


# ---- visitors ---------------------------------------------------------------------------------------

@dataclass
class VisitorResult:
    case: dict
    answer: str
    correct: bool
    forbidden: bool
    list_complete: bool | None
    language_ok: bool | None
    first_token: float
    total: float


async def ask(answerer, actor: Actor, question: str, thread: Thread) -> tuple[str, float, float, str]:
    started, first, final, query = time.monotonic(), None, "", ""
    async for event in answerer.answer(actor, question, thread):
        if isinstance(event, ToolEnd):
            query = event.output
        if isinstance(event, Token) and first is None:
            first = time.monotonic() - started
        if isinstance(event, Final):
            final = event.text
    total = time.monotonic() - started
    return final, first if first is not None else total, total, query


def judge_visitor(case: dict, answer: str, answered: bool) -> tuple[bool, bool, bool | None]:
    body = re.sub(r"\(Sources:.*", "", answer, flags=re.S)  # content, not citations
    forbidden = any(has(body, s) for s in case.get("must_not_include", []))
    facts = all(any(has(body, alt) for alt in group) for group in case.get("must_include", []))
    complete = facts if case.get("complete_list") else None
    if not case.get("answerable", True):
        return (not answered) and not forbidden, forbidden, complete
    return facts and not forbidden, forbidden, complete


async def run_visitors(cases: list[dict], dbs: Databases, endpoint: ChatEndpoint, verbose: bool) -> list[VisitorResult]:
    results = []
    by_portfolio: dict[str, Any] = {}
    passages = None
    for case in cases:
        portfolio = case.get("portfolio", "demo")
        if portfolio not in by_portfolio:
            by_portfolio[portfolio] = open_services(dbs.url_of(TEMPLATES[portfolio]), dbs.settings)
        services = by_portfolio[portfolio]
        passages = passages or PassageFinder(services.answers.embedder)
        answerer = make_answerer(services, endpoint, passages)
        thread = Thread()
        try:
            for earlier in case.get("thread", []):
                await ask(answerer, VISITOR, earlier, thread)
            answer, first, total, query = await ask(answerer, VISITOR, case["question"], thread)
        except Exception as exc:  # noqa: BLE001 - a failure of one case is a wrong answer, not the end
            answer, first, total, query = f"error: {type(exc).__name__}: {exc}", 0.0, 0.0, ""
        correct, forbidden, complete = judge_visitor(case, answer, thread.answered)
        lang = case.get("language", "en")
        language_ok = (language_of(answer) == lang) if lang != "en" else None
        results.append(VisitorResult(case, answer, correct, forbidden, complete, language_ok, first, total))
        if verbose:
            print(f"{case['id']} {'RIGHT' if correct else 'WRONG'} {total:5.1f}s [{case['intent']}/{lang}] "
                  f"{case['question'][:90]}\n   query: {query[:300]}\n   answer: {answer[:400]!r}", flush=True)
        else:
            print(f"{case['id']} {'RIGHT' if correct else 'WRONG'} {total:5.1f}s", flush=True)
    for services in by_portfolio.values():
        await services.db.dispose()
    return results


# ---- the owner ------------------------------------------------------------------------------------

@dataclass
class OwnerResult:
    case: dict
    right: bool
    wrong_write: bool
    asked: int
    to_preview: float
    detail: str


async def snapshot(services, actor: Actor) -> dict[str, dict]:
    out = {}
    for kind, spec in KINDS.items():
        for item in await services.content(kind).everything(actor):
            out[f"{kind}:{item.slug}"] = spec.out.model_validate(item).model_dump(mode="json")
    profile = await services.profile.find()
    if profile is not None:
        out["profile:me"] = {k: getattr(profile, k) for k in ("name", "headline", "bio", "location", "links",
                                                              "open_to_work", "availability", "contact")}
    return out


def same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(json.dumps(x, sort_keys=True) for x in a) == sorted(json.dumps(x, sort_keys=True) for x in b)
    if isinstance(a, str) and isinstance(b, str) and re.match(r"\d{4}-\d{2}-\d{2}", a + b[:0]):
        return a[:10] == b[:10]
    return a == b


def judge_owner(case: dict, before: dict, after: dict, answer: str) -> tuple[bool, str]:
    expect, kind, target = case["expect"], case["kind"], case.get("target")
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    if expect.get("no_write"):
        if changed:
            return False, f"wrote {sorted(changed)}"
        ok = all(any(has(answer, alt) for alt in g) for g in expect.get("answer_must_include", []))
        return ok, "" if ok else f"answer lacks facts: {answer[:300]!r}"
    if expect.get("deleted"):
        key = f"{kind}:{target}"
        return (changed == {key} and key not in after), f"changed {sorted(changed)}"
    if case["operation"] == "create":
        new = [k for k in after if k not in before]
        if len(new) != 1 or changed != set(new) or not new[0].startswith(kind + ":"):
            return False, f"changed {sorted(changed)}"
        item = after[new[0]]
        wrong = [f"{f}={item.get(f)!r}" for f, v in expect.get("fields", {}).items() if not same(item.get(f), v)]
        invented = [f"{f}={v!r}" for f, v in item.items() if f not in IGNORED and f not in expect.get("fields", {})
                    and v not in (None, "", [], False) and not (f == "published" and v is True)
                    and not (f == "status" and v == "draft")]
        return not wrong and not invented, f"wrong {wrong} invented {invented}"
    key = "profile:me" if kind == "profile" else f"{kind}:{target}"
    if changed != {key}:
        return False, f"changed {sorted(changed)} (expected {key})"
    want = dict(before[key])
    want.update(expect.get("fields", {}))
    if tr := expect.get("text_replace"):
        want[tr["field"]] = before[key][tr["field"]].replace(tr["old"], tr["new"], 1)
    wrong = [f"{f}: {after[key].get(f)!r} != {v!r}" for f, v in want.items()
             if f not in IGNORED and not same(after[key].get(f), v)]
    return not wrong, "; ".join(wrong)[:400]


async def run_owner(cases: list[dict], dbs: Databases, endpoint: ChatEndpoint, verbose: bool) -> list[OwnerResult]:
    results = []
    passages = None
    for case in cases:
        name = dbs.copy(TEMPLATES[case.get("portfolio", "demo")])
        services = open_services(dbs.url_of(name), dbs.settings)
        try:
            user, _ = await services.users.ensure_owner("owner@example.com", "benchmark password")
            actor = Actor(user_id=user.id, email=user.email, is_owner=True)
            passages = passages or PassageFinder(services.answers.embedder)
            requests = make_requests(services, endpoint)
            before = await snapshot(services, actor)
            waiting, asked, answer, confirmed, to_preview, read = None, 0, "", False, 0.0, ""
            started = time.monotonic()
            messages = list(case["messages"])
            try:
                for i, text in enumerate(messages):
                    outcome = await requests.handle(actor, text, waiting=waiting, thread_id="bench")
                    to_preview = time.monotonic() - started
                    read = f"{read}{outcome.request} " if outcome.request else read
                    if outcome.question:
                        answer, *_ = await ask(make_answerer(services, endpoint, passages), actor, text, Thread())
                        break
                    if outcome.change is not None:
                        await services.changes.confirm(actor, str(outcome.change.id), thread_id="bench")
                        confirmed = True
                        break
                    if outcome.waiting is None or i + 1 >= len(messages):
                        answer = outcome.text
                        break
                    asked += 1
                    waiting = outcome.waiting
            except Exception as exc:  # noqa: BLE001
                answer = f"error: {type(exc).__name__}: {exc}"
            after = await snapshot(services, actor)
            right, detail = judge_owner(case, before, after, answer)
            results.append(OwnerResult(case, right, confirmed and not right, asked, to_preview,
                                       detail if not right else ""))
            if verbose:
                print(f"{case['id']} {'RIGHT' if right else 'WRONG'} {to_preview:5.1f}s asked {asked} "
                      f"[{case['operation']}/{case['kind']}] {case['messages'][0][:100]}\n   {detail[:300]} "
                      f"{answer[:200]!r}\n   read: {read[:500]}", flush=True)
            else:
                print(f"{case['id']} {'RIGHT' if right else 'WRONG'} {to_preview:5.1f}s", flush=True)
        finally:
            await services.db.dispose()
            dbs.sql(f"DROP DATABASE {name} WITH (FORCE)")
    return results


# ---- the report --------------------------------------------------------------------------------------

def pct(n: int, d: int) -> str:
    return f"{n}/{d} = {100 * n // d}%" if d else "-"  # rounded down: 35/39 is no 90%


def quantile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0


def visitor_report(name: str, results: list[VisitorResult]) -> dict[str, str]:
    lists = [r for r in results if r.list_complete is not None]
    other = [r for r in results if r.language_ok is not None]
    return {
        "split": name,
        "correct": pct(sum(r.correct for r in results), len(results)),
        "forbidden claims": str(sum(r.forbidden for r in results)),
        "lists complete": pct(sum(bool(r.list_complete) for r in lists), len(lists)),
        "other languages right": pct(sum(r.correct and bool(r.language_ok) for r in other), len(other)),
        "in their language": pct(sum(bool(r.language_ok) for r in other), len(other)),
        "first token p50/p95": f"{quantile([r.first_token for r in results], .5):.1f}/"
                               f"{quantile([r.first_token for r in results], .95):.1f}s",
        "total p50/p95": f"{quantile([r.total for r in results], .5):.1f}/{quantile([r.total for r in results], .95):.1f}s",
    }


def owner_report(name: str, results: list[OwnerResult]) -> dict[str, str]:
    return {
        "split": name,
        "exactly right": pct(sum(r.right for r in results), len(results)),
        "wrong writes": str(sum(r.wrong_write for r in results)),
        "clarifying questions": pct(sum(r.asked > 0 for r in results), len(results)),
        "to preview p50/p95": f"{quantile([r.to_preview for r in results], .5):.1f}/"
                              f"{quantile([r.to_preview for r in results], .95):.1f}s",
    }


def table(rows: list[dict[str, str]]) -> None:
    keys = list(rows[0])
    for key in keys:
        print(f"{key:24}" + "".join(f"{row[key]:>24}" for row in rows))


def load(kind: str, split: str) -> list[dict]:
    return json.loads((EVAL / f"{kind}_{split}.json").read_text())


@contextmanager
def eval_model(settings, llm_url: str | None, model: str, timeout: float) -> Iterator[ChatEndpoint]:
    """The chat model an evaluation runs on: the server at `llm_url`, or else the embedded llama-server,
    started here and stopped on exit."""
    if llm_url:
        yield ChatEndpoint(llm_url, model, timeout=timeout)
        return
    from launch.composition import local_llm_for

    print("starting the embedded llama-server ...", flush=True)
    local = local_llm_for(settings).start()
    try:
        if not local.wait_ready(300):
            raise SystemExit("the embedded chat model did not start")
        yield replace(local.endpoint, timeout=timeout)
    finally:
        local.stop()


@contextmanager
def scratch_data(prefix: str) -> Iterator[Path]:
    """An eval's data folder (its embedded PostgreSQL, and the local model joined there: 1 GB), removed
    afterwards: runs left behind once filled the disk."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def main_async(args, data: Path) -> None:
    settings = load_settings(data_dir=str(data), llm_base_url=args.llm_url)
    splits = ["dev", "test"] if args.split == "both" else [args.split]
    sets = ["visitor", "owner"] if args.set == "both" else [args.set]
    # 300 s: a cold prompt cache on a busy machine is slow
    with eval_model(settings, args.llm_url, args.model, 300) as endpoint:
        with database_url(settings) as url:
            dbs = Databases(url, settings)
            for portfolio, template in TEMPLATES.items():
                await dbs.template(template, packages=portfolio != "demo")
            reports: dict[str, list] = {"visitor": [], "owner": []}
            for split in splits:
                for which in sets:
                    cases = [c for c in load(which, split) if not args.only or c["id"] in args.only][: args.limit]
                    # One portfolio after the other: its catalogue is the prompt prefix llama-server caches.
                    cases.sort(key=lambda c: c.get("portfolio", "demo"))
                    print(f"\n== {which} {split}: {len(cases)} cases ==", flush=True)
                    if which == "visitor":
                        reports["visitor"].append(visitor_report(split, await run_visitors(
                            cases, dbs, endpoint, args.verbose)))
                    else:
                        reports["owner"].append(owner_report(split, await run_owner(cases, dbs, endpoint,
                                                                                     args.verbose)))
            print(f"\nmodel: {endpoint.model} at {endpoint.base_url}; load average "
                  f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores")
            for which, rows in reports.items():
                if rows:
                    print(f"\n{which}:")
                    table(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # dev2: a second development set written later by someone who had not seen the first (or the code).
    parser.add_argument("--split", choices=("dev", "dev2", "test", "both"), default="dev")
    parser.add_argument("--set", choices=("visitor", "owner", "both"), default="both")
    parser.add_argument("--llm-url", default=None)
    parser.add_argument("--model", default="local")
    parser.add_argument("--only", type=lambda s: set(s.split(",")), default=None)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--verbose", action="store_true", help="print each query and answer (dev only!)")
    args = parser.parse_args(argv)
    if args.verbose and args.split not in ("dev", "dev2"):
        raise SystemExit("--verbose shows answers: only on the dev split (never read test failures)")
    with scratch_data("fpe") as data:
        asyncio.run(main_async(args, data))


if __name__ == "__main__":
    main()
