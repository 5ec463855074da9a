"""Owner notifications through an outbox: when a visitor leaves contact details, one message per
configured channel is written in the SAME transaction as the inbox entry (so none is lost and none is
sent for a refused entry), and a background worker delivers it. The visitor's turn never waits for
delivery and never fails because of it; messages survive restarts; several processes may drain one
database (rows are claimed with FOR UPDATE SKIP LOCKED under a lease). Delivery is at least once:
each payload carries an idempotency key (also the X-Folio-Delivery header / the email's Message-ID)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from data.db import Database
from data.models import ContactRequest
from data.repositories.outbox import OutboxRepository
from folio.services.notify_channels import Channel, EmailChannel, SmtpConfig, WebhookChannel
from folio.settings import Settings

log = logging.getLogger(__name__)

CONTACT_EVENT = "contact.created"
IMPORT_EVENT = "import.items_added"  # a scheduled sync brought new drafts
LEASE = timedelta(minutes=2)  # longer than one delivery's timeout
BATCH = 20
MAX_BACKOFF_S = 3600.0


def backoff(attempts: int, first_s: float) -> float:
    """Seconds before the next try after `attempts` failed ones: first_s, 2x, 4x ... capped at an hour."""
    return min(MAX_BACKOFF_S, first_s * (2 ** max(0, attempts - 1)))


class Notifier:
    def __init__(self, db: Database, channels: list[Channel], *, max_attempts: int = 8, retry_s: float = 5.0,
                 poll_s: float = 2.0, site_url: str | None = None):
        self.db = db
        self.channels = {c.name: c for c in channels}
        self.max_attempts = max_attempts
        self.retry_s = retry_s
        self.poll_s = poll_s
        self.site_url = site_url
        self.repo = OutboxRepository()
        self._wake = asyncio.Event()

    # ---- writing (inside the caller's transaction) ------------------------------------------------
    async def contact_left(self, session: AsyncSession, entry: ContactRequest) -> None:
        """InboxService hook: queue one message per channel with the contact request."""
        for channel in self.channels:
            message_id = uuid.uuid4()
            await self.repo.add(session, message_id, CONTACT_EVENT, channel, {
                "idempotency_key": str(message_id), "event": CONTACT_EVENT,
                "created_at": datetime.now(UTC).isoformat(), "site": self.site_url,
                "contact": {"id": str(entry.id), "name": entry.name, "email": entry.email, "message": entry.message,
                            "source": "mcp" if (entry.visitor_id or "").startswith("mcp") else "chat",
                            "thread_id": entry.thread_id}})
        # Deliver as soon as the entry is committed (the worker also polls, for other processes' messages).
        event.listen(session.sync_session, "after_commit", lambda _s: self._wake.set(), once=True)

    async def items_imported(self, session: AsyncSession, source: str, items: list[tuple[str, str, str]]) -> None:
        """ImportService hook: queue one message per channel listing the drafts a sync added."""
        for channel in self.channels:
            message_id = uuid.uuid4()
            await self.repo.add(session, message_id, IMPORT_EVENT, channel, {
                "idempotency_key": str(message_id), "event": IMPORT_EVENT,
                "created_at": datetime.now(UTC).isoformat(), "site": self.site_url,
                "import": {"source": source, "items": [{"kind": k, "slug": s, "title": t} for k, s, t in items]}})
        event.listen(session.sync_session, "after_commit", lambda _s: self._wake.set(), once=True)

    # ---- delivering ------------------------------------------------------------------------------
    async def deliver_due(self) -> int:
        """Try every due message once; returns how many were tried."""
        now = datetime.now(UTC)
        async with self.db.unit_of_work() as session:
            batch = await self.repo.claim_due(session, now, LEASE, BATCH)
        done = 0
        try:
            for message in batch:
                await self._deliver(message)
                done += 1
        except asyncio.CancelledError:  # stopping: hand the rest back now rather than after the lease
            async with self.db.unit_of_work() as session:
                await self.repo.release(session, [m.id for m in batch[done:]])
            raise
        return len(batch)

    async def _deliver(self, message) -> None:
        channel = self.channels.get(message.channel)
        if channel is None:
            attempt_ok, code, error, ms = False, None, f"channel {message.channel} is not configured", 0
        else:
            try:
                result = await channel.send(str(message.id), message.event, message.payload)
                attempt_ok, code, error, ms = result.ok, result.status_code, result.error, result.duration_ms
            except Exception as exc:  # a channel bug must not stop the worker
                log.exception("notification channel %s failed", message.channel)
                attempt_ok, code, error, ms = False, None, f"{type(exc).__name__}: {exc}"[:500], 0
        now = datetime.now(UTC)
        async with self.db.unit_of_work() as session:
            await self.repo.log(session, message, attempt_ok, code, error, ms)
            if attempt_ok:
                await self.repo.delivered(session, message.id, now)
                return
            give_up = message.attempts >= self.max_attempts or channel is None
            at = now + timedelta(seconds=backoff(message.attempts, self.retry_s))
            await self.repo.retry_later(session, message.id, at, error or "failed", give_up)
        (log.error if give_up else log.warning)(
            "notification %s via %s failed (attempt %d%s): %s", message.id, message.channel, message.attempts,
            ", giving up" if give_up else "", error)

    async def run(self) -> None:
        """Deliver until cancelled."""
        while True:
            try:
                tried = await self.deliver_due()
            except Exception:  # the database may be restarting: keep the worker alive
                log.exception("notification worker: delivery round failed")
                tried = 0
            if tried:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_s)

    async def messages(self, limit: int = 100) -> list[Any]:
        async with self.db.read() as session:
            return await self.repo.messages(session, limit)

    async def deliveries(self, message_id: uuid.UUID) -> list[Any]:
        async with self.db.read() as session:
            return await self.repo.deliveries(session, message_id)


@contextlib.asynccontextmanager
async def running(notifier: Notifier | None) -> AsyncIterator[None]:
    """Run the delivery worker as a background task for the duration of the block."""
    if notifier is None:
        yield
        return
    task = asyncio.create_task(notifier.run(), name="folio-notify")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def channels_from(settings: Settings) -> list[Channel]:
    channels: list[Channel] = []
    if settings.notify_webhook_url:
        channels.append(WebhookChannel(settings.notify_webhook_url,
                                       settings.notify_webhook_secret.get_secret_value()))
    if settings.smtp_host:
        channels.append(EmailChannel(SmtpConfig(
            host=settings.smtp_host, port=settings.smtp_port, sender=settings.smtp_from or "",
            recipient=settings.smtp_to or settings.owner_email or "", security=settings.smtp_security,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None)))
    return channels


def notifier_for(settings: Settings, db: Database) -> Notifier | None:
    """The configured notifier, or None when no channel is set."""
    channels = channels_from(settings)
    if not channels:
        return None
    return Notifier(db, channels, max_attempts=settings.notify_max_attempts, retry_s=settings.notify_retry_seconds,
                    poll_s=settings.notify_poll_seconds, site_url=settings.site_url)
