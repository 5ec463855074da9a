"""All SQL of search: the chunk table, its vectors and the hybrid query. No rules here: the
services decide what is indexed, for whom, and with which model."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import SearchChunk

TS_CONFIG = "english"  # must match the generated tsv column (migration 0002)
RRF_K = 60
# Cosine distance past which a chunk is unrelated to the query (similarity under 0.2 for MiniLM),
# so that a question about nothing in the portfolio gets no vector hits rather than the nearest noise.
MAX_DISTANCE = 0.8
EF_SEARCH = 100
VECTOR_INDEX = "ix_search_chunks_embedding"
VECTOR_INDEX_DDL = (f"CREATE INDEX IF NOT EXISTS {VECTOR_INDEX} ON search_chunks "
                    "USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)")


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


_FILTERS = "(public OR NOT :public_only) AND (CAST(:kind AS text) IS NULL OR item_type = :kind)"

_VECTOR_LEG = f"""
    SELECT id, row_number() OVER (ORDER BY distance, id) AS rank FROM (
        SELECT id, embedding <=> CAST(:qv AS vector) AS distance
          FROM search_chunks
         WHERE model = :model AND {_FILTERS}
         ORDER BY embedding <=> CAST(:qv AS vector)
         LIMIT :k) nearest
     WHERE distance <= {{max_distance}}"""

# Full text with "or" semantics weighted by rarity: ts_rank has no IDF, so a question's common words
# ("project", "use") would outrank the one rare word that matters ("ratatui"). Each query lexeme gets
# idf = ln(1 / share of chunks holding it), read from the column statistics ANALYZE keeps for the
# tsvector (most_common_elems). A lexeme missing there gets the largest weight, whether it is rare
# or absent: absent words count in the query's idf mass, so a chunk that explains only one incidental
# word of a long paraphrased question scores a low coverage. (In a portfolio of a handful of items
# every word is "common" and this leg is weak; the vector leg carries such queries.) Candidates must hold at least one
# lexeme held by under RARE_SHARE of chunks (all lexemes when none is that rare) and cover at least
# MIN_COVERAGE of the query's idf mass (a paraphrase sharing one incidental word with a chunk is noise
# that would push the vector leg's right answer down); a chunk matching the whole
# websearch_to_tsquery (every word, quoted phrases) always qualifies and gets a bonus.
# MIN_COVERAGE 0.3 was picked on the demo set (`folio eval`): 0 -> hybrid MRR@10 0.80, 0.3 -> 0.89,
# 0.5 -> 0.88 with recall@5 down to 0.93.
RARE_SHARE = 0.05
MIN_SHARE = 0.001
FULL_MATCH_BONUS = 5.0
MIN_COVERAGE = 0.3
RESCORED_PER_HIT = 4

_TERMS = f"""
     stats AS MATERIALIZED (  -- read once: the pg_stats view and the anyarray cast are not free
        SELECT e.elem, e.share
          FROM pg_stats s,
               unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(elem, share)
         WHERE s.schemaname = current_schema() AND s.tablename = 'search_chunks' AND s.attname = 'tsv'
           AND e.elem IS NOT NULL),
     weighed AS (
        SELECT l.lex, plainto_tsquery('simple', l.lex) AS q,
               ln(1.0 / greatest(coalesce(st.share, 0), {MIN_SHARE})) AS idf
          FROM unnest(tsvector_to_array(to_tsvector('{TS_CONFIG}', :qt))) AS l(lex)
          LEFT JOIN stats st ON st.elem = l.lex),
     terms AS (  -- seed: the lexemes candidates are drawn from (the rare ones, or all when none is rare)
        SELECT lex, q, idf, idf > ln(1.0 / {RARE_SHARE}) OR NOT bool_or(idf > ln(1.0 / {RARE_SHARE})) OVER () AS seed
          FROM weighed),
     wanted AS (
        SELECT websearch_to_tsquery('simple', string_agg(lex, ' or ')) AS q_any,
               websearch_to_tsquery('{TS_CONFIG}', :qt) AS q_all, sum(idf) AS total
          FROM terms),
     -- Candidates straight from the GIN index, one lexeme at a time: no tsvector is read here.
     candidates AS (
        SELECT c.id, sum(t.idf) AS rough
          FROM terms t
          CROSS JOIN LATERAL (SELECT id FROM search_chunks c WHERE c.tsv @@ t.q AND {_FILTERS}) c
         WHERE t.seed
         GROUP BY c.id
         ORDER BY rough DESC, c.id
         LIMIT :k * {RESCORED_PER_HIT}),"""

# The candidates with the best rough score are rescored on their tsvector (read once each): every
# lexeme's weight, the whole-query bonus, and ts_rank_cd to order chunks of equal weight.
_TEXT_LEG = f"""
    SELECT id, row_number() OVER (ORDER BY score DESC, id) AS rank FROM (
        SELECT id, matched + full_match + tie AS score FROM (
            SELECT m.id, (SELECT coalesce(sum(t.idf), 0) FROM terms t WHERE m.doc @@ t.q) AS matched,
                   CASE WHEN m.doc @@ w.q_all THEN {{bonus}} ELSE 0 END AS full_match,
                   ts_rank_cd(m.doc, w.q_any) AS tie, w.total
              FROM (SELECT c.id, c.tsv || ''::tsvector AS doc  -- detoast once, not once per use
                      FROM candidates JOIN search_chunks c USING (id)
                    OFFSET 0) m, wanted w) scored
         WHERE full_match > 0 OR matched >= {{coverage}} * total
         ORDER BY score DESC
         LIMIT :k) matched"""

_NO_LEG = "SELECT NULL::bigint AS id, NULL::bigint AS rank WHERE false"

# Reciprocal rank fusion at the item level: each leg ranks items by their best chunk, the item score
# is the sum of 1 / (k + rank) over the legs that found it, and the snippet is the item's chunk that
# ranked best in either leg.
_HYBRID = f"""
WITH {{terms}}
     vec AS ({{vector_leg}}),
     txt AS ({{text_leg}}),
     chunks AS (
        SELECT c.id, c.item_type, c.item_id, c.ordinal, l.rank, l.leg
          FROM (SELECT id, rank, 'vector' AS leg FROM vec UNION ALL SELECT id, rank, 'text' FROM txt) l
          JOIN search_chunks c ON c.id = l.id),
     leg_items AS (
        SELECT item_type, item_id, leg,
               row_number() OVER (PARTITION BY leg ORDER BY min(rank), item_id) AS item_rank,
               (array_agg(id ORDER BY rank, ordinal))[1] AS best_chunk, min(rank) AS chunk_rank
          FROM chunks
         GROUP BY item_type, item_id, leg),
     items AS (
        SELECT item_type, item_id, sum(1.0 / ({RRF_K} + item_rank)) AS score,
               bool_or(leg = 'vector') AS by_vector, bool_or(leg = 'text') AS by_text,
               (array_agg(best_chunk ORDER BY chunk_rank, leg DESC))[1] AS best
          FROM leg_items
         GROUP BY item_type, item_id)
