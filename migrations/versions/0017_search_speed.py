"""search speed at 100k chunks: chunk rows uncompressed in-row, a denser HNSW graph, fewer candidates

Revision ID: 0017
Revises: 0016

Measured at 100k chunks (benchmarks/search_bench.py, docs/search.md "Measured"):
- search_chunks rows are only compressed or TOASTed past 8 KB (toast_tuple_target 8160; a chunk is kept
  under the embedding model's token window, so in practice never): the full-text leg reads each
  candidate's tsvector several times (the IDF sum per query word, the whole-query match, ts_rank_cd),
  and every read of a pglz-compressed value decompressed it again (~4 us each, most of that leg's time).
  The heap doubles (about 8 KB a chunk at 100k: 390 -> 780 MB); only candidates' rows are ever read.
- the full-text candidates carry their tsvector from the GIN scan itself instead of being joined back
  to search_chunks by primary key, and the `|| ''` detoast-once copy is gone (nothing to detoast).
- the HNSW index is rebuilt with ef_construction 128 (was 64; m stays 16): a better-connected graph, so
  the query walks less of it for the same recall. hnsw.ef_search 200 -> 100: vector-leg recall@10 against
  an exact scan 0.995-1.000 with no query at 0 on the benchmark corpus; ef 60 left one query at 0 on one
  build of the index and none on another, ef 50 one, so 100 keeps a margin (the old graph had queries at
  0 up to ef 80).
- the full-text leg seeds on at most k (40, was 80) chunks holding a rare word: on a portfolio a rare word
  (held by under 5% of chunks) never reaches the limit, so results there are the same; at 100k chunks
  every candidate costs a heap page and its scoring.
Existing rows are rewritten so they take the new layout (a portfolio's few hundred chunks: milliseconds).
"""
import importlib.util
from pathlib import Path

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# Same result columns and arguments as 0016's folio_search (0006's plus the profile); see docs/search.md for every constant.
SEARCH_FUNCTION = r"""
CREATE OR REPLACE FUNCTION folio_search(qv vector, qt text, p_model text, public_only boolean, p_kind text,
                                        k integer, lim integer, use_text boolean)
RETURNS TABLE (item_type text, item_id uuid, slug text, title text, heading text, content text,
               score double precision, by_vector boolean, by_text boolean)
LANGUAGE sql STABLE
SET hnsw.ef_search = 100
SET hnsw.iterative_scan = relaxed_order
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $fn$
WITH
vec AS (  -- the nearest chunks (HNSW); skipped when the query vector does not fit the column
    SELECT id, item_type, item_id, ordinal, row_number() OVER (ORDER BY distance, id) AS rank FROM (
        SELECT c.id, c.item_type, c.item_id, c.ordinal, c.embedding <=> qv AS distance
          FROM search_chunks c
         WHERE vector_dims(qv) = (SELECT a.atttypmod FROM pg_attribute a
                                   WHERE a.attrelid = 'search_chunks'::regclass AND a.attname = 'embedding'
                                     AND NOT a.attisdropped)
           AND c.model = p_model AND (c.public OR NOT public_only) AND (p_kind IS NULL OR c.item_type = p_kind)
         ORDER BY c.embedding <=> qv
         LIMIT k) nearest
     WHERE distance <= 0.8),
terms AS MATERIALIZED (  -- the query's lexemes, weighted by rarity (idf from the cached statistics)
    SELECT lex, q, idf, idf > ln(1.0 / 0.05) OR NOT bool_or(idf > ln(1.0 / 0.05)) OVER () AS seed
      FROM (SELECT l.lex, plainto_tsquery('simple', l.lex) AS q,
                   ln(1.0 / greatest(coalesce(st.share, 0), 0.001)) AS idf
              FROM unnest(tsvector_to_array(to_tsvector('english', qt))) AS l(lex)
              LEFT JOIN search_terms st ON st.lexeme = l.lex
             WHERE use_text) weighed),
wanted AS MATERIALIZED (
    SELECT websearch_to_tsquery('simple', string_agg(lex, ' or ')) AS q_any,
           websearch_to_tsquery('simple', string_agg(lex, ' or ') FILTER (WHERE seed)) AS q_seed,
           websearch_to_tsquery('english', qt) AS q_all, sum(idf) AS total
      FROM terms),
candidates AS (  -- from the GIN index, with their tsvector: chunks holding a rare word, and chunks
                 -- matching the whole query (a chunk found by both is scored once)
    SELECT DISTINCT ON (id) * FROM (
        SELECT c.* FROM wanted w
         CROSS JOIN LATERAL (SELECT c.id, c.item_type, c.item_id, c.ordinal, c.tsv AS doc FROM search_chunks c
                              WHERE c.tsv @@ w.q_seed AND (c.public OR NOT public_only)
                                AND (p_kind IS NULL OR c.item_type = p_kind)
                              LIMIT k) c
        UNION ALL
        SELECT c.* FROM wanted w
         CROSS JOIN LATERAL (SELECT c.id, c.item_type, c.item_id, c.ordinal, c.tsv AS doc FROM search_chunks c
                              WHERE use_text AND c.tsv @@ w.q_all AND (c.public OR NOT public_only)
                                AND (p_kind IS NULL OR c.item_type = p_kind)
                              LIMIT k) c) found
     ORDER BY id),
txt AS (  -- candidates rescored on their (uncompressed, in-row) tsvector: idf of every word held, whole-query bonus, ts_rank_cd
    SELECT id, item_type, item_id, ordinal, row_number() OVER (ORDER BY score DESC, id) AS rank FROM (
        SELECT id, item_type, item_id, ordinal, matched + full_match + tie AS score FROM (
            SELECT m.id, m.item_type, m.item_id, m.ordinal,
                   (SELECT coalesce(sum(t.idf), 0) FROM terms t WHERE m.doc @@ t.q) AS matched,
                   CASE WHEN m.doc @@ w.q_all THEN 5.0 ELSE 0 END AS full_match,
                   ts_rank_cd(m.doc, w.q_any) AS tie, w.total
              FROM candidates m, wanted w) scored
         WHERE full_match > 0 OR matched >= 0.3 * total
         ORDER BY score DESC
         LIMIT k) matched),
leg_items AS (  -- each leg ranks items by their best chunk
    SELECT item_type, item_id, leg,
           row_number() OVER (PARTITION BY leg ORDER BY min(rank), item_id) AS item_rank,
           (array_agg(id ORDER BY rank, ordinal))[1] AS best_chunk, min(rank) AS chunk_rank
      FROM (SELECT id, item_type, item_id, ordinal, rank, 'vector' AS leg FROM vec
            UNION ALL SELECT id, item_type, item_id, ordinal, rank, 'text' FROM txt) l
     GROUP BY item_type, item_id, leg),
items AS (  -- reciprocal rank fusion, k = 60
    SELECT item_type, item_id, sum(1.0 / (60 + item_rank))::float8 AS score,
           bool_or(leg = 'vector') AS by_vector, bool_or(leg = 'text') AS by_text,
           (array_agg(best_chunk ORDER BY chunk_rank, leg DESC))[1] AS best
      FROM leg_items
     GROUP BY item_type, item_id),
ranked AS (  -- best first; each item read by primary key, and only while rows are still needed
    SELECT i.item_type, i.item_id, v.slug, v.title, i.score, i.by_vector, i.by_text, i.best
      FROM (SELECT * FROM items ORDER BY score DESC OFFSET 0) i
     CROSS JOIN LATERAL (
        SELECT p.slug, p.title FROM projects p
         WHERE i.item_type = 'project' AND p.id = i.item_id AND (p.published OR NOT public_only)
        UNION ALL
        SELECT po.slug, po.title FROM posts po
         WHERE i.item_type = 'post' AND po.id = i.item_id AND (po.status = 'published' OR NOT public_only)
        UNION ALL
        SELECT ce.slug, ce.name FROM certifications ce
         WHERE i.item_type = 'certification' AND ce.id = i.item_id
        UNION ALL
        SELECT 'me'::varchar, pr.name FROM profiles pr
         WHERE i.item_type = 'profile' AND pr.id = i.item_id) v
     ORDER BY i.score DESC
     FETCH FIRST lim ROWS WITH TIES)  -- ties are ordered by slug by the caller
SELECT r.item_type, r.item_id, r.slug, r.title, b.heading, b.content, r.score, r.by_vector, r.by_text
  FROM ranked r JOIN search_chunks b ON b.id = r.best
$fn$
"""


