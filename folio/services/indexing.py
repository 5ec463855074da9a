"""Embedding on write: keeps the search chunks of every item in step with its content.

ContentService calls `index` inside the write's transaction, so the item and its chunks commit
together. When the embedder is down the chunks are still written (full text finds them at once)
without vectors, the item is flagged `search_pending`, and the next successful write or
`folio reindex` embeds them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from data.chunking import Chunk, chunk_document
from data.db import Database
from data.embeddings import Embedder, EmbedderUnavailable
from data.embeddings.base import estimate_tokens
from data.repositories import ContentRepository
from data.repositories.profile import ProfileRepository
from data.repositories.search import NewChunk, SearchRepository
from folio.kinds import KINDS, PROFILE, KindSpec

log = logging.getLogger(__name__)

#: How many waiting chunks one successful write embeds on top of its own (bounded request time).
HEAL_BATCH = 64
#: Items per transaction in `folio reindex`.
REINDEX_BATCH = 16
#: Token window assumed when the model's own cannot be read.
DEFAULT_WINDOW = 256


@dataclass
class ReindexReport:
    items: int = 0
    chunks: int = 0
    embedded: int = 0
    dimensions_changed_to: int | None = None
    orphans_removed: int = 0
    skipped: int = 0  # items changed by another writer while reindex ran (that write indexed them)


class SearchIndexer:
    def __init__(self, embedder: Embedder | None):
        self.embedder = embedder
        self.repo = SearchRepository()

    # ---- the Indexer protocol (folio.services.content) ------------------------------------------
    async def index(self, session: AsyncSession, spec: KindSpec, item: Any) -> None:
        chunks = self.chunks_of(spec, item)
        vectors = await self._embed([c.text for c in chunks], session)
        await self.repo.replace_item(
            session, spec.name, item.id, bool(item.is_public),
            [NewChunk(c.ordinal, c.heading, c.text, vectors[i] if vectors else None) for i, c in enumerate(chunks)],
            self.embedder.model_id if self.embedder else None)
        item.search_pending = vectors is None
        if vectors is not None:
            await self.heal(session, HEAL_BATCH)

    async def remove(self, session: AsyncSession, spec: KindSpec, item: Any) -> None:
        await self.repo.remove_item(session, spec.name, item.id)

    # ---- healing and rebuilding ------------------------------------------------------------------
    async def heal(self, session: AsyncSession, limit: int) -> int:
        """Embed up to `limit` chunks that wait for the active model; returns how many."""
        if self.embedder is None:
            return 0
        waiting = await self.repo.pending(session, self.embedder.model_id, limit)
        if not waiting:
            return 0
        vectors = await self._embed([content for _, content in waiting], session)
        if vectors is None:
            return 0
        await self.repo.set_embeddings(session, self.embedder.model_id,
                                       [(chunk_id, v) for (chunk_id, _), v in zip(waiting, vectors)])
        log.info("embedded %d waiting search chunks", len(waiting))
        return len(waiting)

    async def prepare(self, db: Database) -> None:
        """At start: load the model once, and give a vector column that holds no vectors yet (a fresh
        install) the active model's dimensions. A column holding another model's vectors is left to
        `folio reindex`; until then search answers by full text and writes wait for vectors."""
        if self.embedder is None:
            return
        try:
            await asyncio.to_thread(self.embedder.warm_up)
        except EmbedderUnavailable as exc:
            log.warning("embedding model unavailable at start (writes will wait for vectors): %s", exc)
            return
        dims = self.embedder.dimensions
        async with db.unit_of_work() as session:
            if await self.repo.vector_dimensions(session) == dims:
                return
            if await self.repo.has_vectors(session):
                log.warning("the search index holds vectors of another model; run `folio reindex` for %s",
                            self.embedder.model_id)
                return
            await self.repo.set_vector_dimensions(session, dims)
            await self.repo.ensure_vector_index(session)
            log.info("search vectors now have %d dimensions (%s)", dims, self.embedder.model_id)

    async def pending_count(self, db: Database) -> int:
        if self.embedder is None:
            return 0
        async with db.unit_of_work() as session:
            return await self.repo.count_pending(session, self.embedder.model_id)

    async def reindex(self, db: Database, progress: Callable[[int, int], None] | None = None) -> ReindexReport:
        """Rebuild every chunk and vector with the active model (retyping the vector column when the
        model's dimensions differ). Raises EmbedderUnavailable when the model cannot be reached."""
        if self.embedder is None:
            raise EmbedderUnavailable("no embedding model is configured")
        await asyncio.to_thread(self.embedder.warm_up)  # down: raises before anything changes
        dims = self.embedder.dimensions
        report = ReindexReport()
        async with db.unit_of_work() as session:
            if await self.repo.vector_dimensions(session) != dims:
                await self.repo.set_vector_dimensions(session, dims)
                report.dimensions_changed_to = dims
            report.orphans_removed = await self.repo.remove_orphans(session, {
                spec.name: spec.model.__tablename__ for spec in (*KINDS.values(), PROFILE)})
            work = []
            for spec in KINDS.values():
                for item in await ContentRepository(spec.model).all(session):
                    work.append((spec, item))
            if (profile := await ProfileRepository().get(session)) is not None:
                work.append((PROFILE, profile))
        total = len(work)
        if progress:
            progress(0, total)
        for start in range(0, total, REINDEX_BATCH):
            batch = work[start:start + REINDEX_BATCH]
            planned = [(spec, item, self.chunks_of(spec, item)) for spec, item in batch]
            texts = [c.text for _, _, chunks in planned for c in chunks]
            vectors = await self.embedder.aembed_documents(texts)  # down: raise, the batch is not written
            async with db.unit_of_work() as session:
                # An item written (or deleted) since it was read was indexed by that write: rewriting
                # it from the old copy could bring back old text or publish a draft (issue #12).
                current = {}
                for spec in {spec.name: spec for spec, _, _ in planned}.values():
                    current.update(await self.repo.lock_versions(
                        session, spec.model, [item.id for s, item, _ in planned if s is spec]))
                offset = 0
                for spec, item, chunks in planned:
                    mine = vectors[offset:offset + len(chunks)]
                    offset += len(chunks)
                    if current.get(item.id) != item.updated_at:
                        report.skipped += 1
                        continue
                    await self.repo.replace_item(
                        session, spec.name, item.id, bool(item.is_public),
                        [NewChunk(c.ordinal, c.heading, c.text, v) for c, v in zip(chunks, mine)],
                        self.embedder.model_id)
            report.items += len(batch)
            report.chunks += len(texts)
            report.embedded += len(texts)
            if progress:
                progress(report.items, total)
        async with db.unit_of_work() as session:
            await self.repo.ensure_vector_index(session)
        await self.refresh_statistics(db)
        return report

    async def refresh_statistics(self, db: Database) -> None:
        """After bulk loads: the full-text leg weighs words by how common they are in the index."""
        async with db.unit_of_work() as session:
            await self.repo.analyze(session)

    # ---- helpers ---------------------------------------------------------------------------------
    def chunks_of(self, spec: KindSpec, item: Any) -> list[Chunk]:
        doc = spec.document(item)
        if self.embedder is not None:
            try:
                return chunk_document(doc, self.embedder.count_tokens, self.embedder.max_tokens)
            except EmbedderUnavailable:
                pass  # the model's tokenizer did not load: estimate; `folio reindex` re-chunks later
        return chunk_document(doc, estimate_tokens, DEFAULT_WINDOW)

    async def _embed(self, texts: list[str], session: AsyncSession) -> list[list[float]] | None:
        """Vectors for texts, or None when they cannot be stored now (embedder down, or the vector
        column still has another model's dimensions until `folio reindex`)."""
        if self.embedder is None or not texts:
            return None
        try:
            vectors = await self.embedder.aembed_documents(texts)
        except EmbedderUnavailable as exc:
            log.warning("search vectors postponed: %s", exc)
            return None
        if await self.repo.vector_dimensions(session) != len(vectors[0]):
            log.warning("search vectors postponed: the index holds another model's dimensions; "
                        "run `folio reindex`")
            return None
        return vectors

