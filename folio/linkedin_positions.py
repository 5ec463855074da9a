"""LinkedIn's data export, read: `Positions.csv` (one row per role) as experience fields. Only the format
lives here; folio.services.portability imports the roles (idempotent by slug).

The columns LinkedIn writes: "Company Name", "Title", "Description", "Location", "Started On",
"Finished On". Dates look like "Mar 2021" or "2021"; an empty "Finished On" means the role is current.
A year alone starts in January and ends in December (not after this month). Description lines that start
with "-", "*" or "•" become highlights; the rest is the summary."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

from folio.errors import ValidationFailed

FILE_NAME = "Positions.csv"
REQUIRED = ("Company Name", "Title", "Started On")
MONTHS = {m: n for n, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_MONTH_YEAR = re.compile(r"^(?P<m>[A-Za-z]{3,9})\.?\s+(?P<y>\d{4})$")
_NUMERIC = re.compile(r"^(?:(?P<m1>\d{1,2})/(?P<y1>\d{4})|(?P<y2>\d{4})-(?P<m2>\d{1,2}))$")
_YEAR = re.compile(r"^\d{4}$")
_BULLET = re.compile(r"^\s*[-*•·]\s+")


def month_of(value: str, *, end: bool = False, today: date | None = None) -> date | None:
    """"Mar 2021" / "March 2021" / "03/2021" / "2021-03" -> 2021-03-01; "2021" -> January (December
    for an end, at most this month); "" -> None. ValueError for anything else."""
    value = value.strip()
    if not value:
        return None
    if m := _MONTH_YEAR.match(value):
        month = MONTHS.get(m["m"][:3].lower())
        if month is None:
            raise ValueError(f"not a month: {value!r}")
        return date(int(m["y"]), month, 1)
    if m := _NUMERIC.match(value):
        month, year = int(m["m1"] or m["m2"]), int(m["y1"] or m["y2"])
        if not 1 <= month <= 12:
            raise ValueError(f"not a month: {value!r}")
        return date(year, month, 1)
    if _YEAR.match(value):
        if not end:
            return date(int(value), 1, 1)
        this_month = (today or date.today()).replace(day=1)
        return min(date(int(value), 12, 1), this_month)
    raise ValueError(f"not a month: {value!r}")


def _description(text: str) -> tuple[str, list[str]]:
    summary, highlights = [], []
    for line in text.replace("\r\n", "\n").split("\n"):
        if _BULLET.match(line):
            highlights.append(_BULLET.sub("", line).strip())
        elif line.strip():
            summary.append(line.strip())
    return " ".join(summary), [h for h in highlights if h]


def parse_positions_csv(text: str, today: date | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """The roles of a LinkedIn Positions.csv as experience create fields, and a problem per row that
    cannot be one (row numbers count the header as 1). ValidationFailed when the text is not that file."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None or any(c not in reader.fieldnames for c in REQUIRED):
        raise ValidationFailed("not a LinkedIn Positions.csv: expected a header row with "
                               + ", ".join(f'"{c}"' for c in REQUIRED))
    roles: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, raw in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        try:
            started = month_of(row.get("Started On", ""), today=today)
            ended = month_of(row.get("Finished On", ""), end=True, today=today)
        except ValueError as exc:
            problems.append(f"row {number}: {exc}")
            continue
        if not (row.get("Company Name") and row.get("Title") and started):
            problems.append(f"row {number}: a role needs a company name, a title and a start")
            continue
        summary, highlights = _description(row.get("Description", ""))
        roles.append({"organisation": row["Company Name"], "title": row["Title"], "started_on": started,
                      "ended_on": ended, "location": row.get("Location", ""), "summary": summary,
                      "highlights": highlights})
    return roles, problems
