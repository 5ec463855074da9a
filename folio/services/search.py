"""Search across projects, posts and certifications: one service for REST and the agent."""

from __future__ import annotations

from dataclasses import dataclass

from data.db import Database
from data.repositories.search import SearchRepository
from folio.actor import Actor
from folio.errors import ValidationFailed
from folio.kinds import KINDS

MAX_LIMIT = 50
MAX_QUERY = 1000


@dataclass(frozen=True)
class SearchHit:
    type: str  # "project" | "post" | "certification"
    slug: str
    title: str
    snippet: str  # the matching chunk
    score: float
    legs: tuple[str, ...]  # which retrievers found it: "vector", "text"
    url: str


class SearchService:
    def __init__(self, db: Database):
        self.db = db
        self.repo = SearchRepository()

    async def search(self, actor: Actor, query: str, *, limit: int = 5, kind: str | None = None) -> list[SearchHit]:
        query = _check(query, limit, kind)
        async with self.db.unit_of_work() as session:
            rows = await self.repo.search(session, query, limit=limit, public_only=not actor.is_owner, kind=kind)
        return [SearchHit(type=r.item_type, slug=r.slug, title=r.title, snippet=r.snippet, score=r.score,
                          legs=tuple(leg for leg, hit in (("vector", r.vector), ("text", r.text)) if hit),
                          url=KINDS[r.item_type].url_of(r.slug))
                for r in rows]


def _check(query: str, limit: int, kind: str | None) -> str:
    if not isinstance(query, str) or not query.strip():
        raise ValidationFailed("the search query must not be empty")
    if len(query) > MAX_QUERY or "\x00" in query:
        raise ValidationFailed(f"the search query must be at most {MAX_QUERY} characters, without NUL")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(f"limit must be between 1 and {MAX_LIMIT}")
    if kind is not None and kind not in KINDS:
        raise ValidationFailed(f"kind must be one of {', '.join(KINDS)}")
    return query.strip()
