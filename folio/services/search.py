"""Search across projects, posts and certifications: one service for REST and the agent.

Hybrid retrieval: the nearest chunks by vector (pgvector HNSW, cosine) and the best full-text
matches (tsvector, websearch_to_tsquery), fused by reciprocal rank and grouped to items; the SQL
lives in data.repositories.search. Visitors only ever see published content."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from data.db import Database
from data.embeddings import Embedder, EmbedderUnavailable
from data.repositories.search import SearchRepository
from folio.actor import Actor
from folio.errors import ValidationFailed
from folio.kinds import KINDS, spec_of

log = logging.getLogger(__name__)

MAX_LIMIT = 50
MAX_QUERY = 1000
SNIPPET_CHARS = 320
LEGS = ("vector", "text")
#: Seconds between checks that the cached term statistics follow the latest ANALYZE (autovacuum's too).
TERMS_CHECK_EVERY = 60.0


@dataclass(frozen=True)
class SearchHit:
    type: str  # "project" | "post" | "certification"
    slug: str
    title: str
    snippet: str  # the best matching chunk of the item
    score: float  # reciprocal-rank-fusion score: higher is better
    legs: tuple[str, ...]  # which retrievers found it: "vector", "text"
    url: str


class SearchService:
    def __init__(self, db: Database, embedder: Embedder | None = None):
        self.db = db
        self.embedder = embedder
        self.repo = SearchRepository()
        self._terms_checked = float("-inf")

    async def search(self, actor: Actor, query: str, *, limit: int = 5, kind: str | None = None,
                     legs: tuple[str, ...] = LEGS) -> list[SearchHit]:
        """The items best matching `query`, best first. `legs` narrows the retrievers (evaluation)."""
        query = _check(query, limit, kind, legs)
        vector = None
        if "vector" in legs and self.embedder is not None:
            try:
                vector = await self.embedder.aembed_query(query)
            except EmbedderUnavailable as exc:  # full text still answers
                log.warning("vector search skipped: %s", exc)
        if time.monotonic() - self._terms_checked > TERMS_CHECK_EVERY:
            self._terms_checked = time.monotonic()
            async with self.db.read() as session:
                await self.repo.refresh_terms(session)
        # One statement on a bare autocommit connection (no session, no transaction, no pre-ping): one round trip.
        rows = await self.db.read_once(lambda conn: self.repo.search(
            conn, query_text=query, query_vector=vector, model=self.embedder.model_id if self.embedder else "",
            use_text="text" in legs, public_only=not actor.is_owner, kind=kind, limit=limit))
        return [SearchHit(type=r.item_type, slug=r.slug, title=r.title, snippet=_snippet(r.content, r.title),
                          score=r.score,
                          legs=tuple(leg for leg, hit in (("vector", r.by_vector), ("text", r.by_text)) if hit),
                          url=spec_of(r.item_type).url_of(r.slug))
                for r in rows]


def _snippet(content: str, title: str) -> str:
    """The chunk without the title line the indexer put in front of it, cut at a word boundary."""
    first, _, rest = content.partition("\n")
    if rest and first.startswith(title):
        content = rest
    content = " ".join(content.split())
    if len(content) <= SNIPPET_CHARS:
        return content
    return content[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def _check(query: str, limit: int, kind: str | None, legs: tuple[str, ...]) -> str:
    if not isinstance(query, str) or not query.strip():
        raise ValidationFailed("the search query must not be empty")
    if len(query) > MAX_QUERY or "\x00" in query:
        raise ValidationFailed(f"the search query must be at most {MAX_QUERY} characters, without NUL")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(f"limit must be between 1 and {MAX_LIMIT}")
    if kind is not None and kind not in KINDS:
        raise ValidationFailed(f"kind must be one of {', '.join(KINDS)}")
    if not legs or not set(legs) <= set(LEGS):
        raise ValidationFailed("legs must be a non-empty subset of vector, text")
    return query.strip()
