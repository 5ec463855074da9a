"""What a proposed change looks like to its callers: the owner's preview (ProposedChange) read back
from its pending_changes row, and the messages for a change that can no longer be answered."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from data.models import PendingChange
from folio.actor import Actor
from folio.errors import NotFound
from folio.kinds import spec_of


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ProposedChange:
    """What the owner is asked to confirm."""

    id: uuid.UUID
    kind: str
    action: str
    slug: str  # the item it touches (for a create: the slug it will get)
    title: str
    fields: dict[str, Any] = field(default_factory=dict)  # create: what will be stored; delete: what is lost
    diff: list[FieldChange] = field(default_factory=list)  # update and publish
    expires_at: datetime | None = None
    thread_id: str | None = None


@dataclass(frozen=True)
class AppliedChange:
    change: ProposedChange
    item: Any  # the created/updated/deleted row


def owner_key(actor: Actor) -> str:
    return str(actor.user_id) if actor.user_id else (actor.email or "owner")


def spent_message(row: PendingChange, now: datetime) -> str:
    if row.status == "pending" and row.expires_at <= now:
        return "this change expired before it was confirmed; ask for it again"
    return {
        "applied": "this change was already confirmed and applied",
        "applying": "this change is being applied",
        "cancelled": "this change was cancelled",
        "failed": "this change could not be applied and is closed; ask for it again",
    }.get(row.status, "this change is closed")


def parse_id(change_id: uuid.UUID | str) -> uuid.UUID:
    if isinstance(change_id, uuid.UUID):
        return change_id
    try:
        return uuid.UUID(str(change_id))
    except ValueError:
        raise NotFound("no such pending change") from None


def _in_schema_order(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """JSONB does not keep key order: show fields in the order the schemas declare them."""
    spec = spec_of(kind)
    order: dict[str, int] = {}
    for name in [*spec.create.model_fields, *spec.out.model_fields]:
        order.setdefault(name, len(order))
    return dict(sorted(fields.items(), key=lambda kv: order.get(kv[0], len(order))))


def view(row: PendingChange) -> ProposedChange:
    preview = row.preview or {}
    return ProposedChange(
        id=row.id, kind=row.kind, action=row.action, slug=row.target_slug or "",
        title=preview.get("title", row.target_slug or ""),
        fields=_in_schema_order(row.kind, preview.get("fields", {})),
        diff=[FieldChange(d["field"], d["before"], d["after"]) for d in preview.get("diff", [])],
        expires_at=row.expires_at, thread_id=row.thread_id)
