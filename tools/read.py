"""Read tools: everyone's agent has these. Each is a thin adapter over one service call."""

from __future__ import annotations

from typing import Annotated, Any, get_args, get_origin

from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field, create_model

from folio import prompts
from folio.kinds import KINDS, KindName, kinds_text
from folio.services.answer_plan import model_context
from folio.services.content import list_filters
from tools._adapter import Source, ToolResult, domain_errors_as_text, shorten, structured
from tools.context import ToolContext
from tools.formatting import detail, line, source_of


class SearchArgs(BaseModel):
    query: str = Field(description=prompts.ARG_QUERY)
    kind: KindName | None = Field(None, description=prompts.ARG_KIND_FILTER)


def _filter_fields() -> dict[str, Any]:
    """Every kind's list filters (folio.kinds), each an optional argument; other kinds ignore it."""
    owners: dict[str, list[str]] = {}
    fields: dict[str, Any] = {}
    for spec in KINDS.values():
        for f in spec.filters:
            owners.setdefault(f.name, []).append(spec.plural)
            fields.setdefault(f.name, f)
    return {name: (_plain(f.annotation) | None,
                   Field(None, description=f.description if len(owners[name]) == len(KINDS)
                         else f"{f.description} ({', '.join(owners[name])} only)"))
            for name, f in fields.items()}


def _plain(annotation: Any) -> Any:
    """A model's argument is read leniently: a constrained string is any string (an empty one is ignored)."""
    return get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation


ListArgs = create_model("ListArgs", kind=(KindName, Field(description=prompts.ARG_KIND)), **_filter_fields(),
                        limit=(int, Field(10, ge=1, le=20, description=prompts.ARG_LIMIT)))


class GetArgs(BaseModel):
    kind: KindName = Field(description=prompts.ARG_KIND)
    slug: str = Field(description=prompts.ARG_ITEM_SLUG)


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
            return prompts.TOOL_SEARCH_OFF_TOPIC.format(query=query), {"sources": [], "weak": True}
        lines = [f"- {s.link()} ({h.type}): {shorten(h.snippet, 300)}" for s, h in zip(sources, found.hits)]
        head = (prompts.TOOL_SEARCH_WEAK if found.weak else prompts.TOOL_SEARCH_RESULTS).format(query=query)
        return "\n".join([head, *lines]), {"sources": [s.as_artifact() for s in sources], "weak": found.weak}

    async def visitor_search(query: str, kind: KindName | None) -> ToolResult:
        """A visitor's search: the items that answer, decided in code (folio/services/answer_plan.py)."""
        plan = await services.answers.plan(actor, query, kind=kind, origin=ctx.origin)
        artifact = {"sources": [Source(i.title, i.page).as_artifact() for i in plan.sources], "weak": plan.weak,
                    "plan": plan.as_dict()}
        if plan.mode == "off_topic":
            return prompts.TOOL_VISITOR_OFF_TOPIC.format(query=query), artifact
        logged = prompts.TOOL_QUESTION_LOGGED if plan.logged else ""
        if plan.direct is not None:
            found = ", ".join(i.name for i in plan.sources[:8]) or prompts.TOOL_FOUND_NOTHING
            return prompts.TOOL_FOUND.format(question=plan.question, found=found, logged=logged), artifact
        return model_context(plan) + logged, artifact

    @domain_errors_as_text
    async def list_content(kind: KindName, limit: int = 10, **filters: Any) -> ToolResult:
        spec = KINDS[kind]
        page = await services.content(kind).list(actor, limit=limit, **list_filters(spec, filters))
        if not page.items:
            return prompts.TOOL_LIST_EMPTY.format(plural=spec.plural), []
        lines = [line(kind, item, pages) for item in page.items]
        return (prompts.TOOL_LIST_HEAD.format(total=page.total, kind=kind, shown=len(lines)) + "\n".join(lines),
                [source_of(kind, i, pages).as_artifact() for i in page.items])

    @domain_errors_as_text
    async def get_content(kind: KindName, slug: str) -> ToolResult:
        item = await services.content(kind).get(actor, slug.strip().rstrip("/").rsplit("/", 1)[-1])
        return detail(kind, item, pages), [source_of(kind, item, pages).as_artifact()]

    return [
        structured(search_portfolio, SearchArgs, prompts.TOOL_SEARCH.format(kinds=kinds_text("and", plural=True))),
        structured(list_content, ListArgs, prompts.TOOL_LIST.format(kinds=kinds_text("or", plural=True))),
        structured(get_content, GetArgs, prompts.TOOL_GET.format(kinds=kinds_text("or"))),
    ]
