"""Values the owner said, checked against their message: text must appear in it, dates are read by a
real date parser (words in several languages, day-month-year, relative months), URLs must be written
in it. A value the message does not contain is dropped: nothing is invented."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

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


_PART_OF = re.compile(r"^\s*(?:the\s+)?(end|start|beginning|middle)\s+of\s+", re.I)


def as_date(value: str, message: str, today: date, *, month: bool = False) -> date | None:
    """The date the owner wrote (None when it is not in the message, cannot be read, or is a length of
    time: "2 years" is no date)."""
    value = value.strip()
    if not value or as_months(value, today) is not None:
        return None
    part = _PART_OF.match(value)
    if part and said(value, message):  # "the end of" a month: that month, at its end
        value, message = value[part.end():], message.replace(value, value[part.end():])
    written = said(value, message) or (all(n in message for n in re.findall(r"\d+", value))
                                       and bool(re.findall(r"\d+", value)))
    if written and _YEAR_ONLY.match(value):
        return date(int(value), 1, 1)
    settings = _settings(value, today)
    if part and part.group(1).lower() == "end":
        settings["PREFER_DAY_OF_MONTH"] = "last"
    parsed = dateparser.parse(value, settings=settings)
    if parsed is None:
        return None
    found = parsed.date()
    named = dates_in(message, today) if not written else set()
    if not written and found not in named and not (month and (found.year, found.month) in {
            (d.year, d.month) for d in named}):
        # Rewritten ("15 Aug" as "2026-08-15"): the same day; for a role's month, the same month (a month's
        # end written as its last day).
        return None
    return found.replace(day=1) if month else found


def as_months(value: str, today: date) -> int | None:
    """A length of time the owner gave ("2 years", "18 months", "3 Jahre") in months; None for a date. A
    date parser reads a length as that long ago: a value with a number whose reading moves with the day it
    is read on is a length, not a day."""
    number = re.search(r"\d", value)
    if not number or re.search(r"\d{4}", value):
        return None
    value = value[number.start():]  # "valid for 2 years": the length itself
    base = datetime(today.year, today.month, today.day)
    shift = timedelta(days=-1 if (today.month, today.day) == (12, 31) else 1)
    read = [dateparser.parse(value, settings={"RELATIVE_BASE": b}) for b in (base, base + shift)]
    if read[0] is None or read[1] is None or read[1] - read[0] != shift:
        return None
    months = abs((base.year - read[0].year) * 12 + base.month - read[0].month)
    return months or None


def plus_months(start: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _settings(text: str, today: date) -> dict:
    return {"PREFER_DAY_OF_MONTH": "first", "PREFER_MONTH_OF_YEAR": "first",
            "RELATIVE_BASE": datetime(today.year, today.month, today.day), "DATE_ORDER": "DMY",
            "REQUIRE_PARTS": ["year"] if re.search(r"\d{4}", text) else []}


def dates_in(message: str, today: date) -> set[date]:
    """The dates written in the message, as a date parser finds them in the whole message and in each of
    its clauses (one word elsewhere can keep the parser from finding any in a long message)."""
    pieces = [message, *(p for p in _CLAUSES.split(message) if p.strip())]
    return {d.date() for piece in pieces for text, d in search_dates(piece, settings=_settings(piece, today)) or []
            if _DATELIKE.search(text)}


# A date parser's search also reads short words as dates ("to" as a weekday): a found date has a digit or a
# word of four letters or more.
_DATELIKE = re.compile(r"\d|[^\W\d_]{4,}")


_CLAUSES = re.compile(r"[,.;:!?—–]+\s*")


_QUOTED = re.compile(r"\"([^\"]+)\"|“([^”]+)”|„([^“”]+)[“”]|«\s*([^»]+?)\s*»|‘([^’]+)’|(?<!\w)'([^']+)'(?!\w)")


def as_text(value: str, message: str) -> str | None:
    """A text value the message says; when it is written only inside something the owner quoted, the
    whole quote (a model may shorten « write to me at x@y, I answer within 48 h » to the address)."""
    if not said(value, message):
        return None
    value = value.strip().strip("\"'“”«»„")
    wanted = re.compile(rf"(?<!\w){re.escape(fold(value))}(?!\w)")
    for match in _QUOTED.finditer(message):
        quoted = next(g for g in match.groups() if g is not None).strip()
        outside = message[:match.start()] + " " + message[match.end():]
        if wanted.search(fold(quoted)) and not wanted.search(fold(outside)):  # written only inside the quote
            return quoted
    return value


def as_url(value: str, message: str) -> str | None:
    match = _URLISH.search(value)
    if not match or fold(match.group(0).removeprefix("https://").removeprefix("http://")) not in fold(message):
        return None
    url = match.group(0).rstrip(".")
    return url if url.startswith(("http://", "https://")) else f"https://{url}"


def as_list(values: list[str] | tuple[str, ...], message: str) -> list[str]:
    """Values of a list (tags, technologies): short words the message says; a link, a sentence or a
    date is never one."""
    out: list[str] = []
    for raw in values:
        for part in re.split(r",|\band\b|\bund\b|\by\b|\bet\b|&", raw):
            part = part.strip(" .'\"")
            if "://" in part or part.lower().startswith("www."):
                continue
            if _described(part):
                continue  # a description or a date range, not a tag or a technology
            if (part and said(part, message) and part.lower() not in (o.lower() for o in out)
                    and not _only_quoted(part, message)):
                out.append(part)
    return out


def _only_quoted(value: str, message: str) -> bool:
    """A word written only inside a text the owner quoted (a summary: "Taught a course on Airflow") is part
    of that text, not a value of a list of its own."""
    wanted = re.compile(rf"(?<!\w){re.escape(fold(value))}(?!\w)")
    texts = [m for m in _QUOTED.finditer(message)
             if len(next(g for g in m.groups() if g is not None).split()) >= 4]
    outside = message
    for m in reversed(texts):
        outside = outside[:m.start()] + " " + outside[m.end():]
    return bool(texts) and any(wanted.search(fold(m.group(0))) for m in texts) and not wanted.search(fold(outside))


def _described(text: str) -> bool:
    return len(text.split()) > 4 or re.search(r"\b(19|20)\d\d\b", text) is not None


def describes(value: str, message: str) -> bool:
    """A value the message says that is a sentence or holds a year: what a new item is, not a tag of one."""
    return "://" not in value and said(value, message) and _described(value)


def as_bool(value: str) -> bool | None:
    v = fold(value).strip()
    if v in ("true", "yes", "on", "1", "open"):
        return True
    if v in ("false", "no", "off", "0", "closed"):
        return False
    return None
