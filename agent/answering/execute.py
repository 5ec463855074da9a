"""Execute a query over the portfolio's data in code: filters (any/all), properties, years, counts,
durations with overlaps merged, superlatives, similarity by shared stack and topics, and the passages
of one item's whole text. The result is a fact sheet (facts.py): complete, and true of the data."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from agent.answering.data_view import (KIND_WORDS, ONE_WORD, PROPERTY_WORDS, has_property, has_term, norm, span,
                                       term_set)
from agent.answering.facts import MONTHS, Facts, Passage, bullet, day, length, month, months_between
from agent.answering.passages import supported
from agent.answering.query import Query
from folio import prompts
from folio.kinds import KIND_NAMES, PROFILE, PROFILE_SLUG
from folio.services.catalogue import Record

CLOSEST = 3
SIMILAR = 3
DESCRIBE = 2

Search = Callable[[str, int], Awaitable[list[Record]]]  # the items best matching a phrase, best first
Passages = Callable[[Record, str], Awaitable[list[str]]]  # an item's passages best matching a question

ON_A_DAY = {"post", "certification"}  # kinds whose year is the year of one date


@dataclass
class Portfolio:
    """What a query runs over: the items the asker may see, today, search, passages, the profile."""

    records: list[Record]
    today: date
    search: Search
    passages: Passages
    profile: dict[str, Any] | None
    about_owner: Callable[[str], Awaitable[bool]]  # search ranks the owner's profile first for a phrase


async def execute(q: Query, question: str, p: Portfolio) -> Facts:
    by_key = {r.key: r for r in p.records}
    named = [by_key[k] for k in q.items if k in by_key]
    run = {"describe": _describe, "list": _list, "count": _count, "yes_no": _yes_no, "when": _when,
           "duration": _duration, "compare": _compare, "similar": _similar, "detail": _detail,
           "profile": _profile, "contact": _contact}.get(q.intent)
    if q.intent == "greeting":
        return Facts([prompts.FACT_GREETING])
    if run is None:  # off topic
        return Facts([prompts.FACT_OFF_TOPIC], answered=False)
    if q.unknown and p.profile:  # the developer's own name is no unknown subject
        q = replace(q, unknown=tuple(u for u in q.unknown if norm(u) not in norm(str(p.profile.get("name") or ""))))
    if q.unknown and not named and not q.terms and _in_profile(q.unknown, p.profile):
        return await _profile(q, question, p, named)  # "mastodon?": a link of the developer's own profile
    return await run(q, question, p, named)


def _in_profile(unknown: tuple[str, ...], profile: dict | None) -> bool:
    """Every unknown subject is written in the profile (its links, location, contact, availability)."""
    if not profile:
        return False
    said = norm(" ".join([*(str(v) for v in profile.values() if isinstance(v, str)),
                          *(f"{link.get('label')} {link.get('url')}" for link in profile.get("links") or [])]))
    return all(norm(u) in said for u in unknown)


# ---- filters ---------------------------------------------------------------------------------------

def _about(q: Query, terms: list[str]) -> str:
    bits = []
    if terms:
        bits.append(" with " + (" and " if q.match == "all" else " or ").join(terms))
    if q.property != "none":
        bits.append(" " + PROPERTY_WORDS[q.property])
    if q.year:
        bits.append(f" in {_when_said(q)}")
    return "".join(bits)


def _what(kinds: tuple[str, ...], count: int = 2) -> str:
    words = [KIND_WORDS[k] if count != 1 else ONE_WORD[k] for k in kinds]
    return " or ".join(words) if words else ("items" if count != 1 else "item")


def _when_said(q: Query) -> str:
    return f"{MONTHS[q.month - 1]} {q.year}" if q.month else str(q.year)


def _kinds_of(q: Query, named: list[Record]) -> tuple[str, ...]:
    if q.kinds:
        return q.kinds
    if q.property in ("valid_now", "expired"):
        return ("certification",)
    return ()


def _phrase(q: Query, question: str) -> str:
    """What to search with: the question itself, or the model's English paraphrase of a question in another
    language (the embedding model reads English best)."""
    return question if q.language == "en" or not q.search else q.search


def _filtered(q: Query, p: Portfolio, named: list[Record]) -> list[Record]:
    """The items matching the query; over the earlier answer's items when the question refers back to them."""
    kinds = _kinds_of(q, named)
    thread = q.extra.get("thread", [])
    follows = any(r.key in thread for r in named)
    pool = [r for r in p.records if r.key in thread] if follows else p.records
    out = [r for r in pool if not kinds or r.kind in kinds]
    if q.terms:
        test = all if q.match == "all" else any
        out = [r for r in out if test(has_term(r, t) for t in q.terms)]
    if q.unknown and (q.match == "all" or not q.terms):
        out = []  # a subject the portfolio doesn't have: nothing matches it (never "everything")
    if q.property != "none":
        out = [r for r in out if has_property(r, q.property, p.today)]
    if q.year:
        # A post is published and a certification earned on a day: "in 2025" is that day's year; a role
        # or a project goes on, and is "in 2025" when it went on during it.
        out = [r for r in out if span(r).overlaps_year(q.year, p.today, r.kind in ON_A_DAY, q.month)]
    return sorted(out, key=lambda r: (KIND_NAMES.index(r.kind), -(_start_ord(r))))


