"""Projects: what the developer built."""

from __future__ import annotations

from datetime import date
from typing import Any

from data.chunking import Document
from data.models import Project
from folio import schemas
from folio.kinds.spec import KindSpec, ListFilter, VisitorFacts, featured_filter, joined, present, tag_filter


def _project_evidence(p, today: date) -> VisitorFacts:
    return VisitorFacts(
        present(f"built with {', '.join(p.tech_stack)}" if p.tech_stack else "",
                f"tags {', '.join(p.tags)}" if p.tags else "", f"started {p.started_on}" if p.started_on else "",
                f"finished {p.finished_on}" if p.finished_on else ("ongoing" if p.started_on else "")),
        [("repository", p.repo_url), ("live site", p.live_url)], [*p.tech_stack, *p.tags])


def _project_page(p, today: date) -> VisitorFacts:
    span = f"{p.started_on} – {p.finished_on or 'ongoing'}" if p.started_on else ""
    return VisitorFacts(present(f"Built with {', '.join(p.tech_stack)}" if p.tech_stack else "", span),
                        [("Repository", p.repo_url), ("Live site", p.live_url)], list(p.tags))


def _project_jsonld(p, author: dict[str, Any] | None) -> dict[str, Any]:
    return {"author": author, "description": p.summary, "keywords": list(p.tags or []),
            "programmingLanguage": list(p.tech_stack or []), "codeRepository": p.repo_url,
            "dateCreated": p.started_on}


PROJECT = KindSpec(
    "project", "projects", Project, schemas.ProjectCreate, schemas.ProjectUpdate, schemas.ProjectOut,
    title_field="title", summary_field="summary", body_field="body", text_fields=("title", "summary", "body"),
    required=frozenset({"title", "slug", "summary", "body", "tags", "tech_stack", "featured", "published"}),
    recency_field="started_on",
    order=lambda: (Project.featured.desc(), Project.started_on.desc().nulls_last(), Project.created_at.desc()),
    document=lambda p: Document(p.title, p.summary, tuple(p.tags) + tuple(p.tech_stack), p.body),
    facts=lambda p: present(
        joined("tech", p.tech_stack), joined("tags", p.tags),
        f"started {p.started_on}" if p.started_on else "",
        f"finished {p.finished_on}" if p.finished_on else ("ongoing" if p.started_on else ""),
        f"repo {p.repo_url}" if p.repo_url else "", f"live {p.live_url}" if p.live_url else ""),
    evidence=_project_evidence, page=_project_page, schema_type="SoftwareSourceCode", jsonld=_project_jsonld,
    words=("project", "projects"),
    cues=tuple("app apps application applications repo repos repository repositories library libraries built "
               "build building made created developed".split()),
    writer_noun="project description",
    fields_help="title*, summary, body, tags, tech_stack, repo_url, live_url, featured, published, "
                "started_on, finished_on",
    message_fields=("title", "summary", "tech_stack", "tags", "repo_url", "live_url", "started_on", "finished_on",
                    "featured"),
    message_update_fields=("published",),
    filters=(tag_filter(),
             ListFilter("tech", "tech_stack", "contains", schemas.Tag,
                        "Only projects using this technology (case-insensitive)", ("PostgreSQL",)),
             featured_filter()),
    publish={"published": True}, date_order=("started_on", "finished_on"),
)
