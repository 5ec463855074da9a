"""The kinds of portfolio content, each described once: a KindSpec. Everything that differs between
kinds (REST paths and schemas, the public rule, list order and filters, what is searchable, how an
item reads to a model, the words people use for it, the owner's field help, publishing) comes from
here. Adding a kind means one spec below, one model (data/models.py) and one migration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy.sql import ColumnElement

from data.chunking import Document
from data.models import Base, Certification, Post, Project
from folio import schemas


@dataclass(frozen=True)
class ListFilter:
    """One optional filter of a kind's list (a REST query parameter and a list_content argument)."""

    name: str  # parameter name, e.g. "tech"
    column: str  # the model's column it filters
    how: Literal["equals", "contains"]  # equality, or case-insensitive membership of an array column
    annotation: Any  # the parameter's type, e.g. schemas.Tag, bool
    description: str
    examples: tuple[Any, ...] = ()


def _tag_filter() -> ListFilter:
    return ListFilter("tag", "tags", "contains", schemas.Tag, "Only items with this tag (case-insensitive)",
                      ("rust",))


def _featured_filter(what: str) -> ListFilter:
    return ListFilter("featured", "featured", "equals", bool,
                      f"Only featured (true) or non-featured (false) {what}")


@dataclass(frozen=True)
class VisitorFacts:
    facts: list[str]  # "built with Rust", "valid until 2027-06-01"
    links: list[tuple[str, str | None]]  # (label, url); empty urls are dropped
    terms: list[str]  # what it is about (tech stack, tags, issuer)
    expired: bool = False


@dataclass(frozen=True)
class KindSpec:
    name: str  # "project"
    plural: str  # "projects": REST path, JSON key, export folder
    model: type[Base]  # its `is_public` hybrid is the public rule, in Python and in SQL
    create: type[BaseModel]
    update: type[BaseModel]
    out: type[BaseModel]
    title_field: str
    summary_field: str  # the one- or two-sentence lead
    body_field: str  # the Markdown text (the body of an exported Markdown file)
    text_fields: tuple[str, ...]  # free text the owner may edit by find/replace
    required: frozenset[str]  # columns that may not be cleared by an update
    order: Callable[[], tuple[ColumnElement, ...]]  # list order (SQL expressions)
    document: Callable[[Any], Document]  # what is searchable
    facts: Callable[[Any], list[str]]  # short facts shown to a model beside the item's summary
    # What a visitor's answer may say of it (folio.services.evidence): facts, links, terms, expired.
    evidence: Callable[[Any, date], VisitorFacts]
    words: tuple[str, ...]  # nouns people use for it ("cert", "article"...): owner's and visitors' words
    cues: tuple[str, ...]  # other words of a visitor's question that point at it ("built", "wrote")
    writer_noun: str  # what the writing assistant is asked to write: "blog post"
    fields_help: str  # the owner's tools: its fields ("*" required)
    # The fields the owner's chat copies from a message: for a new item, and those also read for a change.
    message_fields: tuple[str, ...]
    message_update_fields: tuple[str, ...] = ()
    filters: tuple[ListFilter, ...] = ()
    # Values that publish a hidden item; None: always public (nothing to publish).
    publish: dict[str, Any] | None = None
    # Publishing stamps this time field once and needs this text field non-empty.
    published_stamp: str | None = None
    publish_needs: str | None = None
    # Other names of fields in imported files (Hugo/Jekyll front matter).
    file_aliases: dict[str, str] = field(default_factory=dict)

    def title_of(self, item) -> str:
        return getattr(item, self.title_field)

    def summary_of(self, item) -> str:
        return getattr(item, self.summary_field) or ""

    def url_of(self, slug: str) -> str:
        return f"/api/v1/{self.plural}/{slug}"

    def page_of(self, slug: str) -> str:
        """The item's readable page (api/routes/pages.py): what chat citations link to."""
        return f"/p/{self.name}/{slug}"


def _present(*facts: str) -> list[str]:
    return [f for f in facts if f]


def _joined(label: str, values: list[str]) -> str:
    return f"{label}: {', '.join(values)}" if values else ""


def _project_evidence(p, today: date) -> VisitorFacts:
    return VisitorFacts(
        _present(f"built with {', '.join(p.tech_stack)}" if p.tech_stack else "",
                 f"tags {', '.join(p.tags)}" if p.tags else "", f"started {p.started_on}" if p.started_on else "",
                 f"finished {p.finished_on}" if p.finished_on else ("ongoing" if p.started_on else "")),
        [("repository", p.repo_url), ("live site", p.live_url)], [*p.tech_stack, *p.tags])


def _post_evidence(p, today: date) -> VisitorFacts:
    return VisitorFacts(_present(f"tags {', '.join(p.tags)}" if p.tags else "",
                                 f"published {p.published_at.date()}" if p.published_at else "",
                                 f"{p.reading_time} min read"), [], list(p.tags))


def _certification_evidence(c, today: date) -> VisitorFacts:
    expired = bool(c.expires_on and c.expires_on < today)
    validity = ((f"expired {c.expires_on}" if expired else f"valid until {c.expires_on}") if c.expires_on
                else "no expiry")
    return VisitorFacts(_present(f"issued by {c.issuer}", f"issued {c.issued_on}" if c.issued_on else "", validity),
                        [("credential", c.credential_url)], [c.issuer], expired)


