"""All SQL for the owner's profile (one row: the singleton of migration 0016)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import PROFILE_ID, Profile


class ProfileRepository:
    async def get(self, session: AsyncSession) -> Profile | None:
        return await session.get(Profile, PROFILE_ID, populate_existing=True)

    async def get_for_update(self, session: AsyncSession) -> Profile | None:
        """The profile, locked until the transaction ends (a read-modify-write waits for another)."""
        return await session.scalar(select(Profile).where(Profile.id == PROFILE_ID).with_for_update()
                                    .execution_options(populate_existing=True))

    async def upsert(self, session: AsyncSession, fields: dict[str, Any]) -> Profile:
        """Write the row whether or not it exists: concurrent writers never create a second one nor
        fail on the key (INSERT ... ON CONFLICT DO UPDATE, last writer wins)."""
        values = {**fields, "id": PROFILE_ID}
        statement = insert(Profile).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[Profile.id], set_={**fields, "updated_at": func.now()})
        await session.execute(statement.returning(Profile.id))
        return await session.scalar(select(Profile).where(Profile.id == PROFILE_ID)
                                    .execution_options(populate_existing=True))

    async def insert_if_absent(self, session: AsyncSession, fields: dict[str, Any]) -> bool:
        """Create the row unless one exists (the demo seed); True when this call created it."""
        statement = insert(Profile).values(**fields, id=PROFILE_ID).on_conflict_do_nothing(
            index_elements=[Profile.id]).returning(Profile.id)
        return (await session.execute(statement)).first() is not None
