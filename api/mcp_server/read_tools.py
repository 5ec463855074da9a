"""Tools everyone gets: read the portfolio (published content only for visitors) and leave contact
details for the owner. Thin adapters over the services the chat uses; domain errors become tool errors."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.fastmcp import Context, FastMCP
from mcp.server.fastmcp.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from api.mcp_server.content import item_markdown, parse_uri, uri_of
from api.mcp_server.identity import actor_of, links_of, origin_of
from folio.errors import DomainError, on_domain_error
from folio.kinds import KINDS, KindName
from folio.services.answers import OFF_TOPIC_BELOW, mentions
from folio.services.search import MAX_QUERY

Kind = KindName
Slug = Annotated[str, Field(min_length=1, max_length=120, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
READ_ONLY = ToolAnnotations(readOnlyHint=True, openWorldHint=False)
MAX_RESULTS = 10


def _tool_error(exc: DomainError):
    raise ToolError(exc.message) from None


domain_errors = on_domain_error(_tool_error)  # an MCP client sees the domain error's message as a tool error


def register_read_tools(mcp: FastMCP, state: Any) -> None:
    """`state` is the FastAPI app's state (services and settings exist once its lifespan runs)."""

    def cite(ctx: Context, kind: str, slug: str) -> dict[str, str]:
        spec = KINDS[kind]
        return {"url": links_of(ctx, state.settings).item(spec, slug), "uri": uri_of(spec, slug)}

    @mcp.tool(annotations=READ_ONLY)
    @domain_errors
    async def search_portfolio(
        ctx: Context,
        query: Annotated[str, Field(min_length=1, max_length=MAX_QUERY, description="What to look for")],
        kind: Annotated[Kind | None, Field(description="Only this kind of item")] = None,
        limit: Annotated[int, Field(ge=1, le=MAX_RESULTS, description="How many results")] = 5,
    ) -> dict[str, Any]:
        """Search the portfolio's projects, posts and certifications (meaning and words). Each result has
        a url to cite and a folio:// uri to read in full. `weak` means nothing clearly answers the query."""
        actor = actor_of(ctx)
        hits = [h for h in await state.services.search.search(actor, query, limit=limit, kind=kind)
                if h.type in KINDS]  # the profile is read over REST (/api/v1/profile), not here yet
        answers = state.services.answers
        relevance = await answers.relevance(query, hits)
        # The chat's rule: weak below the relevance threshold, unless a distinctive word of the query is in a hit.
        weak = not hits or (relevance is not None and relevance < answers.min_relevance
                            and not (relevance >= OFF_TOPIC_BELOW and mentions(query, hits)))
        return {"query": query, "weak": weak, "results": [
            {"type": h.type, "slug": h.slug, "title": h.title, "snippet": h.snippet, **cite(ctx, h.type, h.slug)}
            for h in hits]}

    @mcp.tool(annotations=READ_ONLY)
    @domain_errors
    async def get_item(ctx: Context, kind: Kind, slug: Slug) -> str:
        """One project, post or certification in full, as Markdown with YAML front matter (its url inside)."""
        item = await state.services.content(kind).get(actor_of(ctx), slug)
        return item_markdown(KINDS[kind], item, cite(ctx, kind, item.slug)["url"])

    @mcp.tool(annotations=READ_ONLY)
    @domain_errors
    async def list_items(
        ctx: Context, kind: Kind,
        tag: Annotated[str | None, Field(max_length=60, description="Only items with this tag")] = None,
        limit: Annotated[int, Field(ge=1, le=50)] = 20,
        offset: Annotated[int, Field(ge=0, le=100_000)] = 0,
    ) -> dict[str, Any]:
        """List projects (featured first), posts (newest first) or certifications."""
        page = await state.services.content(kind).list(actor_of(ctx), limit=limit, offset=offset, tag=tag or None)
        spec = KINDS[kind]
        return {"total": page.total, "offset": offset, "items": [
            {"slug": i.slug, "title": spec.title_of(i), **cite(ctx, kind, i.slug)} for i in page.items]}

    @mcp.tool(annotations=ToolAnnotations(readOnlyHint=False, destructiveHint=False, idempotentHint=False))
    @domain_errors
    async def leave_contact_details(
        ctx: Context,
        name: Annotated[str, Field(min_length=1, max_length=200, description="Who is writing")],
        email: Annotated[str, Field(min_length=3, max_length=320, description="Where the owner can answer")],
        message: Annotated[str, Field(max_length=2000, description="What it is about")] = "",
    ) -> str:
        """Pass a visitor's (or recruiter's) name, email and message on to the portfolio's owner."""
        entry = await state.services.inbox.leave_contact(name, email, message, origin_of(ctx))
        return f"Saved: the owner will reply to {entry.email}."

    # The two tools ChatGPT-style connectors and deep-research clients look for.
    @mcp.tool(annotations=READ_ONLY)
    @domain_errors
    async def search(ctx: Context, query: Annotated[str, Field(min_length=1, max_length=MAX_QUERY)]) -> dict[str, Any]:
        """Search the portfolio; each result's id can be passed to fetch."""
        hits = [h for h in await state.services.search.search(actor_of(ctx), query, limit=MAX_RESULTS)
                if h.type in KINDS]  # the profile has no folio:// uri yet
        return {"results": [{"id": cite(ctx, h.type, h.slug)["uri"], "title": h.title,
                             "url": cite(ctx, h.type, h.slug)["url"]} for h in hits]}

    @mcp.tool(annotations=READ_ONLY)
    @domain_errors
    async def fetch(ctx: Context, id: Annotated[str, Field(min_length=1, max_length=200)]) -> dict[str, Any]:  # noqa: A002
        """The full text of a search result, by its id (a folio:// uri)."""
        parsed = parse_uri(id)
        if parsed is None:
            raise ToolError("unknown id: pass an id from search (folio://<kind>s/<slug>)")
        kind, slug = parsed
        item = await state.services.content(kind).get(actor_of(ctx), slug)
        url = cite(ctx, kind, item.slug)["url"]
        return {"id": id, "title": KINDS[kind].title_of(item), "url": url,
                "text": item_markdown(KINDS[kind], item, url), "metadata": {"type": kind}}
