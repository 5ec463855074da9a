"""Read tools: everyone's agent has these. Each is a thin adapter over one service call."""

from __future__ import annotations

from typing import Literal

from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field

from tools._adapter import Source, ToolResult, domain_errors_as_text, shorten, structured
from tools.context import ToolContext
from folio.services.answer_plan import model_context
from tools.formatting import detail, line, source_of

KindName = Literal["project", "post", "certification"]


class SearchArgs(BaseModel):
    query: str = Field(description="What to look for, in the visitor's words")
    kind: KindName | None = Field(None, description="Only this kind of item")


class ListArgs(BaseModel):
    kind: KindName = Field(description="Which kind of item")
    tag: str | None = Field(None, description="Only items with this tag")
    tech: str | None = Field(None, description="Projects only: a technology, e.g. Rust")
    featured: bool | None = Field(None, description="Only featured items")
    limit: int = Field(10, ge=1, le=20, description="How many")


class GetArgs(BaseModel):
    kind: KindName = Field(description="Which kind of item")
    slug: str = Field(description="The item's slug: the last part of its url")


def read_tools(ctx: ToolContext) -> list[BaseTool]:
    actor, services = ctx.actor, ctx.services
    pages = actor.is_visitor  # a visitor's citations open readable pages; the owner's keep REST urls

    @domain_errors_as_text
    async def search_portfolio(query: str, kind: KindName | None = None) -> ToolResult:
        if actor.is_visitor:
            return await visitor_search(query, kind)
        found = await services.answers.retrieve(actor, query, kind=kind, origin=ctx.origin)
        sources = [Source(h.title, h.url) for h in found.hits]
        if found.off_topic:
            return (f'Nothing in the portfolio is about "{query}". If it asks about the developer\'s work, say you '
                    "don't know. If it is small talk, answer briefly. Otherwise politely decline in one sentence."
                    ), {"sources": [], "weak": True}
        lines = [f"- {s.link()} ({h.type}): {shorten(h.snippet, 300)}" for s, h in zip(sources, found.hits)]
        if found.weak:
            head = (f'Weak match for "{query}": nothing clearly answers it. Say you don\'t know and mention '
                    "what is close below.")
        else:
            head = f'Portfolio results for "{query}":'
        return "\n".join([head, *lines]), {"sources": [s.as_artifact() for s in sources], "weak": found.weak}

    async def visitor_search(query: str, kind: KindName | None) -> ToolResult:
        """A visitor's search: the items that answer, decided in code (folio/services/answer_plan.py)."""
        plan = await services.answers.plan(actor, query, kind=kind, origin=ctx.origin)
        artifact = {"sources": [Source(i.title, i.page).as_artifact() for i in plan.sources], "weak": plan.weak,
                    "plan": plan.as_dict()}
        if plan.mode == "off_topic":
            return f'Nothing in the portfolio is about "{query}".', artifact
        logged = " The question was logged for the owner." if plan.logged else ""
        if plan.direct is not None:
            found = ", ".join(i.name for i in plan.sources[:8]) or "nothing that answers it"
            return f'Found for "{plan.question}": {found}.{logged}', artifact
        return model_context(plan) + logged, artifact

    @domain_errors_as_text
    async def list_content(kind: KindName, tag: str | None = None, tech: str | None = None,
                           featured: bool | None = None, limit: int = 10) -> ToolResult:
        page = await services.content(kind).list(
            actor, limit=limit, tag=tag, equals={"featured": featured},
            contains={"tech_stack": tech} if kind == "project" and tech else None)
        if not page.items:
            return f"No {kind}s match.", []
        lines = [line(kind, item, pages) for item in page.items]
        return (f"{page.total} {kind}(s); showing {len(lines)}:\n" + "\n".join(lines),
                [source_of(kind, i, pages).as_artifact() for i in page.items])

    @domain_errors_as_text
    async def get_content(kind: KindName, slug: str) -> ToolResult:
        item = await services.content(kind).get(actor, slug.strip().rstrip("/").rsplit("/", 1)[-1])
        return detail(kind, item, pages), [source_of(kind, item, pages).as_artifact()]

    return [
        structured(search_portfolio, SearchArgs,
                   "Search the portfolio's projects, posts and certifications. Use it first for any question."),
        structured(list_content, ListArgs, "List projects, posts or certifications, optionally filtered."),
        structured(get_content, GetArgs, "Get one project, post or certification in full by its slug."),
    ]