def _start_ord(r: Record) -> int:
    s = span(r).start
    return s.toordinal() if s else 0


def _detail_line(r: Record, today: date) -> str:
    s, v = span(r), r.values
    if r.kind == "certification":
        state = ("expired " + day(s.end)) if s.end and s.end < today else (
            f"valid until {day(s.end)}" if s.end else "does not expire")
        return f"{v.get('issuer')}, issued {day(s.start)}, {state}" if s.start else f"{v.get('issuer')}, {state}"
    if r.kind == "experience":
        return f"{v.get('organisation')}, {month(s.start)} to {month(s.end) if s.end else 'now'}"
    if r.kind == "post":
        return f"published {day(s.start)}" if s.start else "draft"
    tech = ", ".join(v.get("tech_stack", []))
    return f"{tech}" if tech else r.summary[:100]


async def _closest(q: Query, question: str, p: Portfolio, facts: Facts) -> Facts:
    near = await p.search(_phrase(q, question), CLOSEST)
    if near:
        facts.lines.append(prompts.FACT_CLOSEST)
        facts.lines += [bullet(r, _detail_line(r, p.today)) for r in near]
        facts.items += near
    return facts


def _subject(q: Query) -> str:
    said = [*q.terms, *q.unknown]
    return (" and " if q.match == "all" else " or ").join(said) if said else (q.search or "that")


# ---- intents -----------------------------------------------------------------------------------------

async def _list(q, question, p, named) -> Facts:
    unfiltered = not (q.terms or q.unknown or q.property != "none" or q.year)
    if (unfiltered and not q.kinds) or (unfiltered and named and (
            len(named) <= DESCRIBE or not any(r.key in q.extra.get("thread", []) for r in named))):
        return await _describe(q, question, p, named)  # nothing to filter on: about the items named
    found = _filtered(q, p, named)
    kinds = _kinds_of(q, named)
    what, about = _what(kinds), _about(q, [*q.terms, *q.unknown])
    if not found:
        return await _closest(q, question, p, Facts([prompts.FACT_LIST_NONE.format(what=what, about=about)],
                                                    answered=False))
    lines = [prompts.FACT_LIST.format(count=len(found), what=_what(kinds, len(found)), about=about)]
    if q.unknown and q.match != "all":
        lines.insert(0, prompts.FACT_NO.format(subject=" or ".join(q.unknown)))
    if len(found) == 1:  # the one item that matches, in full (what else would the visitor ask next?)
        return Facts(lines + _described(found[0], p.today), items=found)
    return Facts(lines + [bullet(r, _detail_line(r, p.today)) for r in found], items=found)


async def _count(q, question, p, named) -> Facts:
    if (len(named) == 1 or (named and not (q.terms or q.unknown or q.property != "none" or q.year))) and not any(
            r.key in q.extra.get("thread", []) for r in named):
        return await _detail(q, question, p, named)  # "how many X does <item> have": a number in its text
    facts = await _list(q, question, p, named)
    if facts.answered and facts.items:
        head = prompts.FACT_COUNT.format(count=len(facts.items), what=_what(_kinds_of(q, named), len(facts.items)),
                                         about=_about(q, [*q.terms, *q.unknown]))
        facts.lines = [head, *(bullet(r, _detail_line(r, p.today)) for r in facts.items)]
    return facts


