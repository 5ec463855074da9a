"""Compact text renderings of portfolio items for the model (small models have small context windows)."""

from __future__ import annotations

from typing import Any

from folio.kinds import KINDS
from tools._adapter import MAX_BODY, MAX_SNIPPET, Source, shorten


def source_of(kind: str, item: Any, page: bool = False) -> Source:
    """The item as a citation: its readable page (visitors' chat) or its REST url."""
    spec = KINDS[kind]
    return Source(spec.title_of(item), spec.page_of(item.slug) if page else spec.url_of(item.slug))


def line(kind: str, item: Any, page: bool = False) -> str:
    """One line per item in a list."""
    spec = KINDS[kind]
    facts = "; ".join(spec.facts(item))
    return f"- {source_of(kind, item, page).link()} ({kind}; {facts}): {shorten(spec.summary_of(item), 160)}"


def detail(kind: str, item: Any, page: bool = False) -> str:
    """One item in full (body shortened)."""
    spec = KINDS[kind]
    parts = [f"{kind}: {source_of(kind, item, page).link()}", "; ".join(spec.facts(item)),
             shorten(spec.summary_of(item), MAX_SNIPPET)]
    body = spec.body_of(item)
    if body:
        parts.append(shorten(body, MAX_BODY))
    return "\n".join(p for p in parts if p)
