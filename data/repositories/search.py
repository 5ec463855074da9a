"""All SQL of search: the chunk table, its vectors and the hybrid query. No rules here: the
services decide what is indexed, for whom, and with which model."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import column, delete, exists, func, insert, select, text, update
from sqlalchemy import table as sa_table
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from data.models import SearchChunk

VECTOR_INDEX = "ix_search_chunks_embedding"
# ef_construction 128 (migration 0016): a better-connected graph, so folio_search walks less of it
# (hnsw.ef_search 100, with a margin) for recall@10 >= 0.98 with no query at 0 at 100k chunks.
VECTOR_INDEX_DDL = (f"CREATE INDEX IF NOT EXISTS {VECTOR_INDEX} ON search_chunks "
                    "USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 128)")


@dataclass(frozen=True)
class NewChunk:
    ordinal: int
    heading: str
    content: str
    embedding: Sequence[float] | None = None


@dataclass(frozen=True)
class ItemHit:
    item_type: str
    slug: str
    title: str
    heading: str
    content: str  # the best-scoring chunk of the item
    score: float
    by_vector: bool
    by_text: bool


def vector_literal(vector: Sequence[float]) -> str:
    return "[" + ",".join(f"{float(v):.7g}" for v in vector) + "]"


# The hybrid query itself is the SQL function folio_search (migration 0006, documented in
# docs/search.md): HNSW nearest chunks + IDF-weighted full text, reciprocal rank fusion (k = 60) per
# item, each item checked against its own table at query time. One statement, one round trip.
SEARCH_SQL = text(
    "SELECT item_type, slug, title, heading, content, score, by_vector, by_text "
    "FROM folio_search(CAST(:qv AS vector), :qt, :model, :public_only, :kind, :k, :limit, :use_text)")
REFRESH_TERMS_SQL = text("SELECT folio_refresh_search_terms(:forced)")


class SearchRepository:
    # ---- the index -------------------------------------------------------------------------
    async def replace_item(self, session: AsyncSession, item_type: str, item_id: uuid.UUID, public: bool,
                           chunks: Sequence[NewChunk], model: str | None) -> None:
        await self.remove_item(session, item_type, item_id)
        if not chunks:
            return
        rows = [{"item_type": item_type, "item_id": item_id, "ordinal": c.ordinal, "public": public,
                 "heading": c.heading, "content": c.content,
                 "model": model if c.embedding is not None else None,
                 "embedding": list(c.embedding) if c.embedding is not None else None} for c in chunks]
        await session.execute(insert(SearchChunk), rows)

    async def remove_item(self, session: AsyncSession, item_type: str, item_id: uuid.UUID) -> None:
        await session.execute(delete(SearchChunk).where(SearchChunk.item_type == item_type,
                                                        SearchChunk.item_id == item_id))

    async def lock_versions(self, session: AsyncSession, model: type, ids: Sequence[uuid.UUID]) -> dict:
        """The current `updated_at` of these items, share-locked until the transaction ends (a
        concurrent write waits); deleted items are missing from the result."""
        rows = await session.execute(select(model.id, model.updated_at).where(model.id.in_(list(ids)))
                                     .with_for_update(read=True))
        return {r.id: r.updated_at for r in rows}

    async def remove_orphans(self, session: AsyncSession, tables: dict[str, str]) -> int:
        """Chunks whose item no longer exists (written around the service); `tables`: each item type's
        table (the kinds' and the profile's, from folio.kinds)."""
        stmt = delete(SearchChunk)
        for item_type, table in tables.items():
            rows = sa_table(table, column("id"))
            stmt = stmt.where(~exists(select(1).select_from(rows).where(
                SearchChunk.item_type == item_type, rows.c.id == SearchChunk.item_id)))
        result = await session.execute(stmt)
        return result.rowcount or 0

    def _pending(self, model: str):
        return (SearchChunk.embedding.is_(None)) | (SearchChunk.model.is_distinct_from(model))

    async def pending(self, session: AsyncSession, model: str, limit: int) -> list[tuple[int, str]]:
        """Chunks without a vector of `model`, oldest first, locked so two writers don't both embed them."""
        rows = await session.execute(
            select(SearchChunk.id, SearchChunk.content).where(self._pending(model))
            .order_by(SearchChunk.id).limit(limit).with_for_update(skip_locked=True))
        return [(r.id, r.content) for r in rows]

    async def count_pending(self, session: AsyncSession, model: str) -> int:
        return int(await session.scalar(select(func.count()).where(self._pending(model))) or 0)

    async def set_embeddings(self, session: AsyncSession, model: str,
                             vectors: Sequence[tuple[int, Sequence[float]]]) -> None:
        for chunk_id, vector in vectors:
            await session.execute(update(SearchChunk).where(SearchChunk.id == chunk_id)
                                  .values(model=model, embedding=list(vector)))

    async def analyze(self, session: AsyncSession) -> None:
        """Refresh the statistics the full-text leg weighs words by, and its cached copy (autovacuum
        also analyzes: searches pick that up through refresh_terms)."""
        await session.execute(text("ANALYZE search_chunks"))
        await self.refresh_terms(session, forced=True)

    async def has_vectors(self, session: AsyncSession) -> bool:
        return bool(await session.scalar(select(func.count()).select_from(
            select(SearchChunk.id).where(SearchChunk.embedding.is_not(None)).limit(1).subquery())))

    # ---- the vector column follows the model ---------------------------------------------------
    async def vector_dimensions(self, session: AsyncSession) -> int | None:
        typmod = await session.scalar(text(
            "SELECT atttypmod FROM pg_attribute "
            "WHERE attrelid = 'search_chunks'::regclass AND attname = 'embedding' AND NOT attisdropped"))
        return int(typmod) if typmod is not None and typmod > 0 else None

    async def set_vector_dimensions(self, session: AsyncSession, dimensions: int) -> None:
        """Drop every vector and the HNSW index and retype the column (all chunks become pending)."""
        await session.execute(text(f"DROP INDEX IF EXISTS {VECTOR_INDEX}"))
        await session.execute(text(
            f"ALTER TABLE search_chunks ALTER COLUMN embedding TYPE vector({int(dimensions)}) USING NULL"))
        await session.execute(text("UPDATE search_chunks SET model = NULL"))

    async def ensure_vector_index(self, session: AsyncSession) -> None:
        await session.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        await session.execute(text(VECTOR_INDEX_DDL))

    # ---- the query -----------------------------------------------------------------------------
    async def search(self, session: AsyncSession | AsyncConnection, *, query_text: str, query_vector: Sequence[float] | None,
                     model: str, use_text: bool, public_only: bool, kind: str | None, limit: int,
                     per_leg: int = 40) -> list[ItemHit]:
        """Items best first; a leg is left out when it has no input (no vector, or use_text False).
        A query vector whose size differs from the column's (a model switch before `folio reindex`)
        is ignored by the statement itself."""
        rows = (await session.execute(SEARCH_SQL, self.search_params(
            query_text=query_text, query_vector=query_vector, model=model, use_text=use_text,
            public_only=public_only, kind=kind, limit=limit, per_leg=per_leg))).all()
        # The statement returns the items tied at the cut; ties are ordered by slug here.
        rows.sort(key=lambda r: (-r.score, r.slug))
        return [ItemHit(r.item_type, r.slug, r.title, r.heading, r.content, float(r.score), r.by_vector,
                        r.by_text) for r in rows[:limit]]

    @staticmethod
    def search_params(*, query_text: str, query_vector: Sequence[float] | None, model: str, use_text: bool,
                      public_only: bool, kind: str | None, limit: int, per_leg: int = 40) -> dict:
        return {"qv": vector_literal(query_vector) if query_vector is not None else None, "qt": query_text,
                "model": model, "public_only": public_only, "kind": kind, "k": max(per_leg, limit),
                "limit": limit, "use_text": use_text}

    async def refresh_terms(self, session: AsyncSession, forced: bool = False) -> bool:
        """Copy the term statistics of the last ANALYZE into search_terms when they changed (or always
        when forced); True when copied."""
        return bool(await session.scalar(REFRESH_TERMS_SQL, {"forced": forced}))
