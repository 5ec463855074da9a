"""All SQL for API tokens."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import User
from data.reach_models import ApiToken


class ApiTokenRepository:
    async def add(self, session: AsyncSession, user_id: uuid.UUID, name: str, token_hash: str,
                  prefix: str) -> ApiToken:
        token = ApiToken(id=uuid.uuid4(), user_id=user_id, name=name, token_hash=token_hash, prefix=prefix)
        session.add(token)
        await session.flush()
        await session.refresh(token)
        return token

    async def live_with_name(self, session: AsyncSession, user_id: uuid.UUID, name: str) -> ApiToken | None:
        return await session.scalar(select(ApiToken).where(
            ApiToken.user_id == user_id, ApiToken.name == name, ApiToken.revoked_at.is_(None)))

    async def owners(self, session: AsyncSession) -> list[User]:
        return list(await session.scalars(select(User).where(User.is_owner.is_(True)).limit(2)))

    async def list(self, session: AsyncSession, user_id: uuid.UUID) -> list[ApiToken]:
        rows = await session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)
                                     .order_by(ApiToken.created_at, ApiToken.name))
        return list(rows)

    async def user_for_hash(self, session: AsyncSession, token_hash: str, now: datetime) -> User | None:
        """The user of a live token with this hash; stamps its last use."""
        token_id = await session.scalar(
            update(ApiToken).where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None))
            .values(last_used_at=now).returning(ApiToken.user_id))
        return await session.get(User, token_id) if token_id is not None else None

    async def revoke(self, session: AsyncSession, user_id: uuid.UUID, name_or_prefix: str,
                     now: datetime) -> list[ApiToken]:
        rows = await session.scalars(
            update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None),
                                   (ApiToken.name == name_or_prefix) | (ApiToken.prefix == name_or_prefix))
            .values(revoked_at=now).returning(ApiToken))
        return list(rows)