PROJECT = KindSpec(
    "project", "projects", Project, schemas.ProjectCreate, schemas.ProjectUpdate, schemas.ProjectOut,
    title_field="title", summary_field="summary", body_field="body", text_fields=("title", "summary", "body"),
    required=frozenset({"title", "slug", "summary", "body", "tags", "tech_stack", "featured", "published"}),
    order=lambda: (Project.featured.desc(), Project.started_on.desc().nulls_last(), Project.created_at.desc()),
    document=lambda p: Document(p.title, p.summary, tuple(p.tags) + tuple(p.tech_stack), p.body),
    facts=lambda p: _present(
        _joined("tech", p.tech_stack), _joined("tags", p.tags),
        f"started {p.started_on}" if p.started_on else "",
        f"finished {p.finished_on}" if p.finished_on else ("ongoing" if p.started_on else ""),
        f"repo {p.repo_url}" if p.repo_url else "", f"live {p.live_url}" if p.live_url else ""),
    evidence=_project_evidence,
    words=("project", "projects"),
    cues=tuple("app apps application applications repo repos repository repositories library libraries built "
               "build building made created developed".split()),
    writer_noun="project description",
    fields_help="title*, summary, body, tags, tech_stack, repo_url, live_url, featured, published, "
                "started_on, finished_on",
    message_fields=("title", "summary", "tech_stack", "tags", "repo_url", "live_url", "started_on", "finished_on",
                    "featured"),
    message_update_fields=("published",),
    filters=(_tag_filter(),
             ListFilter("tech", "tech_stack", "contains", schemas.Tag,
                        "Only projects using this technology (case-insensitive)", ("PostgreSQL",)),
             _featured_filter("projects")),
    publish={"published": True},
)

POST = KindSpec(
    "post", "posts", Post, schemas.PostCreate, schemas.PostUpdate, schemas.PostOut,
    title_field="title", summary_field="excerpt", body_field="body", text_fields=("title", "excerpt", "body"),
    required=frozenset({"title", "slug", "excerpt", "body", "tags", "status"}),
    order=lambda: (Post.published_at.desc().nulls_first(), Post.created_at.desc()),
    document=lambda p: Document(p.title, p.excerpt, tuple(p.tags), p.body),
    facts=lambda p: _present(_joined("tags", p.tags),
                             f"published {p.published_at.date()}" if p.published_at else "draft",
                             f"{p.reading_time} min read"),
    evidence=_post_evidence,
    words=("post", "posts", "blog", "blogs", "article", "articles"),
    cues=("written", "wrote", "write", "writing"),
    writer_noun="blog post",
    fields_help="title*, excerpt, body, tags, status (draft|published)",
    message_fields=("title", "excerpt", "tags"),
    filters=(_tag_filter(),
             ListFilter("status", "status", "equals", schemas.PostStatus,
                        "draft or published (visitors only ever see published)")),
    publish={"status": "published"}, published_stamp="published_at", publish_needs="body",
    file_aliases={"date": "published_at", "description": "excerpt", "summary": "excerpt"},
)

CERTIFICATION = KindSpec(
    "certification", "certifications", Certification, schemas.CertificationCreate,
    schemas.CertificationUpdate, schemas.CertificationOut,
    title_field="name", summary_field="description", body_field="description",
    text_fields=("name", "issuer", "description"),
    required=frozenset({"name", "slug", "issuer", "description", "featured"}),
    order=lambda: (Certification.featured.desc(), Certification.issued_on.desc().nulls_last()),
    document=lambda c: Document(c.name, c.description, (c.issuer, c.credential_id or ""), ""),
    facts=lambda c: _present(f"issuer: {c.issuer}", f"issued {c.issued_on}" if c.issued_on else "",
                             f"expires {c.expires_on}" if c.expires_on else "",
                             f"verify at {c.credential_url}" if c.credential_url else ""),
    evidence=_certification_evidence,
    words=("certification", "certifications", "cert", "certs", "certificate", "certificates", "certified"),
    cues=("credential", "credentials", "exam", "exams"),
    writer_noun="certification description",
    fields_help="name*, issuer*, description, issued_on, expires_on, credential_id, credential_url",
    message_fields=("name", "issuer", "issued_on", "expires_on", "credential_id", "credential_url", "description"),
    message_update_fields=("featured",),
    filters=(_featured_filter("ones"),),
)

KINDS: dict[str, KindSpec] = {k.name: k for k in (PROJECT, POST, CERTIFICATION)}
KIND_NAMES: tuple[str, ...] = tuple(KINDS)
# The kinds as a type, for tool and route arguments (built from KINDS, once).
KindName = Literal[KIND_NAMES]  # type: ignore[valid-type]
# Every text field of every kind (the find/replace tool's `field` argument).
TextField = Literal[tuple(dict.fromkeys(f for k in KINDS.values() for f in k.text_fields))]  # type: ignore[misc]
BY_PLURAL: dict[str, KindSpec] = {k.plural: k for k in KINDS.values()}


def fields_help() -> str:
    """The owner's tools' help on what each kind holds."""
    kinds = ". ".join(f"{k.name}: {k.fields_help}" for k in KINDS.values())
    return f"{kinds}. * required. Lists as arrays, dates YYYY-MM-DD."


def kind_named(word: str, *, synonyms: bool = True) -> KindSpec | None:
    """The kind a word names ("posts", "_posts", and with synonyms "cert", "article"...), or None."""
    word = word.lower().lstrip("_")
    return next((k for k in KINDS.values()
                 if word in (k.name, k.plural) or (synonyms and word in k.words)), None)


def kinds_text(conjunction: str, *, plural: bool = False) -> str:
    """The kinds in words: "projects, posts and certifications", "project, post or certification"."""
    names = [k.plural if plural else k.name for k in KINDS.values()]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {conjunction} {names[-1]}"
