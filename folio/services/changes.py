"""Confirmed writes: the owner's agent proposes a change, the owner sees exactly what it does, and only
the owner's confirmation applies it, once, through the same ContentService methods REST uses.

A proposal is validated at once (schemas and the content rules, without writing) so a bad or
incomplete one is reported while the owner is still talking. It is stored server-side (table
pending_changes) under a random one-time id bound to the owner and the chat thread, with the preview
the owner was shown: every field for a create, a field-by-field before/after diff for an update or a
publish, everything that would be lost for a delete. Stored in the database rather than in process
memory so that a confirmation survives a restart and works whichever worker receives it, and so that
"exactly once" is one atomic UPDATE ... WHERE status = 'pending' even between processes.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from data.db import Database
from data.models import PendingChange
from data.repositories import ChangeRepository
from folio.actor import Actor
from folio.errors import ChangeSpent, DomainError, NotFound, StaleChange, ValidationFailed
from folio.kinds import KindSpec
from folio.services.change_validation import spec_of, validated, validation_problem
from folio.services.change_views import (AppliedChange, FieldChange, ProposedChange, owner_key, parse_id,
                                         spent_message, view)
from folio.services.content import ContentService
from folio.services.search import SearchService

Action = Literal["create", "update", "delete", "publish"]
ACTIONS: tuple[str, ...] = ("create", "update", "delete", "publish")
DEFAULT_TTL = timedelta(minutes=30)
SUGGESTIONS = 3  # items offered when a change names a slug that does not exist


class ChangeService:
    def __init__(self, db: Database, content: Callable[[str], ContentService], ttl: timedelta = DEFAULT_TTL,
                 search: SearchService | None = None):
        self.db = db
        self.content = content
        self.ttl = ttl
        self.search = search
        self.repo = ChangeRepository()
        self.appliers: dict[str, Callable[..., Awaitable[Any]]] = {}  # kinds applied elsewhere (the profile)

    # ---- proposals ---------------------------------------------------------------------------
    async def propose(self, actor: Actor, action: str, kind: str, *, slug: str | None = None,
                      fields: dict[str, Any] | None = None, thread_id: str | None = None) -> ProposedChange:
        if action not in ACTIONS:
            raise ValidationFailed(f"unknown action '{action}': use one of {', '.join(ACTIONS)}")
        if action == "create":
            return await self.propose_create(actor, kind, fields or {}, thread_id=thread_id)
        if not slug:
            raise ValidationFailed(f"which {kind}? a slug is needed to {action} it", details={"missing": ["slug"]})
        if action == "update":
            return await self.propose_update(actor, kind, slug, fields or {}, thread_id=thread_id)
        if action == "delete":
            return await self.propose_delete(actor, kind, slug, thread_id=thread_id)
        return await self.propose_publish(actor, kind, slug, thread_id=thread_id)

    async def propose_create(self, actor: Actor, kind: str, fields: dict[str, Any], *,
                             thread_id: str | None = None) -> ProposedChange:
        actor.require_owner()
        spec = spec_of(kind)
        data = validated(spec.create, spec, fields, creating=True)
        values = await self.content(kind).check_create(actor, data)
        payload = {**data.model_dump(mode="json", exclude_unset=True), "slug": values["slug"]}
        shown = {**data.model_dump(mode="json"), "slug": values["slug"]}
        preview = {"title": spec.title_of(SimpleNamespace(**values)), "fields": shown}
        return await self._store(actor, spec, "create", values["slug"], payload, preview, None, thread_id)

    async def propose_update(self, actor: Actor, kind: str, slug: str, fields: dict[str, Any], *,
                             thread_id: str | None = None, action: str = "update") -> ProposedChange:
        actor.require_owner()
        spec = spec_of(kind)
        data = validated(spec.update, spec, fields, creating=False)
        if not data.model_fields_set:
            raise ValidationFailed(f"no fields to change on the {spec.name}", details={"missing": ["fields"]})
        item, _ = await self._suggesting(actor, spec, slug, self.content(kind).check_update(actor, slug, data))
        before = spec.out.model_validate(item).model_dump(mode="json")
        after = data.model_dump(mode="json", exclude_unset=True)
        payload = {k: v for k, v in after.items() if before.get(k) != v}
        if not payload:
            raise ValidationFailed(f"nothing would change: the {spec.name} '{slug}' already has these values")
        diff = [{"field": k, "before": before.get(k), "after": v} for k, v in payload.items()]
        preview = {"title": spec.title_of(item), "diff": diff}
        return await self._store(actor, spec, action, item.slug, payload, preview, item.updated_at, thread_id)

    async def propose_replace(self, actor: Actor, kind: str, slug: str, field: str, find: str, replace: str, *,
                              thread_id: str | None = None) -> ProposedChange:
        """An edit inside one text field (fix a typo, reword a sentence): every occurrence of `find`
        becomes `replace`, proposed as an update of that field (the preview shows the diff). Unlike
        sending the whole new text, this cannot drop the parts of a long post the model never saw."""
        actor.require_owner()
        spec = spec_of(kind)
        if field not in spec.text_fields:
            hint = (f"; to set it, propose an update with fields {{\"{field}\": <new value>}}"
                    if field in spec.update.model_fields else "")
            raise ValidationFailed(f"'{field}' is not a text field of a {spec.name} (those are "
                                   f"{', '.join(spec.text_fields)}){hint}")
        if not find:
            raise ValidationFailed("the text to find must not be empty", details={"missing": ["find"]})
        item = await self._suggesting(actor, spec, slug, self.content(kind).get(actor, slug))
        current = getattr(item, field) or ""
        if find not in current:
            raise ValidationFailed(f"'{find[:80]}' does not occur in the {field} of '{item.slug}'")
        return await self.propose_update(actor, kind, item.slug, {field: current.replace(find, replace)},
                                         thread_id=thread_id)

    async def propose_delete(self, actor: Actor, kind: str, slug: str, *,
                             thread_id: str | None = None) -> ProposedChange:
        actor.require_owner()
        spec = spec_of(kind)
        item = await self._suggesting(actor, spec, slug, self.content(kind).get(actor, slug))
        lost = spec.out.model_validate(item).model_dump(mode="json")
        preview = {"title": spec.title_of(item), "fields": lost}
        return await self._store(actor, spec, "delete", item.slug, {}, preview, item.updated_at, thread_id)

    async def propose_publish(self, actor: Actor, kind: str, slug: str, *,
                              thread_id: str | None = None) -> ProposedChange:
        actor.require_owner()
        spec = spec_of(kind)
        if spec.publish is None:
            raise ValidationFailed(f"a {spec.name} has no draft state: it is always visible")
        fields = dict(spec.publish)
        item = await self._suggesting(actor, spec, slug, self.content(kind).get(actor, slug))
        if item.is_public:
            raise ValidationFailed(f"the {spec.name} '{item.slug}' is already published")
        return await self.propose_update(actor, kind, slug, fields, thread_id=thread_id, action="publish")

    async def _suggesting(self, actor: Actor, spec: KindSpec, slug: str, lookup: Awaitable[Any]) -> Any:
        """The looked-up item; when the slug does not exist, NotFound names the closest items (found by
        the portfolio search), so the next proposal can use an exact slug instead of another guess."""
        try:
            return await lookup
        except NotFound as exc:
            if self.search is None or not slug.strip():
                raise
            hits = await self.search.search(actor, slug.replace("-", " ")[:200], limit=SUGGESTIONS, kind=spec.name)
            raise NotFound(exc.message, details={"suggestions": [{"slug": h.slug, "title": h.title}
                                                                 for h in hits]}) from None

    async def _store(self, actor: Actor, spec: KindSpec, action: str, slug: str, payload: dict[str, Any],
                     preview: dict[str, Any], base_version: datetime | None,
                     thread_id: str | None) -> ProposedChange:
        now = datetime.now(UTC)
        async with self.db.unit_of_work() as session:
            row = await self.repo.add(session, {
                "id": uuid.uuid4(), "owner_key": owner_key(actor), "thread_id": thread_id, "kind": spec.name,
                "action": action, "target_slug": slug, "payload": payload, "preview": preview,
                "base_version": base_version, "status": "pending", "created_at": now,
                "expires_at": now + self.ttl,
            })
        return view(row)

    # ---- reading -----------------------------------------------------------------------------
    async def get(self, actor: Actor, change_id: uuid.UUID | str) -> ProposedChange:
        actor.require_owner()
        return view(await self._row(actor, change_id))

    async def pending(self, actor: Actor, thread_id: str | None = None, *,
                      since: datetime | None = None) -> list[ProposedChange]:
        """Changes waiting for this owner's answer (in one thread, and created since a moment, if given)."""
        actor.require_owner()
        async with self.db.unit_of_work() as session:
            rows = await self.repo.pending(session, owner_key(actor), thread_id, now=datetime.now(UTC), since=since)
        return [view(r) for r in rows]

    # ---- answers -----------------------------------------------------------------------------
    async def confirm(self, actor: Actor, change_id: uuid.UUID | str, *,
                      thread_id: str | None = None) -> AppliedChange:
        """Apply a pending change exactly once; a second confirmation raises ChangeSpent.

        One transaction claims the change (its row stays locked, so a concurrent confirmation waits and
        then finds it spent), locks the item, checks the item's version (updated_at) against the one the
        preview showed, writes the item and its search chunks, and marks the change applied: a crash
        or an error anywhere leaves either nothing or everything. A refused change (stale, slug taken,
        invalid) is closed as failed afterwards, in its own transaction."""
        actor.require_owner()
        cid = parse_id(change_id)
        now = datetime.now(UTC)
        applying = False
        try:
            async with self.db.unit_of_work() as session:
                row = await self._claim_in(session, actor, cid, "applied", thread_id, now)
                applying = True
                item = await (self.appliers[row.kind](session, actor, row) if row.kind in self.appliers
                              else self._apply(session, actor, self.content(row.kind), row))
                await self.repo.finish(session, row.id, status="applied", now=now, result_slug=item.slug)
        except DomainError as exc:
            if applying:
                await self._finish(cid, "failed", error=exc.message)
            raise
        return AppliedChange(view(row), item)

    async def cancel(self, actor: Actor, change_id: uuid.UUID | str, *,
                     thread_id: str | None = None) -> ProposedChange:
        """Discard a pending change; nothing is written to the content."""
        actor.require_owner()
        async with self.db.unit_of_work() as session:
            row = await self._claim_in(session, actor, parse_id(change_id), "cancelled", thread_id,
                                       datetime.now(UTC))
        return view(row)

    async def _apply(self, session: AsyncSession, actor: Actor, service: ContentService, row: PendingChange) -> Any:
        spec = service.spec
        if row.action == "create":
            return await service.create_in(session, actor, spec.create.model_validate(row.payload))
        current = await self.repo.lock_item(session, spec.model, row.target_slug)  # until the commit
        if current is None:
            raise NotFound(f"no {spec.name} with slug '{row.target_slug}'")
        if row.base_version is not None and current.updated_at != row.base_version:
            raise StaleChange(f"the {spec.name} '{row.target_slug}' changed after this preview was shown; "
                              "ask for the change again to see a fresh preview")
        if row.action == "delete":
            return await service.delete_in(session, actor, row.target_slug)
        return await service.update_in(session, actor, row.target_slug, spec.update.model_validate(row.payload))

    async def _claim_in(self, session: AsyncSession, actor: Actor, cid: uuid.UUID, to_status: str,
                        thread_id: str | None, now: datetime) -> PendingChange:
        """Move a pending change to `to_status` in the caller's transaction (its row stays locked until
        the end); NotFound or ChangeSpent otherwise."""
        row = await self.repo.get(session, cid)
        if row is None or row.owner_key != owner_key(actor) or (
                thread_id is not None and row.thread_id is not None and row.thread_id != thread_id):
            raise NotFound("no such pending change")
        status = row.status
        claimed = await self.repo.transition(session, cid, owner_key(actor), from_status="pending",
                                             to_status=to_status, now=now)
        if claimed is None:
            await session.refresh(row)
            raise ChangeSpent(spent_message(row, now), details={"status": row.status or status})
        return claimed

    async def _row(self, actor: Actor, change_id: uuid.UUID | str) -> PendingChange:
        async with self.db.unit_of_work() as session:
            row = await self.repo.get(session, parse_id(change_id))
        if row is None or row.owner_key != owner_key(actor):
            raise NotFound("no such pending change")
        return row

    async def _finish(self, change_id: uuid.UUID, status: str, *, result_slug: str | None = None,
                      error: str | None = None) -> None:
        async with self.db.unit_of_work() as session:
            await self.repo.finish(session, change_id, status=status, now=datetime.now(UTC),
                                   result_slug=result_slug, error=error)


__all__ = ["ACTIONS", "DEFAULT_TTL", "AppliedChange", "ChangeService", "FieldChange", "ProposedChange",
           "owner_key", "validation_problem"]
