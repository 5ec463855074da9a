"""Logins: signed tokens (JWT, HS256) for REST, over the throttled password check every door shares.

Tokens carry the user id and the account's token generation; every verification reloads the user
and looks the token id up in the revocations, in one query, so a deleted account, a lost owner flag,
a logout on any process, or a password change (a new generation) takes effect at once everywhere.
Revocations live in PostgreSQL until the token would have expired anyway.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import jwt

from data.repositories import UserRepository
from folio.actor import Actor
from folio.errors import Unauthenticated
from folio.services.logins import LoginService
from folio.services.users import UserService, actor_for

ALGORITHM = "HS256"
ISSUER = "folio"
AUDIENCE = "folio-api"
TOKEN_TTL_S = 12 * 3600
BAD_CREDENTIALS = "wrong email or password"
ENDED = "the session has ended; log in again"


@dataclass(frozen=True)
class Login:
    token: str
    expires_in: int
    actor: Actor


class AuthService:
    def __init__(self, users: UserService, logins: LoginService, secret_key: str, *, ttl_s: int = TOKEN_TTL_S,
                 clock: Callable[[], float] = time.time):
        self.users = users
        self.logins = logins
        self._key = secret_key
        self.ttl_s = ttl_s
        self.clock = clock
        self.repo = UserRepository()

    async def login(self, email: str, password: str, client: str) -> Login:
        """A token for valid credentials; Unauthenticated (one message for every failure) or RateLimited."""
        user = await self.logins.authenticate(email, password, client)
        if user is None:
            raise Unauthenticated(BAD_CREDENTIALS)
        actor = actor_for(user)
        return Login(self.issue(actor, user.token_generation), self.ttl_s, actor)

    def issue(self, actor: Actor, generation: int = 0) -> str:
        if actor.user_id is None:
            raise Unauthenticated("only accounts get tokens")
        now = int(self.clock())
        claims = {"sub": str(actor.user_id), "iss": ISSUER, "aud": AUDIENCE, "iat": now,
                  "exp": now + self.ttl_s, "jti": uuid.uuid4().hex, "gen": generation}
        return jwt.encode(claims, self._key, algorithm=ALGORITHM)

    def _claims(self, token: str) -> dict:
        try:
            claims = jwt.decode(token, self._key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                                options={"require": ["sub", "exp", "jti"]})
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("the session has expired; log in again") from None
        except jwt.PyJWTError:
            raise Unauthenticated("invalid credentials") from None
        if not isinstance(claims["jti"], str) or len(claims["jti"]) > 64:
            raise Unauthenticated("invalid credentials")
        return claims

    def signed(self, token: str) -> bool:
        """Whether the token is one of ours and unexpired (signature only: no database)."""
        try:
            self._claims(token)
        except Unauthenticated:
            return False
        return True

    async def actor_for_token(self, token: str) -> Actor:
        claims = self._claims(token)
        try:
            user_id = uuid.UUID(claims["sub"])
        except (ValueError, TypeError, AttributeError):
            raise Unauthenticated("invalid credentials") from None
        async with self.users.db.read() as session:
            user, revoked = await self.repo.get_unless_revoked(session, user_id, claims["jti"])
        if revoked:
            raise Unauthenticated(ENDED)
        if user is None:
            raise Unauthenticated("the account no longer exists")
        if claims.get("gen", 0) != user.token_generation:
            raise Unauthenticated(ENDED)
        return actor_for(user)

    async def revoke(self, token: str) -> None:
        """End this token's session (logout) on every process. Unknown or invalid tokens are ignored."""
        try:
            claims = self._claims(token)
        except Unauthenticated:
            return
        async with self.users.db.unit_of_work() as session:
            await self.repo.revoke(session, claims["jti"], float(claims["exp"]))
            await self.repo.purge_revoked(session, self.clock())  # revocations of expired tokens
