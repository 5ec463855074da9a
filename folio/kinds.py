"""The three kinds of portfolio content and what differs between them."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from data.models import Base, Certification, Post, Project
from folio import schemas


@dataclass(frozen=True)
class KindSpec:
    name: str  # "project"
    plural: str  # "projects": REST path and JSON key
    model: type[Base]
    create: type[BaseModel]
    update: type[BaseModel]
    out: type[BaseModel]
    title_field: str
    # Columns that may not be cleared by an update.
    required: frozenset[str]

    def title_of(self, item) -> str:
        return getattr(item, self.title_field)

    def url_of(self, slug: str) -> str:
        return f"/api/v1/{self.plural}/{slug}"

    def page_of(self, slug: str) -> str:
        """The item's readable page (api/routes/pages.py): what chat citations link to."""
        return f"/p/{self.name}/{slug}"


PROJECT = KindSpec("project", "projects", Project, schemas.ProjectCreate, schemas.ProjectUpdate,
                   schemas.ProjectOut, "title",
                   frozenset({"title", "slug", "summary", "body", "tags", "tech_stack", "featured", "published"}))
POST = KindSpec("post", "posts", Post, schemas.PostCreate, schemas.PostUpdate, schemas.PostOut, "title",
                frozenset({"title", "slug", "excerpt", "body", "tags", "status"}))
CERTIFICATION = KindSpec("certification", "certifications", Certification, schemas.CertificationCreate,
                         schemas.CertificationUpdate, schemas.CertificationOut, "name",
                         frozenset({"name", "slug", "issuer", "description", "featured"}))

KINDS: dict[str, KindSpec] = {k.name: k for k in (PROJECT, POST, CERTIFICATION)}
