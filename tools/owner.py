"""The owner's tools: content writes are only ever PROPOSED here (folio.services.changes); the owner
applies them with the Confirm button. Bound only into an authenticated owner's agent (tools_for)."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field

from folio import prompts
from folio.errors import DomainError, NotFound, ValidationFailed, on_domain_error
from folio.kinds import KINDS, KindName, TextField, fields_help, kinds_text
from tools._adapter import ToolResult, shorten, structured
from tools.context import ToolContext
from tools.previews import summarize_change


class CreateArgs(BaseModel):
    kind: KindName
    fields: dict[str, Any] = Field(description=prompts.TOOL_FIELDS.format(help=fields_help()))


class UpdateArgs(BaseModel):
    kind: KindName
    slug: str = Field(description=prompts.ARG_EXACT_SLUG)
    fields: dict[str, Any] = Field(description=prompts.ARG_CHANGED_FIELDS)


class ReplaceArgs(BaseModel):
    kind: KindName
    slug: str = Field(description=prompts.ARG_EXACT_SLUG)
    field: TextField
    find: str = Field(description=prompts.ARG_FIND)
    replace: str = Field(description=prompts.ARG_REPLACE)


class SlugArgs(BaseModel):
    kind: KindName
    slug: str = Field(description=prompts.ARG_EXACT_SLUG)


class InboxArgs(BaseModel):
    what: Literal["questions", "contacts"] = Field(
        description=prompts.ARG_INBOX_WHAT)
    limit: int = Field(10, ge=1, le=50)


def _refused(exc: DomainError) -> ToolResult:
    """A refused proposal becomes instructions the model can act on: ask for what is missing, look up a slug."""
    details = exc.details if isinstance(exc.details, dict) else {}
    if isinstance(exc, ValidationFailed):
        missing = details.get("missing")
        hint = prompts.TOOL_ASK_MISSING.format(missing=", ".join(missing)) if missing else prompts.TOOL_ASK_FIX
        return prompts.TOOL_NOT_PROPOSED.format(message=exc.message, hint=hint), []
    if isinstance(exc, NotFound):
        if close := details.get("suggestions"):
            options = "; ".join(f"{c['slug']} (“{c['title']}”)" for c in close)
            return prompts.TOOL_CLOSEST_SLUGS.format(message=exc.message, options=options), []
        return prompts.TOOL_LOOK_UP_SLUG.format(message=exc.message), []
    return prompts.TOOL_NOT_PROPOSED.format(message=exc.message, hint=""), []


_proposal_errors = on_domain_error(_refused)


def owner_tools(ctx: ToolContext) -> list[BaseTool]:
    actor, services = ctx.actor, ctx.services
    thread_id = ctx.origin.thread_id

    async def proposed(action: str, kind: str, slug: str | None = None,
                       fields: dict[str, Any] | None = None) -> ToolResult:
        change = await services.changes.propose(actor, action, kind, slug=slug, fields=fields, thread_id=thread_id)
        return summarize_change(change), []  # the chat shows the change itself, from the database

    @_proposal_errors
    async def propose_create(kind: KindName, fields: dict[str, Any]) -> ToolResult:
        return await proposed("create", kind, fields=fields)

    @_proposal_errors
    async def propose_update(kind: KindName, slug: str, fields: dict[str, Any]) -> ToolResult:
        return await proposed("update", kind, slug=slug, fields=fields)

    @_proposal_errors
    async def propose_text_edit(kind: KindName, slug: str, field: str, find: str, replace: str) -> ToolResult:
        change = await services.changes.propose_replace(actor, kind, slug, field, find, replace, thread_id=thread_id)
        return summarize_change(change), []

    @_proposal_errors
    async def propose_delete(kind: KindName, slug: str) -> ToolResult:
        return await proposed("delete", kind, slug=slug)

    @_proposal_errors
    async def propose_publish(kind: KindName, slug: str) -> ToolResult:
        return await proposed("publish", kind, slug=slug)

    @_proposal_errors
    async def read_inbox(what: str = "questions", limit: int = 10) -> ToolResult:
        if what == "contacts":
            page = await services.inbox.contacts(actor, limit=limit)
            lines = [f"- {c.created_at:%Y-%m-%d} {shorten(c.name, 80)} <{c.email}>: «{shorten(c.message, 200)}»"
                     for c in page.items]
        else:
            page = await services.inbox.questions(actor, limit=limit)
            lines = [f"- {q.created_at:%Y-%m-%d}: «{shorten(q.question, 200)}»" for q in page.items]
        if not lines:
            return prompts.TOOL_INBOX_EMPTY.format(
                what="contact requests" if what == "contacts" else "unanswered questions"), []
        label = "contact request(s)" if what == "contacts" else "unanswered question(s)"
        return prompts.TOOL_INBOX_HEAD.format(total=page.total, label=label) + "\n".join(lines), []

    publishable = [k.plural for k in KINDS.values() if k.publish is not None]
    return [
        structured(propose_create, CreateArgs, prompts.TOOL_PROPOSE_CREATE.format(kinds=kinds_text("or"))),
        structured(propose_update, UpdateArgs, prompts.TOOL_PROPOSE_UPDATE),
        structured(propose_delete, SlugArgs, prompts.TOOL_PROPOSE_DELETE),
        structured(propose_publish, SlugArgs, prompts.TOOL_PROPOSE_PUBLISH.format(kinds=", ".join(publishable))),
        structured(propose_text_edit, ReplaceArgs, prompts.TOOL_PROPOSE_TEXT_EDIT),
        structured(read_inbox, InboxArgs, prompts.TOOL_READ_INBOX),
    ]
