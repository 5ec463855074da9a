"""The owner's tools: content changes are only PROPOSED (folio.services.changes, the chat's own flow);
confirm_change applies one, once. Listed and callable only with the owner's token (see server.py);
the services check the owner again."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.fastmcp import Context, FastMCP
from mcp.types import ToolAnnotations
from pydantic import Field

from api.mcp_server.identity import actor_of
from api.mcp_server.read_tools import Kind, Slug, domain_errors
from folio import prompts
from folio.services.changes import ProposedChange
from tools.previews import render_change

PROPOSE = ToolAnnotations(readOnlyHint=True, openWorldHint=False)  # a proposal writes no content
APPLY = ToolAnnotations(readOnlyHint=False, destructiveHint=True, idempotentHint=False, openWorldHint=False)
Fields = Annotated[dict[str, Any], Field(description="Field names and values (only those that are set/change)")]
ChangeId = Annotated[str, Field(min_length=1, max_length=64, description="The change_id a propose_* tool returned")]
OWNER_TOOLS = {"propose_create", "propose_update", "propose_delete", "propose_publish", "confirm_change",
               "cancel_change"}


def _proposal(change: ProposedChange) -> dict[str, Any]:
    return {
        "change_id": str(change.id), "action": change.action, "kind": change.kind, "slug": change.slug,
        "title": change.title, "fields": change.fields,
        "diff": [{"field": d.field, "before": d.before, "after": d.after} for d in change.diff],
        "expires_at": change.expires_at.isoformat() if change.expires_at else None,
        "preview": render_change(change),
        "next": prompts.MCP_CHANGE_NEXT,
    }


def register_owner_tools(mcp: FastMCP, state: Any) -> set[str]:
    changes = lambda: state.services.changes  # noqa: E731 (services exist once the app has started)

    @mcp.tool(annotations=PROPOSE)
    @domain_errors
    async def propose_create(ctx: Context, kind: Kind, fields: Fields) -> dict[str, Any]:
        """Propose a new project, post or certification. Returns the exact preview and a change_id."""
        return _proposal(await changes().propose_create(actor_of(ctx), kind, fields))

    @mcp.tool(annotations=PROPOSE)
    @domain_errors
    async def propose_update(ctx: Context, kind: Kind, slug: Slug, fields: Fields) -> dict[str, Any]:
        """Propose changing fields of an item. Returns the field-by-field diff and a change_id."""
        return _proposal(await changes().propose_update(actor_of(ctx), kind, slug, fields))

    @mcp.tool(annotations=PROPOSE)
    @domain_errors
    async def propose_delete(ctx: Context, kind: Kind, slug: Slug) -> dict[str, Any]:
        """Propose deleting an item. Returns everything that would be lost and a change_id."""
        return _proposal(await changes().propose_delete(actor_of(ctx), kind, slug))

    @mcp.tool(annotations=PROPOSE)
    @domain_errors
    async def propose_publish(ctx: Context, kind: Kind, slug: Slug) -> dict[str, Any]:
        """Propose publishing a draft post or a hidden project. Returns the diff and a change_id."""
        return _proposal(await changes().propose_publish(actor_of(ctx), kind, slug))

    @mcp.tool(annotations=APPLY)
    @domain_errors
    async def confirm_change(ctx: Context, change_id: ChangeId) -> dict[str, Any]:
        """Apply a proposed change, exactly once, after the owner agreed to its preview."""
        applied = await changes().confirm(actor_of(ctx), change_id)
        return {"change_id": change_id, "status": "applied", "action": applied.change.action,
                "kind": applied.change.kind, "slug": applied.item.slug}

    @mcp.tool(annotations=PROPOSE)
    @domain_errors
    async def cancel_change(ctx: Context, change_id: ChangeId) -> dict[str, Any]:
        """Discard a proposed change; nothing is written."""
        change = await changes().cancel(actor_of(ctx), change_id)
        return {"change_id": str(change.id), "status": "cancelled"}

    return OWNER_TOOLS
