"""All SQL for pending changes. No rules here: folio.services.changes decides."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import PendingChange


class ChangeRepository:
    async def add(self, session: AsyncSession, values: dict[str, Any]) -> PendingChange:
        change = PendingChange(**values)
        session.add(change)
        await session.flush()
        await session.refresh(change)
        return change

    async def get(self, session: AsyncSession, change_id: uuid.UUID) -> PendingChange | None:
        return await session.get(PendingChange, change_id)

    async def transition(self, session: AsyncSession, change_id: uuid.UUID, owner_key: str, *,
                         from_status: str, to_status: str, now: datetime,
                         unexpired: bool = True) -> PendingChange | None:
        """Move one change between states atomically; None when it is not in `from_status` (any more)."""
        stmt = (update(PendingChange)
                .where(PendingChange.id == change_id, PendingChange.owner_key == owner_key,
                       PendingChange.status == from_status)
                .values(status=to_status, resolved_at=now)
                .returning(PendingChange))
        if unexpired:
            stmt = stmt.where(PendingChange.expires_at > now)
        return await session.scalar(stmt, execution_options={"populate_existing": True})

    async def lock_item(self, session: AsyncSession, model: type, slug: str) -> Any | None:
        """The content item with this slug, locked (SELECT ... FOR UPDATE) until the transaction ends:
        a concurrent write waits, so a version check and the write it guards see the same row."""
        return await session.scalar(select(model).where(model.slug == slug).with_for_update(),
                                    execution_options={"populate_existing": True})

    async def finish(self, session: AsyncSession, change_id: uuid.UUID, *, status: str, now: datetime,
                     result_slug: str | None = None, error: str | None = None) -> None:
        await session.execute(update(PendingChange).where(PendingChange.id == change_id)
                              .values(status=status, resolved_at=now, result_slug=result_slug, error=error))

    async def pending(self, session: AsyncSession, owner_key: str, thread_id: str | None, *,
                      now: datetime, since: datetime | None = None) -> list[PendingChange]:
        stmt = select(PendingChange).where(PendingChange.owner_key == owner_key,
                                           PendingChange.status == "pending",
                                           PendingChange.expires_at > now)
        if thread_id is not None:
            stmt = stmt.where(PendingChange.thread_id == thread_id)
        if since is not None:
            stmt = stmt.where(PendingChange.created_at >= since)
        return list(await session.scalars(stmt.order_by(PendingChange.created_at)))