async def _yes_no(q, question, p, named) -> Facts:
    if named and q.property != "none":
        lines, verdicts = [], []
        for r in named:
            ok = has_property(r, q.property, p.today)
            verdicts.append(ok)
            lines.append(f"{'Yes' if ok else 'No'}: {r.title} ({r.noun}) — {_detail_line(r, p.today)}.")
            if ok and (link := r.values.get(PROPERTY_LINKS.get(q.property, ""))):
                lines.append(f"- {link}")
        return Facts(lines, items=named, verdict=all(verdicts))
    if named and q.terms:
        lines, verdicts = [], []
        for r in named:
            have = [t for t in q.terms if has_term(r, t)]
            verdicts.append(bool(have))
            lines.append(f"{'Yes' if have else 'No'}: {r.title} ({r.noun}) "
                         f"{'lists ' + ', '.join(have) if have else 'does not list ' + ', '.join(q.terms)}.")
        return Facts(lines, items=named, verdict=all(verdicts))
    if q.terms or q.unknown:
        found = _filtered(q, p, []) if q.terms else []
        if found:
            lines = [prompts.FACT_YES.format(subject=_subject(q) if not q.unknown else " or ".join(q.terms))]
            if q.unknown:
                lines.insert(0, prompts.FACT_NO.format(subject=" or ".join(q.unknown)))
            return Facts(lines + [bullet(r, _detail_line(r, p.today)) for r in found], items=found, verdict=True)
        return await _closest(q, question, p, Facts([prompts.FACT_NO.format(subject=_subject(q))],
                                                    answered=False, verdict=False))
    if named:
        return await _describe(q, question, p, named)
    if await p.about_owner(_phrase(q, question)):
        return await _profile(q, question, p, named)  # "available for hire?": the profile says
    return await _closest(q, question, p, Facts([prompts.FACT_NOT_SHOWN], answered=False, verdict=False))


async def _when(q, question, p, named) -> Facts:
    if named:
        return Facts([bullet(r, _dates_line(r, p.today)) for r in named], items=named)
    if q.year:
        found = _filtered(q, p, [])
        if not found:
            return Facts([prompts.FACT_NOTHING_IN.format(year=_when_said(q))], answered=False)
        return Facts([prompts.FACT_ACTIVE_IN.format(year=_when_said(q))]
                     + [bullet(r, _dates_line(r, p.today)) for r in found], items=found)
    if q.kinds or q.terms:
        return await _compare(Query(**{**q.__dict__, "order": q.order if q.order != "none" else "oldest"}),
                              question, p, named)
    return await _closest(q, question, p, Facts([prompts.FACT_NOT_SHOWN], answered=False))


def _dates_line(r: Record, today: date) -> str:
    s = span(r)
    if r.kind == "post":
        return f"published {day(s.start)}" if s.start else "not published"
    if r.kind == "certification":
        return _detail_line(r, today)
    if r.kind == "experience":
        return f"{month(s.start)} to {month(s.end) if s.end else 'now (current)'}"
    if s.start is None:
        return "no dates given"
    return f"{day(s.start)} to {day(s.end) if s.end else 'now (ongoing)'}"


def _months(r: Record, today: date) -> int | None:
    s = span(r)
    if s.start is None:
        return None
    return months_between(s.start, s.until(today))


def _merged_months(records: list[Record], today: date) -> int:
    """Months covered by the records' spans, overlaps counted once (month granularity)."""
    covered: set[int] = set()
    for r in records:
        s = span(r)
        if s.start is None:
            continue
        end = s.until(today)
        first = s.start.year * 12 + s.start.month - 1
        covered.update(range(first, first + months_between(s.start, end)))  # as its own duration says
    return len(covered)


async def _duration(q, question, p, named) -> Facts:
    if named:
        lines = []
        for r in named:
            m = _months(r, p.today)
            lines.append(prompts.FACT_DURATION.format(title=f"{r.title} ({r.noun})", span=_dates_line(r, p.today),
                                                      length=length(m) if m is not None else "no dates given"))
        return Facts(lines, items=named)
    roles = [r for r in p.records if r.kind == "experience"]
    pool = roles if not q.kinds or "experience" in q.kinds else [r for r in p.records if r.kind in q.kinds]
    if q.terms:
        with_terms = [r for r in pool if any(has_term(r, t) for t in q.terms)]
        if not with_terms:  # not in the roles: the projects that show it
            with_terms = [r for r in p.records if r.kind == "project" and any(has_term(r, t) for t in q.terms)]
        pool = with_terms
    elif q.unknown:
        pool = []
    if not pool:
        return await _closest(q, question, p, Facts([prompts.FACT_NO.format(subject=_subject(q))], answered=False))
    spans = ", ".join(f"{r.title}: {_dates_line(r, p.today)}" for r in pool)
    total = length(_merged_months(pool, p.today))
    line = (prompts.FACT_TOTAL_WITH.format(subject=_subject(q), length=total, spans=spans) if q.terms
            else prompts.FACT_TOTAL.format(length=total, spans=spans))
    return Facts([line], items=pool)