def _previous_function() -> str:
    """0016's folio_search (0006's with the profile), for the downgrade (its text lives in those revisions)."""
    path = Path(__file__).with_name("0016_profile.py")
    spec = importlib.util.spec_from_file_location("folio_migration_0016", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.search_function_with_profile()


def _rewrite_rows() -> None:
    # `content || ''` is a new value, so it is stored under the table's current TOAST settings (an
    # unchanged value would keep its old compressed form); tsv, generated from it, is recomputed.
    op.execute("UPDATE search_chunks SET content = content || ''")


def _vector_index(ef_construction: int) -> None:
    # The same DDL as data/repositories/search.py's VECTOR_INDEX_DDL, spelled out: a revision is frozen.
    op.execute("DROP INDEX IF EXISTS ix_search_chunks_embedding")
    op.execute("SET LOCAL maintenance_work_mem = '512MB'")
    op.execute("CREATE INDEX ix_search_chunks_embedding ON search_chunks USING hnsw (embedding vector_cosine_ops) "
               f"WITH (m = 16, ef_construction = {ef_construction})")


def upgrade() -> None:
    op.execute("ALTER TABLE search_chunks SET (toast_tuple_target = 8160)")
    _rewrite_rows()
    _vector_index(128)
    op.execute(SEARCH_FUNCTION)


def downgrade() -> None:
    op.execute("ALTER TABLE search_chunks RESET (toast_tuple_target)")
    _rewrite_rows()
    _vector_index(64)
    op.execute(_previous_function())
