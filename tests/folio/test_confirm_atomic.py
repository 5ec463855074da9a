"""Confirm is one transaction: claim, version check under a row lock, write, mark applied. A REST
write that lands while a confirmation runs makes it fail clearly instead of being overwritten, and a
confirmation that dies half-way leaves nothing behind (the change can be confirmed again)."""

import asyncio

import psycopg
import pytest

from folio.errors import ChangeSpent, StaleChange
from folio.schemas import ProjectCreate


def _libpq(db_url: str) -> str:
    return db_url.replace("postgresql+psycopg://", "postgresql://")


async def _started(task: asyncio.Task, seconds: float = 0.5) -> None:
    await asyncio.sleep(seconds)
    assert not task.done(), "the confirmation should be waiting for the item's row lock"


async def test_a_write_that_lands_during_confirm_is_not_overwritten(services, owner, db_url):
    await services.projects.create(owner, ProjectCreate(title="Ferrox", summary="v1"))
    change = await services.changes.propose_update(owner, "project", "ferrox", {"summary": "v2 from chat"})
    async with await psycopg.AsyncConnection.connect(_libpq(db_url)) as rest:
        # A REST PATCH in flight: it holds the row and has written, but not committed yet.
        await rest.execute("UPDATE projects SET summary = 'v2 from REST', updated_at = now() WHERE slug = 'ferrox'")
        confirm = asyncio.create_task(services.changes.confirm(owner, change.id))
        await _started(confirm)
        await rest.commit()
    with pytest.raises(StaleChange, match="changed after this preview"):
        await confirm
    assert (await services.projects.get(owner, "ferrox")).summary == "v2 from REST"
    with pytest.raises(ChangeSpent, match="could not be applied"):
        await services.changes.confirm(owner, change.id)


async def test_a_confirmation_that_dies_half_way_leaves_nothing(services, owner, db_url):
    await services.projects.create(owner, ProjectCreate(title="Glint", summary="before"))
    change = await services.changes.propose_update(owner, "project", "glint", {"summary": "after"})
    async with await psycopg.AsyncConnection.connect(_libpq(db_url)) as other:
        await other.execute("SELECT 1 FROM projects WHERE slug = 'glint' FOR UPDATE")
        confirm = asyncio.create_task(services.changes.confirm(owner, change.id))
        await _started(confirm)  # claimed the change, waiting for the item
        confirm.cancel()  # the process dies here
        with pytest.raises(asyncio.CancelledError):
            await confirm
        await other.rollback()
    assert (await services.projects.get(owner, "glint")).summary == "before"
    assert [c.id for c in await services.changes.pending(owner)] == [change.id]  # still waiting
    applied = await services.changes.confirm(owner, change.id)  # and it can still be confirmed, once
    assert applied.item.summary == "after"
    with pytest.raises(ChangeSpent, match="already confirmed"):
        await services.changes.confirm(owner, change.id)
