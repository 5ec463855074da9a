"""The scheduled sync (FOLIO_SYNC_GITHUB / FOLIO_SYNC_FEEDS every FOLIO_SYNC_HOURS): new items arrive as
drafts and the owner hears of them through the notification outbox (delivered to a real local webhook);
a source synced within the interval is left alone; one process syncs at a time (advisory lock)."""

from __future__ import annotations

import asyncio
import json
import time

from sqlalchemy import text
from testkit.receivers import WebhookReceiver

from folio.services.importing.schedule import SYNC_LOCK, ScheduledSync
from folio.services.notify import IMPORT_EVENT, Notifier, running
from folio.services.notify_channels import WebhookChannel


async def test_scheduled_sync_adds_drafts_and_notifies_the_owner(imports, services, github, feeds, owner):
    sync = ScheduledSync(imports, ["github:octocat", f"feed:{feeds.url}/atom.xml"], hours=6)
    webhook = WebhookReceiver().start()
    try:
        notifier = Notifier(services.db, [WebhookChannel(webhook.url, "secret")], retry_s=0.1, poll_s=0.05)
        imports.on_new_items.append(notifier.items_imported)
        async with running(notifier):
            done = await sync.run_due()
            deadline = time.monotonic() + 20
            while len(webhook.received) < 2 and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        events = [json.loads(r.body) for r in webhook.received]
    finally:
        webhook.stop()
    assert [len(done[k].created) for k in done] == [1, 2]  # tide-gauge (fork and archived left out), two posts
    assert (await services.projects.get(owner, "tide-gauge")).published is False
    assert (await services.posts.get(owner, "notes-on-consistent-hashing")).status == "draft"
    assert sorted((e["event"], e["import"]["source"], len(e["import"]["items"])) for e in events) == sorted([
        (IMPORT_EVENT, "github:octocat", 1), (IMPORT_EVENT, f"feed:{feeds.url}/atom.xml", 2)])

    github.reset_counts()
    assert await sync.run_due() == {}, "synced within FOLIO_SYNC_HOURS: left alone"
    assert github.requests == []


async def test_one_process_syncs_at_a_time(imports, services, github):
    sync = ScheduledSync(imports, ["github:octocat"], hours=6)
    async with services.db.unit_of_work() as session:  # another process's sync holds the lock
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SYNC_LOCK})
        assert await sync.run_due() == {}
    assert github.requests == []
    assert list(await sync.run_due()) == ["github:octocat"]


async def test_a_source_that_fails_does_not_stop_the_others(imports, services, github, feeds):
    sync = ScheduledSync(imports, [f"feed:{feeds.url}/blog.html", "github:octocat"], hours=6)
    done = await sync.run_due()
    assert "web page, not a feed" in done[f"feed:{feeds.url}/blog.html"].message
    assert len(done["github:octocat"].created) == 1


async def test_a_failed_source_waits_before_it_is_tried_again(imports, feeds):
    sync = ScheduledSync(imports, [f"feed:{feeds.url}/missing.xml"], hours=6)
    assert list(await sync.run_due()) == [f"feed:{feeds.url}/missing.xml"]
    feeds.reset_counts()
    assert await sync.run_due() == {} and feeds.requests == [], "not hammered every poll"
