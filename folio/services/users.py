"""Accounts: the owner's login, bcrypt-hashed."""

from __future__ import annotations

import asyncio
from functools import lru_cache

import bcrypt

from data.db import Database
from data.models import User
from data.repositories import UserRepository
from folio.actor import Actor
from folio.errors import ValidationFailed

BCRYPT_COST = 12
MAX_PASSWORD_BYTES = 72  # bcrypt's own limit; longer passwords are refused, never truncated
MIN_PASSWORD_CHARS = 8


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Compared against when the email is unknown, at the cost of real hashes, so an unknown email and a
    wrong password take the same time (made once, on the first unknown email)."""
    return bcrypt.hashpw(b"folio-dummy-password", bcrypt.gensalt(BCRYPT_COST)).decode()


def hash_password(password: str) -> str:
    raw = password.encode()
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValidationFailed(f"password must be at least {MIN_PASSWORD_CHARS} characters")
    if len(raw) > MAX_PASSWORD_BYTES:
        raise ValidationFailed(f"password must be at most {MAX_PASSWORD_BYTES} bytes")
    return bcrypt.hashpw(raw, bcrypt.gensalt(BCRYPT_COST)).decode()


def verify_password(password: str, password_hash: str) -> bool:
    raw = password.encode()
    if len(raw) > MAX_PASSWORD_BYTES:
        return False
    return bcrypt.checkpw(raw, password_hash.encode())


def actor_for(user: User | None) -> Actor:
    if user is None:
        return Actor()
    return Actor(user_id=user.id, email=user.email, is_owner=user.is_owner)


class UserService:
    def __init__(self, db: Database):
        self.db = db
        self.repo = UserRepository()

    async def has_owner(self) -> bool:
        async with self.db.read() as session:
            return await self.repo.owner_exists(session)

    async def ensure_owner(self, email: str, password: str) -> tuple[User, bool]:
        """Create the owner account unless that email exists; returns (user, created)."""
        email = email.strip()
        if "@" not in email:
            raise ValidationFailed("owner email must be an email address")
        async with self.db.read() as session:
            existing = await self.repo.get_by_email(session, email)
        if existing is not None:
            return existing, False
        password_hash = await asyncio.to_thread(hash_password, password)  # bcrypt: ~0.25 s of CPU
        async with self.db.unit_of_work() as session:
            existing = await self.repo.get_by_email(session, email)
            if existing is not None:
                return existing, False
            user = await self.repo.add(session, email, password_hash, is_owner=True)
        return user, True

    async def set_password(self, email: str, password: str) -> bool:
        """Change the password and end every session of the account (REST tokens and the chat's)."""
        password_hash = await asyncio.to_thread(hash_password, password)
        async with self.db.unit_of_work() as session:
            user = await self.repo.get_by_email(session, email)
            if user is None:
                return False
            await self.repo.set_password(session, user, password_hash)
            await self.repo.next_token_generation(session, user)
        return True

    async def authenticate(self, email: str, password: str) -> User | None:
        """The user for these credentials, or None; unknown email and wrong password look alike (and take
        as long). bcrypt runs in a worker thread: the event loop keeps serving meanwhile."""
        user = None
        if "\x00" not in email:  # PostgreSQL text cannot hold NUL: such an email matches nobody
            async with self.db.read() as session:
                user = await self.repo.get_by_email(session, email)
        if user is None:
            await asyncio.to_thread(verify_password, password, _dummy_hash())
            return None
        return user if await asyncio.to_thread(verify_password, password, user.password_hash) else None

    async def get(self, user_id) -> User | None:
        async with self.db.read() as session:
            return await self.repo.get(session, user_id)
