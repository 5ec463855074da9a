"""The owner's chat changes the profile as it changes every kind: a proposal with a before/after diff,
stored as a pending change (folio.services.changes: one-time id, expiry, exactly-once confirmation),
applied only when the owner confirms, refused when the profile changed after the preview."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from data.db import Database
from data.models import PendingChange, Profile
from data.repositories import ChangeRepository
from data.repositories.profile import ProfileRepository
from folio.actor import Actor
from folio.errors import NotFound, StaleChange, ValidationFailed
from folio.kinds import PROFILE, PROFILE_SLUG
from folio.services.change_views import ProposedChange, owner_key, view
from folio.services.changes import DEFAULT_TTL
from folio.services.profile import NO_PROFILE, ProfileService, _require_owner, _values_of, validated


class ProfileChanges:
    def __init__(self, db: Database, profile: ProfileService, ttl: timedelta = DEFAULT_TTL):
        self.db = db
        self.profile = profile
        self.ttl = ttl
        self.repo = ChangeRepository()

    async def propose(self, actor: Actor, fields: dict[str, Any], *, thread_id: str | None = None) -> ProposedChange:
        """Propose changing some profile fields (validated now: a bad value is refused while the owner talks)."""
        _require_owner(actor)
        current = await self.profile.find()
        if current is None and "name" not in fields:
            raise NotFound(NO_PROFILE + " (write it first: PUT /api/v1/profile)")
        before = validated(_values_of(current)).model_dump(mode="json") if current is not None else {}
        after = validated({**before, **fields}).model_dump(mode="json")
        payload = {k: after[k] for k in fields if k in after and before.get(k) != after[k]}
        if not payload:
            raise ValidationFailed("nothing would change: the profile already says that")
        preview = {"title": after["name"],
                   "diff": [{"field": k, "before": before.get(k), "after": v} for k, v in payload.items()]}
        now = datetime.now(UTC)
        async with self.db.unit_of_work() as session:
            row = await self.repo.add(session, {
                "id": uuid.uuid4(), "owner_key": owner_key(actor), "thread_id": thread_id, "kind": PROFILE.name,
                "action": "update", "target_slug": PROFILE_SLUG, "payload": payload, "preview": preview,
                "base_version": current.updated_at if current is not None else None, "status": "pending",
                "created_at": now, "expires_at": now + self.ttl})
        return view(row)

    async def apply_in(self, session: AsyncSession, actor: Actor, row: PendingChange) -> Profile:
        """The confirmed change, in the confirmation's transaction (ChangeService.confirm)."""
        current = await ProfileRepository().get_for_update(session)
        if current is None and row.base_version is not None:
            raise NotFound(NO_PROFILE)
        if current is not None and current.updated_at != row.base_version:
            raise StaleChange("the profile changed after this preview was shown; ask for the change again "
                              "to see a fresh preview")
        values = _values_of(current) if current is not None else {}
        return await self.profile.put_in(session, actor, validated({**values, **row.payload}))
