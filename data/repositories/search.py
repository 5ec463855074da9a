"""All SQL of search. No rules here: the search service decides who sees what."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

TS_CONFIG = "english"


@dataclass(frozen=True)
class ChunkHit:
    item_type: str
    slug: str
    title: str
    snippet: str
    score: float
    vector: bool
    text: bool


# Interim full-text search straight over the content tables (replaced by the chunk table).
_ITEMS = """
    SELECT 'project' AS item_type, slug, title, summary AS snippet, published AS is_public,
           title || ' ' || summary || ' ' || body || ' ' || array_to_string(tags || tech_stack, ' ') AS doc
      FROM projects
    UNION ALL
    SELECT 'post', slug, title, excerpt, status = 'published',
           title || ' ' || excerpt || ' ' || body || ' ' || array_to_string(tags, ' ')
      FROM posts
    UNION ALL
    SELECT 'certification', slug, name, description, true,
           name || ' ' || issuer || ' ' || description || ' ' || coalesce(credential_id, '')
      FROM certifications
"""


class SearchRepository:
    async def search(self, session: AsyncSession, query: str, *, limit: int, public_only: bool,
                     kind: str | None) -> list[ChunkHit]:
        sql = text(f"""
            SELECT item_type, slug, title, snippet,
                   ts_rank_cd(to_tsvector('{TS_CONFIG}', doc), q) AS score
              FROM ({_ITEMS}) items, websearch_to_tsquery('{TS_CONFIG}', :query) q
             WHERE to_tsvector('{TS_CONFIG}', doc) @@ q
               AND (NOT :public_only OR is_public)
               AND (CAST(:kind AS text) IS NULL OR item_type = :kind)
             ORDER BY score DESC, slug
             LIMIT :limit""")
        rows = await session.execute(sql, {"query": query, "limit": limit, "public_only": public_only,
                                           "kind": kind})
        return [ChunkHit(r.item_type, r.slug, r.title, r.snippet, float(r.score), False, True) for r in rows]
