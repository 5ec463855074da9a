"""search in one round trip: cached term statistics and the hybrid query as a SQL function

Revision ID: 0006
Revises: 0003

- search_chunks.tsv is kept in the row (STORAGE MAIN), not in the TOAST table.
- search_terms: the share of chunks holding each common lexeme, copied from the statistics ANALYZE
  keeps for search_chunks.tsv (most_common_elems), so a query reads a few rows by primary key
  instead of ~1,000 pg_stats elements. folio_refresh_search_terms() copies them when ANALYZE (ours
  or autovacuum's) ran since the last copy; folio calls it after its own ANALYZE and at most once a
  minute per process while searching (data/repositories/search.py).
- folio_search(): the hybrid query (HNSW nearest chunks + IDF-weighted full text, reciprocal rank
  fusion per item) with its HNSW options as function settings, so one statement, no transaction,
  no SET round trip. The plan is generic and cached per connection (PostgreSQL 18 plans SQL
  function bodies through the plan cache). Each item is checked at query time against its own
  table (published / status), so a stale chunk (e.g. written by a concurrent `folio reindex`)
  never shows an unpublished item to a visitor, and the items are read by primary key only for
  the rows returned.
"""
from alembic import op

revision = "0006"
down_revision = "0003"
branch_labels = None
depends_on = None

# The tuning constants (see docs/search.md): HNSW ef_search 200 keeps the vector leg's recall@10
# above 0.98 with no query at 0 at 100k chunks; cosine distance 0.8 is where MiniLM chunks stop
# being related; a lexeme held by under 5% of chunks seeds the full-text candidates; candidates must
# cover 30% of the query's IDF mass unless they match the whole websearch query (bonus 5).
# enable_seqscan off: every table here is read through an index (HNSW, GIN, primary keys); without it
# the planner prices the HNSW scan above a sequential scan + sort of every vector up to tens of
# thousands of chunks (the TOASTed rows' cost is under-counted), which is 10x slower.
SEARCH_FUNCTION = r"""
CREATE OR REPLACE FUNCTION folio_search(qv vector, qt text, p_model text, public_only boolean, p_kind text,
                                        k integer, lim integer, use_text boolean)
RETURNS TABLE (item_type text, item_id uuid, slug text, title text, heading text, content text,
               score double precision, by_vector boolean, by_text boolean)
LANGUAGE sql STABLE
SET hnsw.ef_search = 200
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
candidates AS (  -- from the GIN index: chunks holding a rare word, and chunks matching the whole query
    SELECT c.id FROM wanted w
     CROSS JOIN LATERAL (SELECT c.id FROM search_chunks c
                          WHERE c.tsv @@ w.q_seed AND (c.public OR NOT public_only)
                            AND (p_kind IS NULL OR c.item_type = p_kind)
                          LIMIT k * 2) c
    UNION
    SELECT c.id FROM wanted w
     CROSS JOIN LATERAL (SELECT c.id FROM search_chunks c
                          WHERE use_text AND c.tsv @@ w.q_all AND (c.public OR NOT public_only)
                            AND (p_kind IS NULL OR c.item_type = p_kind)
                          LIMIT k) c),
txt AS (  -- candidates rescored on their tsvector: idf of every word held, whole-query bonus, ts_rank_cd
    SELECT id, item_type, item_id, ordinal, row_number() OVER (ORDER BY score DESC, id) AS rank FROM (
        SELECT id, item_type, item_id, ordinal, matched + full_match + tie AS score FROM (
            SELECT m.id, m.item_type, m.item_id, m.ordinal,
                   (SELECT coalesce(sum(t.idf), 0) FROM terms t WHERE m.doc @@ t.q) AS matched,
                   CASE WHEN m.doc @@ w.q_all THEN 5.0 ELSE 0 END AS full_match,
                   ts_rank_cd(m.doc, w.q_any) AS tie, w.total
              FROM (SELECT c.id, c.item_type, c.item_id, c.ordinal, c.tsv || ''::tsvector AS doc
                      FROM candidates JOIN search_chunks c USING (id) OFFSET 0) m, wanted w) scored
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
         WHERE i.item_type = 'certification' AND ce.id = i.item_id) v
     ORDER BY i.score DESC
     FETCH FIRST lim ROWS WITH TIES)  -- ties are ordered by slug by the caller
SELECT r.item_type, r.item_id, r.slug, r.title, b.heading, b.content, r.score, r.by_vector, r.by_text
  FROM ranked r JOIN search_chunks b ON b.id = r.best
$fn$
"""

REFRESH_FUNCTION = r"""
CREATE OR REPLACE FUNCTION folio_refresh_search_terms(forced boolean DEFAULT false) RETURNS boolean
LANGUAGE plpgsql AS $fn$
DECLARE
    analyzed timestamptz := greatest(pg_stat_get_last_analyze_time('search_chunks'::regclass),
                                     pg_stat_get_last_autoanalyze_time('search_chunks'::regclass));
BEGIN
    IF NOT forced AND analyzed IS NOT DISTINCT FROM (SELECT analyzed_at FROM search_terms_state) THEN
        RETURN false;
    END IF;
    -- One refresher at a time; searches (plain reads) are not blocked.
    LOCK TABLE search_terms_state IN EXCLUSIVE MODE;
    IF NOT forced AND analyzed IS NOT DISTINCT FROM (SELECT analyzed_at FROM search_terms_state) THEN
        RETURN false;
    END IF;
    DELETE FROM search_terms;
    INSERT INTO search_terms (lexeme, share)
    SELECT DISTINCT ON (e.elem) e.elem, e.share
      FROM pg_stats s,
           unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(elem, share)
     WHERE s.schemaname = current_schema() AND s.tablename = 'search_chunks' AND s.attname = 'tsv'
       AND e.elem IS NOT NULL
     ORDER BY e.elem, e.share DESC;
    UPDATE search_terms_state SET analyzed_at = analyzed;
    RETURN true;
END
$fn$
"""


def upgrade() -> None:
    # The tsvector stays in the row (compressed at most) instead of the TOAST table: the full-text leg
    # rescores its candidates on it, and a TOAST fetch per candidate was most of that leg's time
    # (~50 us each). MAIN columns leave the row only past ~8 KB; the content is the one TOASTed now.
    # Existing rows are rewritten to the new layout (a portfolio's few hundred chunks: milliseconds).
    op.execute("ALTER TABLE search_chunks ALTER COLUMN tsv SET STORAGE MAIN")
    op.execute("UPDATE search_chunks SET content = content")
    op.execute("CREATE TABLE search_terms (lexeme text PRIMARY KEY, share real NOT NULL)")
    op.execute("CREATE TABLE search_terms_state (one boolean PRIMARY KEY DEFAULT true CHECK (one), "
               "analyzed_at timestamptz)")
    op.execute("INSERT INTO search_terms_state (one) VALUES (true)")
    op.execute(SEARCH_FUNCTION)
    op.execute(REFRESH_FUNCTION)
    op.execute("SELECT folio_refresh_search_terms(true)")


def downgrade() -> None:
    op.execute("ALTER TABLE search_chunks ALTER COLUMN tsv SET STORAGE EXTENDED")
    op.execute("DROP FUNCTION IF EXISTS folio_refresh_search_terms(boolean)")
    op.execute("DROP FUNCTION IF EXISTS folio_search(vector, text, text, boolean, text, integer, integer, boolean)")
    op.execute("DROP TABLE IF EXISTS search_terms_state")
    op.execute("DROP TABLE IF EXISTS search_terms")
