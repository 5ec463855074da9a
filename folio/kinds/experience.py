"""Experience: the roles of the owner's work history (organisation, title, start month, end month or
current). Public when published; current roles first, then by start, newest first."""

from __future__ import annotations

from datetime import date
from typing import Any

from data.chunking import Document
from data.models import Experience
from folio.kinds.spec import KindSpec, ListFilter, VisitorFacts, joined, present
from folio.schemas import Tag
from folio.schemas_experience import ExperienceCreate, ExperienceOut, ExperienceUpdate


def month(day: date | None) -> str:
    return day.strftime("%b %Y") if day else ""


def span(e) -> str:
    """"Mar 2021 – now", "Jan 2019 – Feb 2021"."""
    return f"{month(e.started_on)} – {month(e.ended_on) if e.ended_on else 'now'}"


def label(e) -> str:
    return f"{e.title} at {e.organisation}"


def _evidence(e, today: date) -> VisitorFacts:
    return VisitorFacts(present(f"at {e.organisation}", span(e), "current role" if e.ended_on is None else "",
                                f"in {e.location}" if e.location else "", joined("tech", e.tech)),
                        [], [*e.tech, e.organisation])


def _page(e, today: date) -> VisitorFacts:
    return VisitorFacts(present(e.organisation, span(e), e.location, f"Tech: {', '.join(e.tech)}" if e.tech else "",
                                *(f"• {h}" for h in e.highlights)), [], list(e.tech))


def _jsonld(e, author: dict[str, Any] | None) -> dict[str, Any]:
    return {"roleName": e.title, "description": e.summary, "startDate": e.started_on, "endDate": e.ended_on,
            "memberOf": {"@type": "Organization", "name": e.organisation}, "member": author,
            "skills": list(e.tech or [])}


EXPERIENCE = KindSpec(
    "experience", "experience", Experience, ExperienceCreate, ExperienceUpdate, ExperienceOut,
    title_field="title", summary_field="summary", body_field="summary",
    text_fields=("organisation", "title", "location", "summary"),
    required=frozenset({"organisation", "title", "slug", "started_on", "location", "summary", "highlights", "tech",
                        "published"}),
    order=lambda: (Experience.ended_on.desc().nulls_first(), Experience.started_on.desc(), Experience.slug),
    recency_field="started_on",
    document=lambda e: Document(label(e), e.summary, (e.organisation, e.location, *e.tech),
                                "\n".join(f"- {h}" for h in e.highlights)),
    facts=lambda e: present(f"organisation: {e.organisation}", span(e), f"location {e.location}" if e.location else "",
                            joined("tech", e.tech), joined("highlights", e.highlights)),
    evidence=_evidence, page=_page, schema_type="OrganizationRole", jsonld=_jsonld,
    words=("role", "roles", "job", "jobs", "work history", "position", "positions", "employer",
           "employers", "career"),
    cues=("employed", "company", "companies"), terms_are_topics=True,
    writer_noun="role summary",
    fields_help="organisation*, title* (the role), started_on* (month), ended_on (empty: current), location, "
                "summary, highlights, tech, published",
    message_fields=("organisation", "title", "started_on", "ended_on", "location", "summary", "tech"),
    message_update_fields=("published",),
    filters=(ListFilter("tech", "tech", "contains", Tag, "Only roles using this technology (case-insensitive)",
                        ("Python",)),
             ListFilter("published", "published", "equals", bool, "Only published (true) or hidden (false) roles")),
    publish={"published": True},
    file_aliases={"company": "organisation", "role": "title", "start": "started_on", "end": "ended_on"},
    label=label, slug_fields=("title", "organisation"), noun="role", person_property="hasOccupation",
    date_order=("started_on", "ended_on"),
)
