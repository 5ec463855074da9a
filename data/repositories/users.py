"""All SQL for users."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import User


class UserRepository:
    async def get_by_email(self, session: AsyncSession, email: str) -> User | None:
        return await session.scalar(select(User).where(func.lower(User.email) == email.lower()))

    async def get(self, session: AsyncSession, user_id) -> User | None:
        return await session.get(User, user_id)

    async def add(self, session: AsyncSession, email: str, password_hash: str, is_owner: bool) -> User:
        user = User(email=email, password_hash=password_hash, is_owner=is_owner)
        session.add(user)
        await session.flush()
        return user

    async def set_password(self, session: AsyncSession, user: User, password_hash: str) -> None:
        user.password_hash = password_hash
        await session.flush()
