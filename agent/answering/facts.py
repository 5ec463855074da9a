"""The fact sheet of an answer: sentences built in code from the data (complete lists, exact counts,
dates and durations), the items they rest on, and quoted passages. It is the answer itself when no
phrasing is needed, and the only material the model may phrase from when it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from folio.services.catalogue import Record

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@dataclass
class Passage:
    record: Record
    text: str


@dataclass
class Facts:
    lines: list[str] = field(default_factory=list)  # English, complete
    items: list[Record] = field(default_factory=list)  # what the answer rests on (its sources)
    passages: list[Passage] = field(default_factory=list)
    answered: bool = True  # False: the portfolio doesn't show it (kept for the owner's inbox)
    verdict: bool | None = None  # a yes/no question's executed answer
    extra_terms: list[str] = field(default_factory=list)  # words the answer may use besides the items'
    pages: list[tuple[str, str]] = field(default_factory=list)  # sources that are not items: (title, page)

    def text(self) -> str:
        return "\n".join(self.lines)

    def said(self) -> str:
        """What the fact sheet itself says (lines, passages, profile): the numbers an answer may state."""
        return "\n".join([*self.lines, *(p.text for p in self.passages), *self.extra_terms])

    def material(self) -> str:
        """Everything an answer may rest on: the lines, the passages, and the items' own text."""
        return "\n".join([*self.lines, *(p.text for p in self.passages), *(r.text() for r in self.items),
                          *(f"{r.page} {' '.join(str(v) for v in r.values.values() if isinstance(v, str))}"
                            for r in self.items), *self.extra_terms])


def month(value: date | None) -> str:
    return f"{MONTHS[value.month - 1]} {value.year}" if value else "now"


def day(value: date | None) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}" if value else ""


def months_between(start: date, end: date) -> int:
    """Whole months from start to end, by the calendar (a role from June 2021 to February 2023: 20)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months + (1 if end.day - start.day >= 15 else 0 if end.day - start.day > -15 else -1)


def length(months: int) -> str:
    years, rest = divmod(max(months, 0), 12)
    parts = [f"{years} year{'s' * (years != 1)}" if years else "",
             f"{rest} month{'s' * (rest != 1)}" if rest else ""]
    said = " and ".join(p for p in parts if p) or "less than a month"
    return f"{said} ({months} months)" if years and rest else said


def bullet(record: Record, detail: str = "") -> str:
    return f"- {record.title} ({record.noun}){': ' + detail if detail else ''}"
