"""folio's MCP server: FastMCP with the caller's role applied to what is listed and what may run.

Anonymous callers see and may call the read tools (and leave contact details); the owner also gets the
propose_*/confirm_change tools. Resources are the published items (folio://projects/{slug} ...), listed
from the database at each call. Every service call gets the actor that the bearer token says, so the
services' own rules (visibility, require_owner) apply exactly as in REST and the chat."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ResourceError, ToolError
from mcp.server.lowlevel.helper_types import ReadResourceContents
from mcp.types import ContentBlock, Resource, ResourceTemplate, Tool
from pydantic import ValidationError

from api.mcp_server.content import item_markdown, parse_uri, uri_of
from api.mcp_server.identity import McpRateLimit, actor_of, links_of, request_of
from folio.errors import DomainError
from folio.kinds import KINDS
from folio.services.content import MAX_PAGE

MARKDOWN = "text/markdown"
MAX_LISTED = 1000  # resources listed per kind
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
log = logging.getLogger(__name__)


def control_characters(value: Any, where: str = "arguments") -> str | None:
    """Where a string of the arguments holds a control character (tab and newlines allowed), else None."""
    if isinstance(value, str):
        return where if _CONTROL.search(value) else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = control_characters(item, f"{where}.{key}" if where != "arguments" else str(key))
        if found is not None:
            return found
    return None


def request_id_of(ctx: Any) -> str | None:
    request = request_of(ctx)
    return request.scope.get("state", {}).get("request_id") if request is not None else None


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
        if (where := control_characters(arguments)) is not None:
            raise ToolError(f"{where}: control characters are not allowed; nothing was done")
        try:
            return await super().call_tool(name, arguments)
        except ToolError as exc:
            # FastMCP wraps any exception as "Error executing tool X: <its text>": for anything but our own
            # tool errors and argument validation that text may be SQL, parameters or a driver message.
            if exc.__cause__ is None or isinstance(exc.__cause__, ToolError | DomainError | ValidationError):
                raise
            rid = request_id_of(ctx)
            log.error("MCP tool %s failed (request_id=%s)", name, rid, exc_info=exc.__cause__)
            raise ToolError(f"the tool failed on the server; quote request id {rid} when reporting it") from None

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
