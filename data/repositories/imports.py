"""All SQL for the GitHub and feed imports' sync state (migration 0019). No rules: folio.services.importing
decides what a value means and when it changes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from data.import_models import ImportedItem, ImportSource


class ImportRepository:
    async def source(self, session: AsyncSession, key: str) -> ImportSource | None:
        return await session.get(ImportSource, key)

    async def ensure_source(self, session: AsyncSession, key: str) -> None:
        await session.execute(insert(ImportSource).values(key=key, validators={}).on_conflict_do_nothing())

    async def save_validators(self, session: AsyncSession, key: str, validators: dict[str, Any],
                              synced_at: datetime) -> None:
        await self.ensure_source(session, key)
        await session.execute(update(ImportSource).where(ImportSource.key == key).values(
            validators=validators, synced_at=synced_at))

    async def items(self, session: AsyncSession, key: str) -> dict[str, ImportedItem]:
        """The source's imported items by external id."""
        rows = await session.scalars(select(ImportedItem).where(ImportedItem.source_key == key))
        return {row.external_id: row for row in rows}

    async def by_external(self, session: AsyncSession, key: str, external_id: str) -> ImportedItem | None:
        """The imported item, locked for this transaction."""
        return await session.scalar(select(ImportedItem).where(
            ImportedItem.source_key == key, ImportedItem.external_id == external_id).with_for_update())

    async def get(self, session: AsyncSession, record_id: uuid.UUID, for_update: bool = False) -> ImportedItem | None:
        stmt = select(ImportedItem).where(ImportedItem.id == record_id)
        return await session.scalar(stmt.with_for_update() if for_update else stmt)

    async def add(self, session: AsyncSession, key: str, external_id: str, kind: str, item_id: uuid.UUID,
                  source_values: dict[str, Any]) -> ImportedItem:
        row = ImportedItem(source_key=key, external_id=external_id, kind=kind, item_id=item_id,
                           source_values=source_values, conflicts={})
        session.add(row)
        await session.flush()
        return row

    async def save(self, session: AsyncSession, record_id: uuid.UUID, *, source_values: dict[str, Any],
                   conflicts: dict[str, Any], removed_at: datetime | None) -> None:
        await session.execute(update(ImportedItem).where(ImportedItem.id == record_id).values(
            source_values=source_values, conflicts=conflicts, removed_at=removed_at, updated_at=func.now()))

    async def mark_removed(self, session: AsyncSession, record_ids: list[uuid.UUID], at: datetime) -> None:
        if record_ids:
            await session.execute(update(ImportedItem).where(
                ImportedItem.id.in_(record_ids), ImportedItem.removed_at.is_(None)).values(removed_at=at))

    async def with_conflicts(self, session: AsyncSession) -> list[ImportedItem]:
        rows = await session.scalars(select(ImportedItem).where(ImportedItem.conflicts != text("'{}'::jsonb"))
                                     .order_by(ImportedItem.source_key, ImportedItem.external_id))
        return list(rows)

    async def try_lock(self, session: AsyncSession, key: int) -> bool:
        """A transaction-level advisory lock (released at commit or rollback); False when another holds it."""
        return bool(await session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}))
