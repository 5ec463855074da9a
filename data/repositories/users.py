"""All SQL for users and their sessions' revocations."""

from __future__ import annotations

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import RevokedToken, User


class UserRepository:
    async def get_by_email(self, session: AsyncSession, email: str) -> User | None:
        return await session.scalar(select(User).where(func.lower(User.email) == email.lower()))

    async def get(self, session: AsyncSession, user_id) -> User | None:
        return await session.get(User, user_id)

    async def owner_exists(self, session: AsyncSession) -> bool:
        return bool(await session.scalar(select(exists().where(User.is_owner.is_(True)))))

    async def get_unless_revoked(self, session: AsyncSession, user_id, jti: str) -> tuple[User | None, bool]:
        """The user and whether the token id is revoked, in one round trip."""
        revoked = exists().where(RevokedToken.jti == jti)
        row = (await session.execute(select(User, revoked.label("revoked")).where(User.id == user_id))).first()
        if row is None:
            return None, bool(await session.scalar(select(revoked)))
        return row[0], bool(row[1])

    async def add(self, session: AsyncSession, email: str, password_hash: str, is_owner: bool) -> User:
        user = User(email=email, password_hash=password_hash, is_owner=is_owner)
        session.add(user)
        await session.flush()
        return user

    async def set_password(self, session: AsyncSession, user: User, password_hash: str) -> None:
        user.password_hash = password_hash
        await session.flush()

    async def next_token_generation(self, session: AsyncSession, user: User) -> int:
        """Raise the account's token generation (ending every token issued before); returns the new one."""
        generation = await session.scalar(update(User).where(User.id == user.id)
                                          .values(token_generation=User.token_generation + 1)
                                          .returning(User.token_generation))
        user.token_generation = int(generation)
        return user.token_generation

    async def revoke(self, session: AsyncSession, jti: str, expires_at: float) -> None:
        await session.execute(insert(RevokedToken).values(jti=jti, expires_at=expires_at)
                              .on_conflict_do_nothing(index_elements=[RevokedToken.jti]))

    async def purge_revoked(self, session: AsyncSession, now: float) -> int:
        result = await session.execute(delete(RevokedToken).where(RevokedToken.expires_at < now))
        return result.rowcount or 0
