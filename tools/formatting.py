"""Compact text renderings of portfolio items for the model (small models have small context windows)."""

from __future__ import annotations

from typing import Any

from folio.kinds import KINDS
from tools._adapter import MAX_BODY, MAX_SNIPPET, Source, shorten


def source_of(kind: str, item: Any, page: bool = False) -> Source:
    """The item as a citation: its readable page (visitors' chat) or its REST url."""
    spec = KINDS[kind]
    return Source(spec.title_of(item), spec.page_of(item.slug) if page else spec.url_of(item.slug))


def _facts(kind: str, item: Any) -> list[str]:
    if kind == "project":
        facts = [f"tech: {', '.join(item.tech_stack)}" if item.tech_stack else "",
                 f"tags: {', '.join(item.tags)}" if item.tags else "",
                 f"started {item.started_on}" if item.started_on else "",
                 f"finished {item.finished_on}" if item.finished_on else ("ongoing" if item.started_on else ""),
                 f"repo {item.repo_url}" if item.repo_url else "",
                 f"live {item.live_url}" if item.live_url else ""]
    elif kind == "post":
        facts = [f"tags: {', '.join(item.tags)}" if item.tags else "",
                 f"published {item.published_at.date()}" if item.published_at else "draft",
                 f"{item.reading_time} min read"]
    else:
        facts = [f"issuer: {item.issuer}",
                 f"issued {item.issued_on}" if item.issued_on else "",
                 f"expires {item.expires_on}" if item.expires_on else "",
                 f"verify at {item.credential_url}" if item.credential_url else ""]
    return [f for f in facts if f]


def _summary(kind: str, item: Any) -> str:
    return {"project": lambda: item.summary, "post": lambda: item.excerpt,
            "certification": lambda: item.description}[kind]()


def line(kind: str, item: Any, page: bool = False) -> str:
    """One line per item in a list."""
    facts = "; ".join(_facts(kind, item))
    return f"- {source_of(kind, item, page).link()} ({kind}; {facts}): {shorten(_summary(kind, item), 160)}"


def detail(kind: str, item: Any, page: bool = False) -> str:
    """One item in full (body shortened)."""
    parts = [f"{kind}: {source_of(kind, item, page).link()}", "; ".join(_facts(kind, item)),
             shorten(_summary(kind, item), MAX_SNIPPET)]
    body = getattr(item, "body", "")
    if body:
        parts.append(shorten(body, MAX_BODY))
    return "\n".join(p for p in parts if p)
