"""The service layer: every rule lives here; REST routes and agent tools call into it."""

from __future__ import annotations

from dataclasses import dataclass

from data.db import Database
from folio.kinds import CERTIFICATION, KINDS, POST, PROJECT
from folio.services.content import ContentService, Indexer
from folio.services.search import SearchHit, SearchService
from folio.services.users import UserService


@dataclass
class Services:
    db: Database
    projects: ContentService
    posts: ContentService
    certifications: ContentService
    users: UserService
    search: SearchService

    def content(self, kind: str) -> ContentService:
        return {"project": self.projects, "post": self.posts, "certification": self.certifications}[kind]


def build_services(db: Database, indexer: Indexer | None = None) -> Services:
    return Services(
        db=db,
        projects=ContentService(PROJECT, db, indexer),
        posts=ContentService(POST, db, indexer),
        certifications=ContentService(CERTIFICATION, db, indexer),
        users=UserService(db),
        search=SearchService(db),
    )


__all__ = ["KINDS", "SearchHit", "SearchService", "Services", "build_services"]