ORDER_KEYS = {"newest": ("date", "the newest"), "oldest": ("date", "the oldest"),
              "longest": ("length", "the longest"), "shortest": ("length", "the shortest"),
              "ends_first": ("end", "the first to end"), "ends_last": ("end", "the last to end")}
ORDER_NAMES = {"date": "start date", "length": "length", "end": "end date"}


async def _compare(q, question, p, named) -> Facts:
    if q.order == "ends_first" and q.property == "expired":
        # What expires next is asked of items still running: "expired" is the reading's echo of "expire".
        q = replace(q, property="none")
    pool = named if len(named) >= 2 else _filtered(q, p, [])
    order = q.order if q.order != "none" else "newest"
    key, first_word = ORDER_KEYS[order]
    if key == "date":
        ranked = [r for r in pool if span(r).start is not None]
        ranked.sort(key=lambda r: span(r).start, reverse=order == "newest")
        value = lambda r: _dates_line(r, p.today)  # noqa: E731
    elif key == "end":
        # Items with an end date (a role left, a certification's expiry); an end still to come ranks before
        # one already past when the first to end is asked (what expires next, not what expired long ago).
        ends = {r.key: end for r in pool if (end := span(r).end) is not None}
        ranked = [r for r in pool if r.key in ends]
        if order == "ends_first":
            ranked.sort(key=lambda r: (ends[r.key] < p.today, ends[r.key]))
        else:
            ranked.sort(key=lambda r: ends[r.key], reverse=True)
        value = lambda r: _dates_line(r, p.today)  # noqa: E731
    else:
        ranked = [r for r in pool if _months(r, p.today) is not None]
        ranked.sort(key=lambda r: _months(r, p.today), reverse=order == "longest")
        value = lambda r: length(_months(r, p.today))  # noqa: E731
    if not ranked:
        return await _closest(q, question, p, Facts([prompts.FACT_NOT_SHOWN], answered=False))
    top = ranked[0]
    lines = [prompts.FACT_ORDER.format(key=ORDER_NAMES[key], first_word=first_word,
                                       title=f"{top.title} ({top.noun})", value=value(top))]
    lines += [bullet(r, value(r)) for r in ranked[: max(len(named), 5)]]
    return Facts(lines, items=ranked[: max(len(named), 5)])


async def _similar(q, question, p, named) -> Facts:
    if not named:
        found = await p.search(_phrase(q, question), 1)
        if not found:
            return Facts([prompts.FACT_NOT_SHOWN], answered=False)
        named = found
    ref = named[0]
    scored = _like(ref, p.records, lambda r: r.kind in q.kinds if q.kinds else r.kind == ref.kind)
    if not scored:  # nothing of that kind: the closest of any kind (the posts about a project)
        scored = _like(ref, p.records, lambda r: True)
    if not scored:
        return Facts([prompts.FACT_NO_SIMILAR.format(title=ref.title)], items=[ref])
    top = scored[:SIMILAR]
    lines = [prompts.FACT_SIMILAR.format(title=ref.title)]
    lines += [bullet(r, "shares " + ", ".join(shared)) for _, shared, r in top]
    return Facts(lines, items=[r for _, _, r in top] + [ref])


def _like(ref: Record, records: list[Record],
          allowed: Callable[[Record], bool]) -> list[tuple[float, list[str], Record]]:
    """The allowed items sharing terms with `ref`, best first. A shared rare term says more than a shared
    common one (Python is everywhere): weighted by rarity."""
    frequency: dict[str, int] = {}
    for r in records:
        for t in term_set(r):
            frequency[t] = frequency.get(t, 0) + 1
    mine, scored = term_set(ref), []
    for r in records:
        if r.key != ref.key and allowed(r) and (shared := mine & term_set(r)):
            weight = sum(math.log(1 + len(records) / frequency[t]) for t in shared)
            scored.append((weight, sorted(shared), r))
    return sorted(scored, key=lambda s: -s[0])


