"""search speed: the full-text leg seeds on the rarest words only, until they promise enough candidates

Revision ID: 0019
Revises: 0018

folio_search's full-text leg takes its candidates from the GIN index: chunks holding a rare query word
(under 5% of chunks), at most k of them, then rescores them on their tsvector. The index can only hand
over every chunk of those words as a bitmap before the first k are read, so at 100k chunks two
mid-frequency words meant a bitmap of 2,000-5,000 chunks for 40 candidates (benchmarks/search_bench.py,
docs/search.md). Now the rare words seed rarest first, each expected in share x chunks (the cached term
statistics, ANALYZE's row count), and a word is left out of the seed once the rarer ones already promise
2k chunks: the bitmap is the rarest word's, and the candidates hold the rarest, highest-weighted words,
the ones the rescoring ranks first. Every query word still counts in the rescoring, and chunks holding the
whole query still come from their own lookup. On a portfolio (hundreds of chunks, a rare word in a few of
them) the rare words never promise 2k chunks, so every one of them seeds, as before. The function is
0018's with the `terms` step changed; the downgrade puts 0018's back.
"""
import importlib.util
from pathlib import Path

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

OLD_TERMS = """terms AS MATERIALIZED (  -- the query's lexemes, weighted by rarity (idf from the cached statistics)
    SELECT lex, q, idf, idf > ln(1.0 / 0.05) OR NOT bool_or(idf > ln(1.0 / 0.05)) OVER () AS seed
      FROM (SELECT l.lex, plainto_tsquery('simple', l.lex) AS q,
                   ln(1.0 / greatest(coalesce(st.share, 0), 0.001)) AS idf
              FROM unnest(tsvector_to_array(to_tsvector('english', qt))) AS l(lex)
              LEFT JOIN search_terms st ON st.lexeme = l.lex
             WHERE use_text) weighed),"""
NEW_TERMS = """terms AS MATERIALIZED (  -- the query's lexemes, weighted by rarity (idf from the cached statistics); the
                         -- seed: the rare ones, rarest first, until the rarer ones promise 2k chunks
    SELECT lex, q, idf,
           rare AND coalesce(sum(expected) FILTER (WHERE rare) OVER (
               ORDER BY idf DESC, lex ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) < 2 * k AS seed
      FROM (SELECT lex, q, idf, expected,
                   idf > ln(1.0 / 0.05) OR NOT bool_or(idf > ln(1.0 / 0.05)) OVER () AS rare
              FROM (SELECT l.lex, plainto_tsquery('simple', l.lex) AS q,
                           ln(1.0 / greatest(coalesce(st.share, 0), 0.001)) AS idf,
                           greatest(coalesce(st.share, 0), 0.001)
                             * (SELECT greatest(pc.reltuples, 0) FROM pg_class pc
                                 WHERE pc.oid = 'search_chunks'::regclass) AS expected
                      FROM unnest(tsvector_to_array(to_tsvector('english', qt))) AS l(lex)
                      LEFT JOIN search_terms st ON st.lexeme = l.lex
                     WHERE use_text) weighed) flagged),"""


def _function_0018() -> str:
    path = Path(__file__).with_name("0018_experience.py")
    spec = importlib.util.spec_from_file_location("folio_migration_0018", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.search_function_with_experience()


def search_function() -> str:
    old = _function_0018()
    assert OLD_TERMS in old, "0018's folio_search changed: update 0019's edit of it"
    return old.replace(OLD_TERMS, NEW_TERMS)


SEARCH_FUNCTION = search_function()


def upgrade() -> None:
    op.execute(SEARCH_FUNCTION)


def downgrade() -> None:
    op.execute(_function_0018())
