"""API tokens: named, revocable credentials the owner gives to an MCP client (Claude Desktop, an IDE
agent). A token is shown once; only its SHA-256 is stored. Presenting one acts as its account, checked
again on every use, so a revoked token or a lost owner flag takes effect at once."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from data.db import Database
from data.reach_models import ApiToken
from data.repositories.api_tokens import ApiTokenRepository
from data.repositories.users import UserRepository
from folio.actor import Actor
from folio.errors import Conflict, NotFound, Unauthenticated, ValidationFailed
from folio.services.users import actor_for

TOKEN_PREFIX = "folio_"
SHOWN_CHARS = 12  # of the token, in listings: "folio_AbC123"
MAX_NAME = 100


def is_api_token(token: str) -> bool:
    return token.startswith(TOKEN_PREFIX)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: str  # the secret: shown once
    record: ApiToken


class ApiTokenService:
    def __init__(self, db: Database):
        self.db = db
        self.repo = ApiTokenRepository()
        self.users = UserRepository()

    async def create(self, owner_email: str | None, name: str) -> NewToken:
        """A new token for the account with this email (the CLI runs on the server: no login needed)."""
        name = " ".join((name or "").split())
        if not name or len(name) > MAX_NAME or "\x00" in name:
            raise ValidationFailed(f"the token name must be 1 to {MAX_NAME} characters")
        async with self.db.unit_of_work() as session:
            user = await self._account(session, owner_email)
            if await self.repo.live_with_name(session, user.id, name):
                raise Conflict(f"a token named '{name}' already exists; revoke it first or pick another name")
            token = TOKEN_PREFIX + secrets.token_urlsafe(32)
            record = await self.repo.add(session, user.id, name, _hash(token), token[:SHOWN_CHARS])
        return NewToken(token, record)

    async def list(self, owner_email: str | None) -> list[ApiToken]:
        async with self.db.unit_of_work() as session:
            user = await self._account(session, owner_email)
            return await self.repo.list(session, user.id)

    async def revoke(self, owner_email: str | None, name_or_prefix: str) -> list[ApiToken]:
        async with self.db.unit_of_work() as session:
            user = await self._account(session, owner_email)
            revoked = await self.repo.revoke(session, user.id, name_or_prefix.strip(), datetime.now(UTC))
        if not revoked:
            raise NotFound(f"no live token named '{name_or_prefix}'")
        return revoked

    async def _account(self, session, email: str | None):
        """The account with this email, or the one owner account when no email is given."""
        if email:
            user = await self.users.get_by_email(session, email)
            if user is None:
                raise NotFound(f"no account with email {email}")
            return user
        owners = await self.repo.owners(session)
        if len(owners) != 1:
            raise ValidationFailed("say whose token it is with --email (there is not exactly one owner account)")
        return owners[0]

    async def actor_for_token(self, token: str) -> Actor:
        if not is_api_token(token) or len(token) > 200:
            raise Unauthenticated("invalid credentials")
        async with self.db.unit_of_work() as session:
            user = await self.repo.user_for_hash(session, _hash(token), datetime.now(UTC))
        if user is None:
            raise Unauthenticated("invalid or revoked API token")
        return actor_for(user)
