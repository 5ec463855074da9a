"""Input and output shapes shared by REST, the agent's tools, import/export and the demo seed."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, StringConstraints, TypeAdapter,
                      ValidationError, WithJsonSchema, model_validator)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refusing it here keeps it a 422, not a 500.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


_HTTP_URL = TypeAdapter(HttpUrl)


def _url(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        _HTTP_URL.validate_python(value)
    except ValidationError:
        raise ValueError("must be an http:// or https:// URL") from None
    _no_nul(value)
    return value


Text = Annotated[str, StringConstraints(max_length=100_000), AfterValidator(_no_nul)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), AfterValidator(_no_nul)]
Slug = Annotated[str, StringConstraints(min_length=1, max_length=120, pattern=SLUG_PATTERN)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), AfterValidator(_no_nul)]
Url = Annotated[str | None, StringConstraints(max_length=500), AfterValidator(_url),
               WithJsonSchema({"anyOf": [{"type": "string", "format": "uri", "maxLength": 500}, {"type": "null"}]})]
ShortText = Annotated[str, StringConstraints(max_length=200), AfterValidator(_no_nul)]
PostStatus = Literal["draft", "published"]
PlainText = Annotated[str, AfterValidator(_no_nul)]  # any length; constrain it where used


def _examples(*examples: dict) -> ConfigDict:
    """Model-level examples for the OpenAPI document (merged with the parent's config)."""
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProjectCreate(_In):
    model_config = _examples({"title": "Tide Gauge", "summary": "Coastal water-level sensors.",
         "body": "Sensors on piers report the sea level every minute.", "tags": ["iot", "timeseries"],
         "tech_stack": ["Python", "TimescaleDB"], "repo_url": "https://github.com/example/tide-gauge",
         "featured": True, "published": True, "started_on": "2024-03-01"})

    title: Title = Field(description="Project name", examples=["Tide Gauge"])
    slug: Slug | None = Field(None, description="URL name; generated from the title when omitted",
                              examples=["tide-gauge"])
    summary: Text = Field("", description="One or two sentences", examples=["Coastal water-level sensors."])
    body: Text = Field("", description="Markdown description")
    tags: list[Tag] = Field(default_factory=list, max_length=20, description="Lower-case topics",
                            examples=[["iot", "timeseries"]])
    tech_stack: list[Tag] = Field(default_factory=list, max_length=30, description="Technologies used",
                                  examples=[["Python", "TimescaleDB"]])
    repo_url: Url = Field(None, description="Source repository", examples=["https://github.com/x/y"])
    live_url: Url = Field(None, description="Where it runs")
    image_url: Url = Field(None, description="Screenshot or logo")
    featured: bool = Field(False, description="Shown first")
    published: bool = Field(True, description="Visible to visitors")
    started_on: date | None = Field(None, description="Start date", examples=["2024-03-01"])
    finished_on: date | None = Field(None, description="End date; empty while ongoing")

    @model_validator(mode="after")
    def _dates(self):
        if self.started_on and self.finished_on and self.finished_on < self.started_on:
            raise ValueError("finished_on must not be before started_on")
        return self


class ProjectUpdate(_In):
    model_config = _examples({"summary": "Coastal water-level sensors, now solar powered."},
                             {"published": False})

    title: Title | None = Field(None, description="Project name")
    slug: Slug | None = Field(None, description="New URL name")
    summary: Text | None = Field(None, description="One or two sentences")
    body: Text | None = Field(None, description="Markdown description")
    tags: list[Tag] | None = Field(None, max_length=20, description="Lower-case topics")
    tech_stack: list[Tag] | None = Field(None, max_length=30, description="Technologies used")
    repo_url: Url = Field(None, description="Source repository")
    live_url: Url = Field(None, description="Where it runs")
    image_url: Url = Field(None, description="Screenshot or logo")
    featured: bool | None = Field(None, description="Shown first")
    published: bool | None = Field(None, description="Visible to visitors")
    started_on: date | None = Field(None, description="Start date")
    finished_on: date | None = Field(None, description="End date")


class PostCreate(_In):
    model_config = _examples({"title": "HNSW in pgvector", "excerpt": "What the index buys you, measured.",
                              "body": "## Why HNSW\n\nExact scans stop scaling at ...", "tags": ["postgres"],
                              "status": "draft"})

    title: Title = Field(description="Post title", examples=["HNSW in pgvector"])
    slug: Slug | None = Field(None, description="URL name; generated from the title when omitted")
    excerpt: Text = Field("", description="One or two sentences shown in lists")
    body: Text = Field("", description="Markdown body", examples=["## Why HNSW\n\n..."])
    tags: list[Tag] = Field(default_factory=list, max_length=20, description="Lower-case topics")
    cover_image_url: Url = Field(None, description="Cover image")
    canonical_url: Url = Field(None, description="Where the post was first published (its original page)")
    status: PostStatus = Field("draft", description="draft or published")
    published_at: datetime | None = Field(None, description="Publication time; set when first published if omitted")


class PostUpdate(_In):
    model_config = _examples({"status": "published"}, {"title": "HNSW in pgvector, measured"})

    title: Title | None = Field(None, description="Post title")
    slug: Slug | None = Field(None, description="New URL name")
    excerpt: Text | None = Field(None, description="One or two sentences")
    body: Text | None = Field(None, description="Markdown body")
    tags: list[Tag] | None = Field(None, max_length=20, description="Lower-case topics")
    cover_image_url: Url = Field(None, description="Cover image")
    canonical_url: Url = Field(None, description="Where the post was first published")
    status: PostStatus | None = Field(None, description="draft or published")
    published_at: datetime | None = Field(None, description="Publication time")


class CertificationCreate(_In):
    model_config = _examples({"name": "AWS Certified Solutions Architect – Associate",
                              "issuer": "Amazon Web Services", "issued_on": "2024-06-01",
                              "expires_on": "2027-06-01", "credential_id": "SAA-C03-12345", "featured": True})

    name: Title = Field(description="Certification name", examples=["AWS Certified Solutions Architect – Associate"])
    slug: Slug | None = Field(None, description="URL name; generated from the name when omitted")
    issuer: Title = Field(description="Who issued it", examples=["Amazon Web Services"])
    description: Text = Field("", description="What it covers")
    issued_on: date | None = Field(None, description="Issue date")
    expires_on: date | None = Field(None, description="Expiry date; empty if it does not expire")
    credential_id: ShortText | None = Field(None, description="Credential id", examples=["SAA-C03-12345"])
    credential_url: Url = Field(None, description="Verification link")
    badge_image_url: Url = Field(None, description="Badge image")
    featured: bool = Field(False, description="Shown first")

    @model_validator(mode="after")
    def _dates(self):
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            raise ValueError("expires_on must not be before issued_on")
        return self


class CertificationUpdate(_In):
    model_config = _examples({"expires_on": "2028-06-01"}, {"featured": False})

    name: Title | None = Field(None, description="Certification name")
    slug: Slug | None = Field(None, description="New URL name")
    issuer: Title | None = Field(None, description="Who issued it")
    description: Text | None = Field(None, description="What it covers")
    issued_on: date | None = Field(None, description="Issue date")
    expires_on: date | None = Field(None, description="Expiry date")
    credential_id: ShortText | None = Field(None, description="Credential id")
    credential_url: Url = Field(None, description="Verification link")
    badge_image_url: Url = Field(None, description="Badge image")
    featured: bool | None = Field(None, description="Shown first")


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID = Field(description="Stable identifier")
    slug: str = Field(description="URL name", examples=["tide-gauge"])
    created_at: datetime = Field(description="Created")
    updated_at: datetime = Field(description="Last changed")
    search_pending: bool = Field(
        False, description="On the answer to a write: true when the item was saved but the embedding model "
        "was unavailable, so it is found by full-text search only until the next write or `folio reindex`")


class ProjectOut(_Out):
    model_config = _examples({**{"title": "Tide Gauge", "summary": "Coastal water-level sensors.",
         "body": "Sensors on piers report the sea level every minute.", "tags": ["iot", "timeseries"],
         "tech_stack": ["Python", "TimescaleDB"], "repo_url": "https://github.com/example/tide-gauge",
         "featured": True, "published": True, "started_on": "2024-03-01"},
                              "slug": "tide-gauge", "live_url": None, "image_url": None, "finished_on": None,
                              "id": "0b9e7c1e-3f4a-4d59-9a53-6a1f0f3c2b7d", "created_at": "2024-03-01T10:00:00Z",
     "updated_at": "2024-05-02T08:30:00Z"})

    title: str = Field(description="Project name")
    summary: str = Field(description="One or two sentences")
    body: str = Field(description="Markdown description")
    tags: list[str] = Field(description="Topics")
    tech_stack: list[str] = Field(description="Technologies used")
    repo_url: str | None = Field(description="Source repository")
    live_url: str | None = Field(description="Where it runs")
    image_url: str | None = Field(description="Screenshot or logo")
    featured: bool = Field(description="Shown first")
    published: bool = Field(description="Visible to visitors")
    started_on: date | None = Field(description="Start date")
    finished_on: date | None = Field(description="End date")


class PostOut(_Out):
    model_config = _examples({"slug": "hnsw-in-pgvector", "title": "HNSW in pgvector",
                              "excerpt": "What the index buys you, measured.", "body": "## Why HNSW\n\n...",
                              "tags": ["postgres"], "cover_image_url": None, "status": "published",
                              "published_at": "2024-05-02T08:30:00Z", "reading_time": 6,
                              "id": "0b9e7c1e-3f4a-4d59-9a53-6a1f0f3c2b7d", "created_at": "2024-03-01T10:00:00Z",
     "updated_at": "2024-05-02T08:30:00Z"})

    title: str = Field(description="Post title")
    excerpt: str = Field(description="Short summary")
    body: str = Field(description="Markdown body")
    tags: list[str] = Field(description="Topics")
    cover_image_url: str | None = Field(description="Cover image")
    canonical_url: str | None = Field(None, description="Where the post was first published")
    status: PostStatus = Field(description="draft or published")
    published_at: datetime | None = Field(description="When it was published")
    reading_time: int = Field(description="Minutes to read", examples=[6])


class CertificationOut(_Out):
    model_config = _examples({"slug": "aws-solutions-architect", "name": "AWS Certified Solutions Architect",
                              "issuer": "Amazon Web Services", "description": "", "issued_on": "2024-06-01",
                              "expires_on": "2027-06-01", "credential_id": "SAA-C03-12345",
                              "credential_url": None, "badge_image_url": None, "featured": True,
                              "id": "0b9e7c1e-3f4a-4d59-9a53-6a1f0f3c2b7d", "created_at": "2024-03-01T10:00:00Z",
     "updated_at": "2024-05-02T08:30:00Z"})

    name: str = Field(description="Certification name")
    issuer: str = Field(description="Who issued it")
    description: str = Field(description="What it covers")
    issued_on: date | None = Field(description="Issue date")
    expires_on: date | None = Field(description="Expiry date")
    credential_id: str | None = Field(description="Credential id")
    credential_url: str | None = Field(description="Verification link")
    badge_image_url: str | None = Field(description="Badge image")
    featured: bool = Field(description="Shown first")


# ---- the owner's inbox (left by visitors in the chat) -------------------------------------------

class ContactCreate(_In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "Ada Lovelace", "email": "ada@example.com", "message": "We are hiring for a Rust role."}]})
    name: Title = Field(description="Who is writing", examples=["Ada Lovelace"])
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=320)] = Field(
        description="Where the owner can answer", examples=["ada@example.com"])
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000),
                       AfterValidator(_no_nul)] = Field("", description="What it is about")


class UnansweredQuestionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [
        {"id": "7d3f8c1e-2b4a-4c6d-9e8f-0a1b2c3d4e5f", "question": "Have you worked with Kubernetes?",
         "best_match": "/api/v1/posts/hnsw-in-pgvector", "thread_id": "b1c2", "created_at": "2026-11-26T10:00:00Z"}]})
    id: uuid.UUID = Field(description="Stable identifier")
    question: str = Field(description="What the visitor asked")
    best_match: str | None = Field(description="The closest portfolio item's url, if any")
    thread_id: str | None = Field(description="Chat thread it came from")
    created_at: datetime = Field(description="When it was asked")


class ContactRequestOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [
        {"id": "7d3f8c1e-2b4a-4c6d-9e8f-0a1b2c3d4e5f", "name": "Ada Lovelace", "email": "ada@example.com",
         "message": "We are hiring for a Rust role.", "thread_id": "b1c2", "created_at": "2026-11-26T10:00:00Z"}]})
    id: uuid.UUID = Field(description="Stable identifier")
    name: str = Field(description="Who is writing")
    email: str = Field(description="Where to answer")
    message: str = Field(description="What it is about")
    thread_id: str | None = Field(description="Chat thread it came from")
    created_at: datetime = Field(description="When it was left")
