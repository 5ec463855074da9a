"""The scheduled sync: FOLIO_SYNC_GITHUB and FOLIO_SYNC_FEEDS read again every FOLIO_SYNC_HOURS by the
app's background worker. With several processes on one database, one of them syncs at a time (a
PostgreSQL advisory lock; the others skip the round) and a source synced within the interval (by any
process, or by the owner's own import) is left alone."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from folio.actor import Actor
from folio.errors import DomainError
from folio.services.importing.service import ImportService, source_key
from folio.services.importing.state import REPOSITORY

log = logging.getLogger(__name__)

SYNC_LOCK = 0x666F6C696F53594E  # "folioSYN": the scheduled sync's advisory lock key
SYNC_ACTOR = Actor(email="sync", is_owner=True)
POLL_S = 60.0
RETRY = timedelta(minutes=30)


class ScheduledSync:
    def __init__(self, imports: ImportService, sources: list[str], hours: float, poll_s: float = POLL_S):
        self.imports = imports
        self.sources = [source_key(s) for s in sources]
        self.every = timedelta(hours=hours)
        self.poll_s = poll_s
        self.retry_at: dict[str, datetime] = {}  # a source that failed is tried again after RETRY (or its reset)

    async def run_due(self) -> dict[str, object]:
        """Sync each source not synced within the interval; returns reports (or errors) by source. Does
        nothing when another process holds the lock."""
        done: dict[str, object] = {}
        async with self.imports.db.unit_of_work() as session:
            if not await REPOSITORY.try_lock(session, SYNC_LOCK):
                return done
            for key in self.sources:
                source = await REPOSITORY.source(session, key)
                now = datetime.now(UTC)
                if source is not None and source.synced_at and now - source.synced_at < self.every:
                    continue
                if self.retry_at.get(key, now) > now:
                    continue
                try:
                    report = await self.imports.sync(SYNC_ACTOR, key)
                except DomainError as exc:  # a source down or rate-limited: the others go on
                    wait = max(min(self.every, RETRY), timedelta(seconds=getattr(exc, "retry_after", 0)))
                    self.retry_at[key] = now + wait
                    log.warning("scheduled sync of %s failed (next try in %s): %s", key, wait, exc.message)
                    done[key] = exc
                    continue
                self.retry_at.pop(key, None)
                log.info("scheduled sync of %s: %d new, %d updated, %d conflicts, %d removed, %d requests",
                         key, len(report.created), len(report.updated), len(report.conflicts), len(report.removed),
                         report.requests)
                done[key] = report
        return done

    async def run(self) -> None:
        while True:
            try:
                await self.run_due()
            except Exception:  # the database may be restarting: keep the worker alive
                log.exception("scheduled sync round failed")
            await asyncio.sleep(self.poll_s)


@contextlib.asynccontextmanager
async def running(sync: ScheduledSync | None) -> AsyncIterator[None]:
    if sync is None or not sync.sources:
        yield
        return
    task = asyncio.create_task(sync.run(), name="folio-sync")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