SELECT i.item_type, i.score, i.by_vector, i.by_text, b.heading, b.content,
       coalesce(p.slug, po.slug, ce.slug) AS slug, coalesce(p.title, po.title, ce.name) AS title
  FROM items i
  JOIN search_chunks b ON b.id = i.best
  LEFT JOIN projects p ON i.item_type = 'project' AND p.id = i.item_id
  LEFT JOIN posts po ON i.item_type = 'post' AND po.id = i.item_id
  LEFT JOIN certifications ce ON i.item_type = 'certification' AND ce.id = i.item_id
 WHERE coalesce(p.id, po.id, ce.id) IS NOT NULL
 ORDER BY i.score DESC, slug
 LIMIT :limit"""


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

    async def remove_orphans(self, session: AsyncSession) -> int:
        """Chunks whose item no longer exists (written around the service)."""
        result = await session.execute(text("""
            DELETE FROM search_chunks c
             WHERE NOT EXISTS (SELECT 1 FROM projects WHERE c.item_type = 'project' AND id = c.item_id)
               AND NOT EXISTS (SELECT 1 FROM posts WHERE c.item_type = 'post' AND id = c.item_id)
               AND NOT EXISTS (SELECT 1 FROM certifications
                                WHERE c.item_type = 'certification' AND id = c.item_id)"""))
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
        """Refresh the statistics the full-text leg weighs words by (autovacuum also does it)."""
        await session.execute(text("ANALYZE search_chunks"))

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
    async def search(self, session: AsyncSession, *, query_text: str, query_vector: Sequence[float] | None,
                     model: str, use_text: bool, public_only: bool, kind: str | None, limit: int,
                     per_leg: int = 40) -> list[ItemHit]:
        usable = await self.prepare_search(session, query_vector)
        sql, params = self.search_statement(query_text=query_text, query_vector=query_vector if usable else None,
                                            model=model, use_text=use_text, public_only=public_only, kind=kind,
                                            limit=limit, per_leg=per_leg)
        rows = await session.execute(text(sql), params)
        return [ItemHit(r.item_type, r.slug, r.title, r.heading, r.content, float(r.score), r.by_vector,
                        r.by_text) for r in rows]

    async def prepare_search(self, session: AsyncSession, query_vector: Sequence[float] | None) -> bool:
        """Set this transaction's HNSW options and say whether the query vector fits the column, in one
        round trip (during a model switch the column keeps the old size until `folio reindex`)."""
        row = (await session.execute(text(
            "SELECT set_config('hnsw.ef_search', :ef, true), "
            "set_config('hnsw.iterative_scan', 'relaxed_order', true), "
            "(SELECT atttypmod FROM pg_attribute WHERE attrelid = 'search_chunks'::regclass "
            "AND attname = 'embedding' AND NOT attisdropped) AS dims"), {"ef": str(EF_SEARCH)})).one()
        return query_vector is not None and row.dims == len(query_vector)

    def search_statement(self, *, query_text: str, query_vector: Sequence[float] | None, model: str,
                         use_text: bool, public_only: bool, kind: str | None, limit: int,
                         per_leg: int = 40) -> tuple[str, dict]:
        """The hybrid query and its parameters; a leg is left out when it has no input."""
        use_vector = query_vector is not None
        sql = _HYBRID.format(
            vector_leg=_VECTOR_LEG.format(max_distance=MAX_DISTANCE) if use_vector else _NO_LEG,
            terms=_TERMS if use_text else "",
            text_leg=_TEXT_LEG.format(bonus=FULL_MATCH_BONUS, coverage=MIN_COVERAGE) if use_text else _NO_LEG)
        params = {"qt": query_text, "model": model, "public_only": public_only, "kind": kind,
                  "limit": limit, "k": max(per_leg, limit)}
        if use_vector:
            params["qv"] = vector_literal(query_vector)
        return sql, params
