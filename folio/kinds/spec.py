"""What a kind of portfolio content is: a KindSpec, and the small types it is made of."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy.sql import ColumnElement

from data.chunking import Document
from data.models import Base
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


@dataclass(frozen=True)
class VisitorFacts:
    facts: list[str]  # "built with Rust", "valid until 2027-06-01"
    links: list[tuple[str, str | None]]  # (label, url); empty urls are dropped
    terms: list[str]  # what it is about (tech stack, tags, issuer)
    expired: bool = False


@dataclass(frozen=True, eq=False)  # one object per kind: compared and hashed by identity
class KindSpec:
    """Everything that differs between kinds, in one place (an example: folio/kinds/project.py)."""

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
    page: Callable[[Any, date], VisitorFacts]  # the item's readable page (api/pages): facts, links, tags
    schema_type: str  # schema.org type of its JSON-LD (folio.services.feeds)
    # Its JSON-LD properties beyond name, url and dates; `author` (the owner as a Person) is None when the
    # item is nested in the owner's own document. Dates as date objects; empty values are dropped.
    jsonld: Callable[[Any, dict[str, Any] | None], dict[str, Any]]
    words: tuple[str, ...]  # nouns people use for it ("cert", "article"...): owner's and visitors' words
    cues: tuple[str, ...]  # other words of a visitor's question that point at it ("built", "wrote")
    writer_noun: str  # what the writing assistant is asked to write: "blog post"
    fields_help: str  # the owner's tools: its fields ("*" required)
    # The fields the owner's chat copies from a message: for a new item, and those also read for a change.
    message_fields: tuple[str, ...]
    message_update_fields: tuple[str, ...] = ()
    terms_are_topics: bool = True  # its evidence terms are topics a question may name (tech, tags), not an issuer
    filters: tuple[ListFilter, ...] = ()
    # Values that publish a hidden item; None: always public (nothing to publish).
    publish: dict[str, Any] | None = None
    # Publishing stamps this time field once and needs this text field non-empty.
    published_stamp: str | None = None
    publish_needs: str | None = None
    # The date that makes an item "the latest" of its kind ("what's the most recent post?").
    recency_field: str | None = None
    # Other names of fields in imported files (Hugo/Jekyll front matter).
    file_aliases: dict[str, str] = field(default_factory=dict)
    # How an item is called in citations and lists when its title field alone is not enough
    # ("Senior Engineer at Acme"); None: the title field.
    label: Callable[[Any], str] | None = None
    # The fields a generated slug is made of (default: the title field), e.g. ("title", "organisation").
    slug_fields: tuple[str, ...] = ()
    # What answers call one item ("the role Senior Engineer at Acme"); default: the kind's name.
    noun: str = ""
    # Two date fields that must be in this order (start, end), checked on an update against the stored
    # value of the one not given (the schemas check them when both are given).
    date_order: tuple[str, str] | None = None
    # The property of the owner's JSON-LD (a schema.org Person) that lists the kind's published items.
    person_property: str = "workExample"

    @property
    def called(self) -> str:
        return self.noun or self.name

    @property
    def called_plural(self) -> str:
        return f"{self.noun}s" if self.noun else self.plural

    def title_of(self, item) -> str:
        return self.label(item) if self.label else getattr(item, self.title_field)

    def slug_text(self, values: dict[str, Any]) -> str:
        """The words a new item's slug is generated from (its create values)."""
        return " ".join(str(values.get(f) or "") for f in self.slug_fields or (self.title_field,))

    def summary_of(self, item) -> str:
        return getattr(item, self.summary_field) or ""

    def body_of(self, item) -> str:
        """The item's Markdown text beyond its summary ("" for a kind whose summary is its text)."""
        return (getattr(item, self.body_field) or "") if self.body_field != self.summary_field else ""

    def url_of(self, slug: str) -> str:
        return f"/api/v1/{self.plural}/{slug}"

    def page_of(self, slug: str) -> str:
        """The item's readable page (api/routes/pages.py): what chat citations link to."""
        return f"/p/{self.name}/{slug}"


def tag_filter() -> ListFilter:
    return ListFilter("tag", "tags", "contains", schemas.Tag, "Only items with this tag (case-insensitive)",
                      ("rust",))


def featured_filter() -> ListFilter:
    return ListFilter("featured", "featured", "equals", bool, "Only featured (true) or non-featured (false) items")


def present(*facts: str) -> list[str]:
    return [f for f in facts if f]


def joined(label: str, values: list[str]) -> str:
    return f"{label}: {', '.join(values)}" if values else ""