PROPERTY_LINKS = {"has_repo": "repo_url", "has_live_url": "live_url"}


async def _detail(q, question, p, named) -> Facts:
    if named and q.property != "none":  # "is there a repo for X?": a property of the item, from its fields
        return await _yes_no(q, question, p, named)
    if not named and await p.about_owner(_phrase(q, question)):
        return await _profile(q, question, p, named)  # a detail about the developer: the profile
    targets = named[:1] or await p.search(_phrase(q, question), 1)
    if not targets:
        return Facts([prompts.FACT_NOT_SHOWN], answered=False)
    facts = Facts(items=targets)
    for r in targets:
        found = await p.passages(r, _phrase(q, question))
        if not supported(q.search or question, r, found):  # its text doesn't speak of it: not answered
            return Facts([prompts.FACT_NOT_SHOWN, prompts.FACT_CLOSEST, bullet(r, _detail_line(r, p.today))],
                         items=[r], answered=False)
        facts.lines.append(prompts.FACT_DETAIL_FROM.format(title=f"{r.title} ({r.noun})"))
        facts.passages += [Passage(r, t) for t in found]
        facts.lines += [f"> {t}" for t in found]
    return facts


async def _describe(q, question, p, named) -> Facts:
    targets = named[:DESCRIBE]
    if not targets and q.unknown and not q.terms:  # "the Zephyr app": a name the portfolio never writes
        return await _closest(q, question, p, Facts([prompts.FACT_NO.format(subject=_subject(q))], answered=False))
    if not targets and (q.terms or q.kinds):
        listed = _filtered(q, p, [])
        if listed and (q.terms or q.property != "none"):
            return await _list(q, question, p, named)
    if not targets and await p.about_owner(_phrase(q, question)):
        return await _profile(q, question, p, named)  # "tell me about yourself": the owner's profile
    if not targets:
        targets = await p.search(_phrase(q, question), 1)
    if not targets and not (q.terms or q.kinds or q.unknown) and p.profile:
        return await _profile(q, question, p, named)  # about nothing in the portfolio: about the developer
    if not targets:
        return Facts([prompts.FACT_NOT_SHOWN], answered=False)
    return Facts([line for r in targets for line in _described(r, p.today)], items=targets)


def _described(r: Record, today: date) -> list[str]:
    """One item in full: its summary, dates, tags, links, technologies and highlights."""
    lines = [f"{r.title} ({r.noun}): {r.summary}".rstrip(": "), f"- {_detail_line(r, today)}"]
    if r.kind == "project":
        for label, field in (("tags", "tags"), ("source", "repo_url"), ("live site", "live_url")):
            value = r.values.get(field)
            if value:
                lines.append(f"- {label}: {', '.join(value) if isinstance(value, list) else value}")
        if span(r).start:
            lines.append(f"- {_dates_line(r, today)}")
    if r.kind == "experience" and r.values.get("tech"):
        lines.append(f"- technologies: {', '.join(r.values['tech'])}")
    lines += [f"- {h}" for h in r.values.get("highlights", [])[:4]]
    if r.kind == "post" and r.values.get("tags"):
        lines.append(f"- tags: {', '.join(r.values['tags'])}")
    return lines


async def _profile(q, question, p, named) -> Facts:
    pr = p.profile
    if not pr:
        return Facts([prompts.FACT_NO_PROFILE], answered=False)
    lines = [f"{pr.get('name')}: {pr.get('headline') or ''}".rstrip(": ")]
    if pr.get("location"):
        lines.append(f"- Based in {pr['location']}")
    lines.append("- Open to work" + (f": {pr['availability']}" if pr.get("availability") else "")
                 if pr.get("open_to_work") else "- Not looking for new work at the moment")
    if pr.get("contact"):
        lines.append(f"- Contact: {pr['contact']}")
    for link in pr.get("links") or []:
        lines.append(f"- {link.get('label')}: {link.get('url')}")
    if pr.get("bio"):
        lines.append(" ".join(pr["bio"].split())[:600])
    return Facts(lines, extra_terms=[str(v) for v in pr.values() if isinstance(v, str)],
                 pages=[(str(pr.get("name")), PROFILE.page_of(PROFILE_SLUG))])


async def _contact(q, question, p, named) -> Facts:
    facts = await _profile(q, question, p, named)
    facts.lines.insert(0, prompts.CONTACT_ANSWER)
    facts.answered = True
    return facts
