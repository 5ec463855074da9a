"""All SQL for the notification outbox and its delivery log. No rules: folio.services.notify decides."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from data.reach_models import NotificationDelivery, OutboxMessage


class OutboxRepository:
    async def add(self, session: AsyncSession, message_id: uuid.UUID, event: str, channel: str,
                  payload: dict[str, Any]) -> None:
        session.add(OutboxMessage(id=message_id, event=event, channel=channel, payload=payload, status="pending",
                                  attempts=0))
        await session.flush()

    async def claim_due(self, session: AsyncSession, now: datetime, lease: timedelta,
                        limit: int) -> list[OutboxMessage]:
        """Lock up to `limit` due messages for this worker for `lease` (other processes skip them) and count
        the attempt. A worker that dies mid-delivery loses the lease; the message is then due again."""
        due = (select(OutboxMessage.id)
               .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now,
                      (OutboxMessage.locked_until.is_(None)) | (OutboxMessage.locked_until <= now))
               .order_by(OutboxMessage.next_attempt_at).limit(limit).with_for_update(skip_locked=True))
        rows = await session.scalars(
            update(OutboxMessage).where(OutboxMessage.id.in_(due.scalar_subquery()))
            .values(locked_until=now + lease, attempts=OutboxMessage.attempts + 1)
            .returning(OutboxMessage))
        return list(rows)

    async def release(self, session: AsyncSession, message_ids: list[uuid.UUID]) -> None:
        """Unlock claimed messages whose attempt did not happen (the worker is stopping)."""
        if message_ids:
            await session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(message_ids)).values(
                locked_until=None, attempts=OutboxMessage.attempts - 1))

    async def delivered(self, session: AsyncSession, message_id: uuid.UUID, now: datetime) -> None:
        await session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(
            status="delivered", delivered_at=now, locked_until=None, last_error=None))

    async def retry_later(self, session: AsyncSession, message_id: uuid.UUID, at: datetime, error: str,
                          give_up: bool) -> None:
        await session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(
            status="failed" if give_up else "pending", next_attempt_at=at, locked_until=None, last_error=error))

    async def log(self, session: AsyncSession, message: OutboxMessage, ok: bool, status_code: int | None,
                  error: str | None, duration_ms: int) -> None:
        session.add(NotificationDelivery(message_id=message.id, attempt=message.attempts, channel=message.channel,
                                         ok=ok, status_code=status_code, error=error, duration_ms=duration_ms))
        await session.flush()

    async def count_by_status(self, session: AsyncSession) -> dict[str, int]:
        rows = await session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
        return {status: count for status, count in rows.tuples()}

    async def messages(self, session: AsyncSession, limit: int = 100) -> list[OutboxMessage]:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at).limit(limit)))

    async def deliveries(self, session: AsyncSession, message_id: uuid.UUID) -> list[NotificationDelivery]:
        return list(await session.scalars(select(NotificationDelivery).where(
            NotificationDelivery.message_id == message_id).order_by(NotificationDelivery.attempt)))
