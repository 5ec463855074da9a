"""Values the owner said, checked against their message: text must appear in it, dates are read by a
real date parser (words in several languages, day-month-year, relative months), URLs must be written
in it. A value the message does not contain is dropped: nothing is invented."""

from __future__ import annotations

import re
from datetime import date, datetime

import dateparser
from dateparser.search import search_dates

from agent.reading.naming import fold

_WORD = re.compile(r"\w+", re.UNICODE)
_YEAR_ONLY = re.compile(r"^\s*(19|20)\d\d\s*$")
_URLISH = re.compile(r"(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/[^\s,;)]*)?", re.I)


def said(value: str, message: str) -> bool:
    """The value (or, for a long one, nearly all of its words) is in the message."""
    v, m = " ".join(fold(value).split()), " ".join(fold(message).split())
    if not v:
        return False
    if v in m:
        return True
    words = _WORD.findall(v)
    have = set(_WORD.findall(m))
    return len(words) >= 4 and sum(w in have for w in words) / len(words) >= 0.85


def as_date(value: str, message: str, today: date, *, month: bool = False) -> date | None:
    """The date the owner wrote (None when it is not in the message or cannot be read)."""
    value = value.strip()
    if not value:
        return None
    written = said(value, message) or (all(n in message for n in re.findall(r"\d+", value))
                                       and bool(re.findall(r"\d+", value)))
    if written and _YEAR_ONLY.match(value):
        return date(int(value), 1, 1)
    parsed = dateparser.parse(value, settings=_settings(value, today))
    if parsed is None:
        return None
    found = parsed.date()
    if not written and found not in _dates_in(message, today):  # rewritten ("15 Aug" as "2026-08-15"): the same day
        return None
    return found.replace(day=1) if month else found


def _settings(text: str, today: date) -> dict:
    return {"PREFER_DAY_OF_MONTH": "first", "PREFER_MONTH_OF_YEAR": "first",
            "RELATIVE_BASE": datetime(today.year, today.month, today.day), "DATE_ORDER": "DMY",
            "REQUIRE_PARTS": ["year"] if re.search(r"\d{4}", text) else []}


def _dates_in(message: str, today: date) -> set[date]:
    """The dates written in the message, as a date parser finds them."""
    found = search_dates(message, settings=_settings(message, today)) or []
    return {d.date() for _, d in found}


def as_url(value: str, message: str) -> str | None:
    match = _URLISH.search(value)
    if not match or fold(match.group(0).removeprefix("https://").removeprefix("http://")) not in fold(message):
        return None
    url = match.group(0).rstrip(".")
    return url if url.startswith(("http://", "https://")) else f"https://{url}"


def as_list(values: list[str] | tuple[str, ...], message: str) -> list[str]:
    """Values of a list (tags, technologies): the words the message says; a link is never one."""
    out: list[str] = []
    for raw in values:
        for part in re.split(r",|\band\b|\bund\b|\by\b|\bet\b|&", raw):
            part = part.strip(" .'\"")
            if "://" in part or part.lower().startswith("www."):
                continue
            if part and said(part, message) and part.lower() not in (o.lower() for o in out):
                out.append(part)
    return out


def as_bool(value: str) -> bool | None:
    v = fold(value).strip()
    if v in ("true", "yes", "on", "1", "open"):
        return True
    if v in ("false", "no", "off", "0", "closed"):
        return False
    return None
