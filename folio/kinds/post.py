"""Blog posts: what the developer wrote; drafts until published."""

from __future__ import annotations

from datetime import date
from typing import Any

from data.chunking import Document
from data.models import Post
from folio import schemas
from folio.kinds.spec import KindSpec, ListFilter, VisitorFacts, joined, present, tag_filter


def _post_evidence(p, today: date) -> VisitorFacts:
    return VisitorFacts(present(f"tags {', '.join(p.tags)}" if p.tags else "",
                                f"published {p.published_at.date()}" if p.published_at else "",
                                f"{p.reading_time} min read"), [], list(p.tags))


def _post_page(p, today: date) -> VisitorFacts:
    original = [("Originally published", p.canonical_url)] if getattr(p, "canonical_url", None) else []
    return VisitorFacts(present(f"Published {p.published_at.date()}" if p.published_at else "",
                                f"{p.reading_time} min read"), original, list(p.tags))


def _post_jsonld(p, author: dict[str, Any] | None) -> dict[str, Any]:
    return {"author": author, "headline": p.title, "description": p.excerpt, "keywords": list(p.tags or []),
            "datePublished": p.published_at, "timeRequired": f"PT{p.reading_time}M"}


POST = KindSpec(
    "post", "posts", Post, schemas.PostCreate, schemas.PostUpdate, schemas.PostOut,
    title_field="title", summary_field="excerpt", body_field="body", text_fields=("title", "excerpt", "body"),
    required=frozenset({"title", "slug", "excerpt", "body", "tags", "status"}),
    recency_field="published_at",
    order=lambda: (Post.published_at.desc().nulls_first(), Post.created_at.desc()),
    document=lambda p: Document(p.title, p.excerpt, tuple(p.tags), p.body),
    facts=lambda p: present(joined("tags", p.tags),
                            f"published {p.published_at.date()}" if p.published_at else "draft",
                            f"{p.reading_time} min read"),
    evidence=_post_evidence, page=_post_page, schema_type="BlogPosting", jsonld=_post_jsonld,
    words=("post", "posts", "blog post", "blog posts", "blog", "blogs", "article", "articles"),
    cues=("written", "wrote", "write", "writing"),
    writer_noun="blog post",
    fields_help="title*, excerpt, body, tags, status (draft|published)",
    message_fields=("title", "excerpt", "tags"),
    filters=(tag_filter(),
             ListFilter("status", "status", "equals", schemas.PostStatus,
                        "draft or published (visitors only ever see published)")),
    publish={"status": "published"}, published_stamp="published_at", publish_needs="body",
    file_aliases={"date": "published_at", "description": "excerpt", "summary": "excerpt"},
)
