"""folio's MCP server: FastMCP with the caller's role applied to what is listed and what may run.

Anonymous callers see and may call the read tools (and leave contact details); the owner also gets the
propose_*/confirm_change tools. Resources are the published items (folio://projects/{slug} ...), listed
from the database at each call. Every service call gets the actor that the bearer token says, so the
services' own rules (visibility, require_owner) apply exactly as in REST and the chat."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ResourceError, ToolError
from mcp.server.lowlevel.helper_types import ReadResourceContents
from mcp.types import ContentBlock, Resource, ResourceTemplate, Tool

from api.mcp_server.content import item_markdown, parse_uri, uri_of
from api.mcp_server.identity import McpRateLimit, actor_of, links_of
from folio.errors import DomainError
from folio.kinds import KINDS
from folio.services.content import MAX_PAGE

MARKDOWN = "text/markdown"
MAX_LISTED = 1000  # resources listed per kind


class FolioMCP(FastMCP):
    def __init__(self, *args: Any, owner_tools: set[str], limiter: McpRateLimit, app_state: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.owner_tools = owner_tools
        self.limiter = limiter
        self.app_state = app_state

    # ---- tools -----------------------------------------------------------------------------------
    async def list_tools(self) -> list[Tool]:
        tools = await super().list_tools()
        if actor_of(self.get_context()).is_owner:
            return tools
        return [t for t in tools if t.name not in self.owner_tools]

    async def call_tool(self, name: str, arguments: dict[str, Any]) -> Sequence[ContentBlock] | dict[str, Any]:
        ctx = self.get_context()
        if name in self.owner_tools and not actor_of(ctx).is_owner:
            raise ToolError("permission denied: only the portfolio owner may change content "
                            "(send the owner's token as Authorization: Bearer ...); nothing was changed")
        try:
            await self.limiter.check(ctx)
        except DomainError as exc:
            raise ToolError(exc.message) from None
        return await super().call_tool(name, arguments)

    # ---- resources: the published items ----------------------------------------------------------
    async def list_resources(self) -> list[Resource]:
        actor, services = actor_of(self.get_context()), self.app_state.services
        found: list[Resource] = []
        for kind, spec in KINDS.items():
            offset = 0
            while offset < MAX_LISTED:
                page = await services.content(kind).list(actor, limit=MAX_PAGE, offset=offset)
                found += [Resource(uri=uri_of(spec, item.slug), name=item.slug, title=spec.title_of(item),
                                   description=f"{spec.name}: {spec.title_of(item)}", mimeType=MARKDOWN)
                          for item in page.items]
                offset += len(page.items)
                if not page.items or offset >= page.total:
                    break
        return found

    async def list_resource_templates(self) -> list[ResourceTemplate]:
        return [ResourceTemplate(uriTemplate=f"folio://{spec.plural}/{{slug}}", name=spec.plural,
                                 description=f"One {spec.name} as Markdown with front matter", mimeType=MARKDOWN)
                for spec in KINDS.values()]

    async def read_resource(self, uri: Any) -> Iterable[ReadResourceContents]:
        ctx = self.get_context()
        parsed = parse_uri(str(uri))
        if parsed is None:
            raise ResourceError(f"unknown resource {str(uri)[:200]}: use folio://projects/<slug>, "
                                "folio://posts/<slug> or folio://certifications/<slug>")
        kind, slug = parsed
        try:
            await self.limiter.check(ctx)
            item = await self.app_state.services.content(kind).get(actor_of(ctx), slug)
        except DomainError as exc:
            raise ResourceError(exc.message) from None
        links = links_of(ctx, self.app_state.settings)
        text = item_markdown(KINDS[kind], item, links.item(KINDS[kind], item.slug))
        return [ReadResourceContents(content=text, mime_type=MARKDOWN)]
