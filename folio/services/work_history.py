"""Questions about the owner's work history, read and answered in code from the roles (the experience
kind; no model): where they have worked, where they work now, how long they have worked with something
(months of the roles that name it, overlapping periods counted once) and whether they worked somewhere.
Every answer cites the roles' pages; a term no role names is said not to be shown, never guessed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from folio.kinds.experience import EXPERIENCE, span
from folio.services.questions import words

_WHO = r"(?:you|he|she|they|the developer|this developer|the owner|[A-Z][a-z]+)"
_TERM = r"([^?!]+?)\s*[?.!]*\s*$"
_TRAILING = re.compile(rf"\s+(?:do|does|did|has|have)\s+{_WHO}(?:\s+\w+)?$|\s+(?:so far|in total|altogether)$", re.I)
ASPECTS: dict[str, re.Pattern] = {
    "years": re.compile(
        rf"\bhow (?:many|much) (?:years?|months?|time|experience)\b(?: of experience)?(?: (?:do|does|did|has|have) "
        rf"{_WHO}(?: got| had| have)?)?(?: (?:worked|been working|used|been using|done|coded|programmed|spent))?"
        rf"\s+(?:of|with|in|on|using|doing|at)\s+{_TERM}"
        rf"|\bhow long (?:has|have|did|does|do) {_WHO} (?:worked|been working|used|been using|done|coded|"
        rf"programmed|been doing|been coding|written)\s+(?:with|in|on|using|at)?\s*{_TERM}", re.I),
    "worked_at": re.compile(
        rf"^\s*(?:so\s+)?(?:has|have|did|does|do|is|was) {_WHO} (?:ever\s+)?(?:worked|work|been|working|been working)"
        rf"\s+(?:at|for)\s+{_TERM}", re.I),
    "current": re.compile(
        rf"\b(?:where (?:does|do|is|are) {_WHO} (?:work|working)(?! from)(?: now| currently| at the moment| today)?"
        rf"|(?:what|which) (?:is|'s) (?:your|his|her|their|the developer's) (?:current |present )?"
        rf"(?:job|role|position|employer|company)|current (?:job|role|position|employer|company)"
        rf"|who (?:does|do) {_WHO} work for)\b", re.I),
    "history": re.compile(
        rf"\b(?:where (?:has|have|did) {_WHO} (?:worked|work|been working|been employed)|work(?:ing)? history|"
        rf"employment history|career(?: history)?|previous (?:jobs|roles|employers|positions)|past (?:jobs|roles|"
        rf"employers|positions)|work experience|professional experience|(?:which|what) (?:companies|employers|"
        rf"organi[sz]ations)|(?:jobs|roles|positions) (?:has|have|did) {_WHO}|\bcv\b|\bresume\b|résumé)", re.I),
}
NO_ROLES = "The work history isn't in this portfolio yet, so I can't say where the developer has worked."
NOT_SHOWN_TERM = "The work history doesn't show {term}."
NOT_AT = "The work history doesn't show {organisation}."
HISTORY_HEAD = "The work history shows {count}:"
CURRENT_HEAD = "Currently: {roles}."
NO_CURRENT = "The work history shows no current role; the most recent was {role}."
YEARS = "About {amount} of {term} ({periods}, at {places}):"
AT = "Yes: the work history shows {organisation}:"


@dataclass(frozen=True)
class WorkQuestion:
    aspect: str  # years | worked_at | current | history
    term: str = ""  # what "how long with X" / "worked at X" names


def work_question(question: str) -> WorkQuestion | None:
    for aspect, cue in ASPECTS.items():
        if match := cue.search(question):
            term = next((g for g in match.groups() if g), "") if match.groups() else ""
            term = _TRAILING.sub("", term.strip(" ?.!\"'“”")).removeprefix("the ").strip()
            return WorkQuestion(aspect, term)
    return None


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _periods(roles: Sequence[Any], today: date) -> list[tuple[int, int]]:
    """The months the roles cover (inclusive month indexes), overlapping or adjacent periods merged."""
    spans = sorted((_month_index(r.started_on), _month_index(r.ended_on or today)) for r in roles)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def months_of(roles: Sequence[Any], today: date) -> int:
    return sum(end - start + 1 for start, end in _periods(roles, today))


def duration(months: int) -> str:
    """Months in words, rounded sensibly: "8 months", "1 year", "3½ years", "4 years"."""
    if months < 12:
        return f"{months} month{'s' if months != 1 else ''}"
    years, half = divmod(int(months / 6 + 0.5), 2)  # half years, halves rounded up
    if years >= 5 or not half:  # from 5 years on, whole years
        years = int(months / 12 + 0.5)
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{years}½ years"


def _period_text(periods: list[tuple[int, int]], today: date) -> str:
    now = _month_index(today)
    parts = []
    for start, end in periods:
        first, last = start // 12, "now" if end >= now else str(end // 12)
        parts.append(str(first) if str(first) == last else f"{first}–{last}")
    return _joined(parts)


def _joined(parts: Sequence[str]) -> str:
    parts = list(dict.fromkeys(parts))
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def names(role: Any, term: str) -> bool:
    """The role names the term: in its tech, or as whole words of its title, summary or highlights."""
    wanted = " ".join(words(term))
    if not wanted:
        return False
    if any(" ".join(words(t)) == wanted for t in role.tech or []):
        return True
    text = " ".join(words(" ".join([role.title, role.summary or "", *(role.highlights or [])])))
    return f" {wanted} " in f" {text} "


def _same_place(organisation: str, said: str) -> bool:
    """"Acme" and "Acme Corp" are the same place; "Acme" and "Acmeville" are not."""
    org, said = f" {' '.join(words(organisation))} ", f" {' '.join(words(said))} "
    return bool(said.strip()) and (said in org or org in said)


def role_line(role: Any) -> str:
    where = f", {role.location}" if role.location else ""
    return f"- [{EXPERIENCE.title_of(role)}]({EXPERIENCE.page_of(role.slug)}) ({span(role)}{where})"


def answer(wanted: WorkQuestion, roles: Sequence[Any], today: date) -> tuple[str, list[Any]]:
    """The answer and the roles it cites. `roles`: the public roles, current first then newest."""
    if not roles:
        return NO_ROLES, []
    if wanted.aspect == "years":
        cited = [r for r in roles if names(r, wanted.term)]
        if not cited:
            return NOT_SHOWN_TERM.format(term=wanted.term), []
        periods = _periods(cited, today)
        head = YEARS.format(amount=duration(months_of(cited, today)), term=wanted.term,
                            periods=_period_text(periods, today),
                            places=_joined([r.organisation for r in cited]))
        return "\n".join([head, *map(role_line, cited)]), cited
    if wanted.aspect == "worked_at":
        cited = [r for r in roles if _same_place(r.organisation, wanted.term)]
        if not cited:
            return NOT_AT.format(organisation=wanted.term), []
        return "\n".join([AT.format(organisation=cited[0].organisation), *map(role_line, cited)]), cited
    current = [r for r in roles if r.ended_on is None]
    if wanted.aspect == "current":
        if not current:
            return NO_CURRENT.format(role=role_line(roles[0])[2:]), [roles[0]]
        return CURRENT_HEAD.format(roles=", ".join(role_line(r)[2:] for r in current)), current
    count = f"{len(roles)} role{'s' if len(roles) != 1 else ''}"
    return "\n".join([HISTORY_HEAD.format(count=count), *map(role_line, roles)]), list(roles)
