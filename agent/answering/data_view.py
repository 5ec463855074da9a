"""What code needs to know about an item to execute a query: its dates, its terms, its properties."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from folio.services.catalogue import Record

# kind -> (start field, end field); a post has one date
SPANS = {"project": ("started_on", "finished_on"), "experience": ("started_on", "ended_on"),
         "certification": ("issued_on", "expires_on"), "post": ("published_at", None)}


def _date(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class Span:
    start: date | None
    end: date | None  # None: ongoing (a role, a project) or never expires (a certification)

    def until(self, today: date) -> date | None:
        return self.end or (today if self.start else None)

    def overlaps_year(self, year: int, today: date, single_day: bool, month: int | None = None) -> bool:
        """Whether the span touches the year (or that year's month)."""
        if self.start is None:
            return False
        first, last = (year * 12 + month - 1,) * 2 if month else (year * 12, year * 12 + 11)
        start = self.start.year * 12 + self.start.month - 1
        if single_day:
            return first <= start <= last
        end = self.until(today)
        return start <= last and end.year * 12 + end.month - 1 >= first


def span(record: Record) -> Span:
    start_field, end_field = SPANS.get(record.kind, (None, None))
    return Span(_date(record.values.get(start_field)) if start_field else None,
                _date(record.values.get(end_field)) if end_field else None)


def norm(term: str) -> str:
    return " ".join(term.lower().replace("-", " ").replace("_", " ").split())


def term_set(record: Record) -> set[str]:
    names = [*record.terms, record.values.get("organisation"), record.values.get("issuer")]
    return {norm(t) for t in names if t}


def has_term(record: Record, term: str) -> bool:
    wanted = norm(term)
    if wanted in term_set(record):
        return True
    title = f" {norm(record.title)} "
    return f" {wanted} " in title


def has_property(record: Record, prop: str, today: date) -> bool:
    v, s = record.values, span(record)
    if prop == "has_live_url":
        return bool(v.get("live_url"))
    if prop == "has_repo":
        return bool(v.get("repo_url"))
    if prop == "featured":
        return bool(v.get("featured"))
    if prop == "valid_now":
        return record.kind == "certification" and (s.end is None or s.end >= today) and (
            s.start is None or s.start <= today)
    if prop == "expired":
        return record.kind == "certification" and s.end is not None and s.end < today
    if prop == "hidden":  # drafts and unpublished items: only the owner's view holds any
        return not record.public
    if prop == "current":
        return record.kind in ("experience", "project") and s.start is not None and s.end is None
    if prop == "finished":  # a role left, a project completed: an end that has come
        return record.kind in ("experience", "project") and s.end is not None and s.end <= today
    return True


PROPERTY_WORDS = {"has_live_url": "with a live site", "has_repo": "with a source repository",
                  "featured": "featured", "valid_now": "valid today", "expired": "expired",
                  "current": "current", "finished": "finished", "hidden": "not published (drafts and hidden items)"}
KIND_WORDS = {"project": "projects", "post": "blog posts", "certification": "certifications",
              "experience": "roles"}
ONE_WORD = {"project": "project", "post": "blog post", "certification": "certification", "experience": "role"}
