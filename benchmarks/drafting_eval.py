"""Drafting posts with the real chat model (issue #26): a held-out set of briefs, each drafted and then
revised three times, judged in code.

    .venv/bin/python benchmarks/drafting_eval.py [--split dev|test|both] [--llm-url URL] [--only id,id]
                                                 [--limit N] [--verbose (dev only)]

The set (data/eval/drafting_{dev,test}.json, fields in data/eval/drafting_README.md) was written from the
demo portfolio by someone who never read the drafting code; the test split is frozen
(data/eval/FROZEN.sha256). Each brief goes through the owner chat's drafting steps as the chat runs them,
over a throwaway embedded PostgreSQL holding the demo portfolio (the portfolio notes come from its
search); when the drafting asks interview questions the brief's answers are given (or its skip reply).

Printed per split, over every version (the first draft and each revision):
- titles that are titles (not the instruction, 2-15 words, no trailing full stop), and on topic (a topic
  keyword in the first draft's title);
- versions with metadata lines in the body ("Tags:", "Excerpt:", "Title:"); with a repeated paragraph;
  with an unfinished sentence (a prose paragraph that does not end on a sentence end);
- instructions followed: each revision's check (the set's check types, judged here in code);
- the owner's facts carried into the first draft (the set's must_use_facts);
- first words (first visible text of a step) and total time per step, p50/p95, with the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's packages

from folio.actor import Actor  # noqa: E402
from folio.llm import ChatEndpoint  # noqa: E402
from folio.settings import load_settings  # noqa: E402
from launch.chat_eval import TEMPLATES, Databases, eval_model, quantile, scratch_data  # noqa: E402
from launch.composition import database_url, open_services  # noqa: E402

EVAL = ROOT / "data" / "eval"


# ---- judging, in code (independent of the drafting code) ------------------------------------------

_METADATA = re.compile(r"^\s*(?:#+\s*)?[*_]*\s*(tags?|excerpt|title|slug|summary)\s*[*_]*\s*:", re.I | re.M)
_INSTRUCTION = re.compile(r"^\s*(draft|write|create|compose|help|can you|could you|please|i want|i'd like|"
                          r"make|generate)\b|\b(blog post|a post (about|on))\b", re.I)
_ENDS = re.compile(r"""[.!?:…](["'”’)\]*_`]*)$""")


def words(text: str) -> int:
    return len(text.split())


def paragraphs(body: str) -> list[str]:
    """Blank-line separated blocks, a fenced code block (blank lines and all) kept as one."""
    out: list[str] = []
    for part in re.split(r"\n\s*\n", body):
        if out and out[-1].count("```") % 2:
            out[-1] += "\n\n" + part
        elif part.strip():
            out.append(part.strip())
    return out


def is_prose(paragraph: str) -> bool:
    lines = [ln for ln in paragraph.splitlines() if ln.strip()]
    return bool(lines) and not paragraph.startswith(("```", "#", "|", ">")) and not all(
        re.match(r"^\s*([-*+]|\d+[.)])\s", ln) for ln in lines)


def sections(body: str) -> list[tuple[str, str]]:
    """(heading, text under it) for each Markdown heading of the body."""
    found = list(re.finditer(r"^#{1,6}\s+(.+)$", body, re.M))
    return [(m.group(1).strip(), body[m.end():found[i + 1].start() if i + 1 < len(found) else len(body)])
            for i, m in enumerate(found)]


def has_metadata(body: str) -> bool:
    return bool(_METADATA.search(body))


def repeated_paragraph(body: str) -> bool:
    keys = [" ".join(re.findall(r"\w+", p.lower())) for p in paragraphs(body) if not p.startswith("#")]
    keys = [k for k in keys if len(k.split()) >= 5]
    return len(keys) != len(set(keys))


def unfinished(body: str) -> list[str]:
    return [p for p in paragraphs(body) if is_prose(p) and not _ENDS.search(p.strip())]


def is_title(title: str) -> bool:
    n = len(title.split())
    return 2 <= n <= 15 and not title.rstrip().endswith(".") and not _INSTRUCTION.search(title)


def _has(text: str, keyword: str) -> bool:
    return keyword.lower() in text.lower()


def check(kind: dict, title: str, body: str, previous_body: str) -> bool:
    """The set's check types (data/eval/drafting_README.md)."""
    t = kind["type"]
    heads = sections(body)
    if t == "shorter":
        return words(body) <= kind["max_ratio"] * words(previous_body)
    if t == "longer":
        return words(body) >= kind["min_ratio"] * words(previous_body)
    if t == "title_equals":
        def fold(s: str) -> str:
            return s.strip().lower().replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
        return fold(title) == fold(kind["value"])
    if t == "ends_with_section_about":
        if not heads:
            return False
        last = f"{heads[-1][0]}\n{heads[-1][1]}"
        return any(_has(last, k) for k in kind["keywords"])
    if t == "has_code_block":
        return "```" in body
    if t == "section_removed":
        return not any(_has(h, k) for h, _ in heads for k in kind["keywords"])
    if t == "section_added":
        return any(_has(h, k) for h, _ in heads for k in kind["keywords"])
    if t == "mentions":
        return all(_has(body, k) for k in kind["keywords"])
    if t == "not_mentions":
        return not any(_has(body, k) for k in kind["keywords"])
    if t == "min_sections":
        return len(heads) >= kind["value"]
    raise ValueError(f"unknown check {t}")


def carries(fact: str, text: str) -> bool:
    def squash(s: str) -> str:
        return re.sub(r"\s+", "", s.lower())
    return squash(fact) in squash(text)


# ---- driving the drafting steps ----------------------------------------------------------------------

@dataclass
class Step:
    title: str
    body: str
    first: float  # seconds to the first visible words
    total: float


@dataclass
class Result:
    brief: dict
    asked: bool = False
    interview_s: float = 0.0
    versions: list[Step] = field(default_factory=list)  # the first draft, then one per revision
    followed: list[bool] = field(default_factory=list)
    routed: list[bool] = field(default_factory=list)  # each message read as the drafting step it is
    readings: list[str] = field(default_factory=list)  # what each was read as (shown with --verbose)
    error: str = ""


class Clock:
    def __init__(self) -> None:
        self.started, self.first = time.monotonic(), None

    async def show(self, text: str) -> None:
        if self.first is None and text.strip():
            self.first = time.monotonic() - self.started

    def step(self, title: str, body: str) -> Step:
        total = time.monotonic() - self.started
        return Step(title, body, self.first if self.first is not None else total, total)


class Drafting:
    """The owner chat's drafting steps (agent/drafting), as chat/owner_chat.py runs them: each message is
    first read by the owner's request pipeline (agent/requests; whether it comes out as the right drafting
    step is counted), then the interview (answered with the brief's answers, or its skip reply), the draft,
    and each revision. A message read as another step still gets its drafting step here, so that the
    writing is measured apart from the reading."""

    def __init__(self, services, endpoint: ChatEndpoint, actor: Actor):
        from agent.drafting import make_drafter
        from agent.requests import make_requests

        self.drafter, self.actor = make_drafter(services, endpoint), actor
        self.requests = make_requests(services, endpoint)
        self.draft = None

    async def read_as(self, text: str, step: str, result: Result) -> None:
        outcome = await self.requests.handle(self.actor, text, draft_title=self.draft.title if self.draft else None)
        result.routed.append(outcome.drafting == step)
        result.readings.append(outcome.drafting or outcome.operation or "an answer")

    async def first_draft(self, brief: dict, result: Result) -> Step | None:
        from agent.drafting import answers_of

        await self.read_as(brief["opening_request"], "draft_new", result)
        started = time.monotonic()
        interview = await self.drafter.interview(brief["opening_request"])
        result.interview_s = time.monotonic() - started
        reply = ""
        if interview.questions:
            result.asked = True
            answers = brief.get("interview_answers")
            reply = "\n\n".join(answers) if answers else brief.get("skip_reply", "just draft it")
        clock = Clock()
        self.draft = await self.drafter.write(self.actor, brief["opening_request"], answers_of(reply), clock.show)
        return clock.step(self.draft.title, self.draft.body) if self.draft else None

    async def revise(self, instruction: str, result: Result) -> Step:
        await self.read_as(instruction, "draft_revise", result)
        clock = Clock()
        revision = await self.drafter.revise(self.draft, instruction, clock.show)
        self.draft = revision.draft or self.draft
        return clock.step(self.draft.title, self.draft.body)


# The "before" figures of issue #26 came from this script's first version (git log), whose driver ran
# the drafting code of that time (one free-text writer call per step).
DRIVERS = {"steps": Drafting}


async def run_brief(driver, brief: dict, verbose: bool) -> Result:
    result = Result(brief)
    try:
        step = await driver.first_draft(brief, result)
        if step is None:
            result.error = "no draft"
            return result
        result.versions.append(step)
        for revision in brief["revisions"]:
            previous = result.versions[-1]
            step = await driver.revise(revision["instruction"], result)
            result.versions.append(step)
            result.followed.append(check(revision["check"], step.title, step.body, previous.body))
    except Exception as exc:  # noqa: BLE001 - a failed brief counts as failed, the run goes on
        result.error = f"{type(exc).__name__}: {exc}"
    result.followed += [False] * (len(brief["revisions"]) - len(result.followed))
    if verbose:
        print(f"--- {brief['id']} read as: {', '.join(result.readings)}", flush=True)
        for n, v in enumerate(result.versions):
            print(f"--- {brief['id']} v{n + 1} ({v.first:.1f}s/{v.total:.1f}s) # {v.title}\n{v.body}\n", flush=True)
    return result


# ---- the report -----------------------------------------------------------------------------------

def pct(n: int, d: int) -> str:
    return f"{n}/{d} = {100 * n // d}%" if d else "-"  # rounded down: 35/39 is no 90%


def report(split: str, results: list[Result]) -> dict[str, str]:
    versions = [v for r in results for v in r.versions]
    firsts = [r.versions[0] for r in results if r.versions]
    followed = [f for r in results for f in r.followed]
    facts = [(f, r.versions[0]) for r in results if r.versions for f in r.brief.get("must_use_facts", [])]
    return {
        "split": split,
        "briefs (errors)": f"{len(results)} ({sum(bool(r.error) for r in results)})",
        "interviewed": pct(sum(r.asked for r in results), len(results)),
        "interview p50": f"{quantile([r.interview_s for r in results], .5):.1f}s",
        "titles that are titles": pct(sum(is_title(v.title) for v in versions), len(versions)),
        "first titles on topic": pct(sum(any(_has(v.title, k) for k in r.brief["topic_keywords"])
                                         for r in results if r.versions for v in r.versions[:1]), len(firsts)),
        "metadata in body": str(sum(has_metadata(v.body) for v in versions)),
        "repeated paragraphs": str(sum(repeated_paragraph(v.body) for v in versions)),
        "unfinished sentences": str(sum(len(unfinished(v.body)) for v in versions)),
        "instructions followed": pct(sum(followed), len(followed)),
        "read as the drafting step": pct(sum(sum(r.routed) for r in results), sum(len(r.routed) for r in results)),
        "facts carried": pct(sum(carries(f, f"{v.title}\n{v.body}") for f, v in facts), len(facts)),
        "first words p50/p95": f"{quantile([v.first for v in versions], .5):.1f}/"
                               f"{quantile([v.first for v in versions], .95):.1f}s",
        "total p50/p95": f"{quantile([v.total for v in versions], .5):.1f}/"
                         f"{quantile([v.total for v in versions], .95):.1f}s",
        "body words p50": str(int(quantile([words(v.body) for v in versions], .5))),
    }


async def main_async(args, data: Path) -> None:
    settings = load_settings(data_dir=str(data), llm_base_url=args.llm_url)
    splits = ["dev", "test"] if args.split == "both" else [args.split]
    rows = []
    with eval_model(settings, args.llm_url, args.model, 600) as endpoint, database_url(settings) as url:
        dbs = Databases(url, settings)
        await dbs.template(TEMPLATES["demo"], packages=False)
        for split in splits:
            briefs = json.loads((EVAL / f"drafting_{split}.json").read_text())
            briefs = [b for b in briefs if not args.only or b["id"] in args.only][: args.limit]
            print(f"\n== drafting {split}: {len(briefs)} briefs ==", flush=True)
            results = []
            for brief in briefs:
                name = dbs.copy(TEMPLATES["demo"])
                services = open_services(dbs.url_of(name), settings)
                try:
                    user, _ = await services.users.ensure_owner("owner@example.com", "benchmark password")
                    actor = Actor(user_id=user.id, email=user.email, is_owner=True)
                    result = await run_brief(DRIVERS[args.code](services, endpoint, actor), brief, args.verbose)
                finally:
                    await services.db.dispose()
                    dbs.sql(f"DROP DATABASE {name} WITH (FORCE)")
                results.append(result)
                marks = "".join("✓" if f else "✗" for f in result.followed)
                print(f"{brief['id'] if split == 'dev' else len(results):>32} {marks} read {sum(result.routed)}/"
                      f"{len(result.routed)} {sum(v.total for v in result.versions):6.1f}s {result.error[:120]}",
                      flush=True)
                if args.running:  # a long run on a busy machine: the figures so far, brief by brief
                    table([report(f"{split} so far", results)])
            rows.append(report(split, results))
    print(f"\ncode: {args.code}; model: {endpoint.model} at {endpoint.base_url}")
    table(rows)


def table(rows: list[dict[str, str]]) -> None:
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores", flush=True)
    for key in rows[0]:
        print(f"{key:24}" + "".join(f"{row[key]:>24}" for row in rows), flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "both"), default="dev")
    parser.add_argument("--code", choices=sorted(DRIVERS), default=sorted(DRIVERS)[0])
    parser.add_argument("--llm-url", default=None)
    parser.add_argument("--model", default="local")
    parser.add_argument("--only", type=lambda s: set(s.split(",")), default=None)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--verbose", action="store_true", help="print every version (dev only!)")
    parser.add_argument("--running", action="store_true", help="print the figures so far after each brief")
    args = parser.parse_args(argv)
    if args.verbose and args.split != "dev":
        raise SystemExit("--verbose shows the drafts: only on the dev split (never read test drafts)")
    with scratch_data("fde") as data:
        asyncio.run(main_async(args, data))


if __name__ == "__main__":
    main()
