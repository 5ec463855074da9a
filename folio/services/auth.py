"""Logins: signed tokens (JWT, HS256) for REST, over the throttled password check every door shares.

Tokens carry the user id and the account's token generation; every verification reloads the user
and looks the token id up in the revocations, in one query, so a deleted account, a lost owner flag,
a logout on any process, or a password change (a new generation) takes effect at once everywhere.
Revocations live in PostgreSQL until the token would have expired anyway. `Sessions` is that check
and that revocation for any session with an account, a token id and a generation: REST tokens here, the
chat's own tokens (chat/sessions.py) alike.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import jwt

from data.db import Database
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
    device: str | None = None  # a known-device token for the client to keep (logins.DEVICE_COOKIE)


class Sessions:
    """Whether a session (its account, token id and token generation) still stands, and ending one."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.time):
        self.db = db
        self.clock = clock
        self.repo = UserRepository()

    async def actor(self, user_id: object, jti: object, generation: object) -> Actor:
        """The session's account as an Actor; Unauthenticated when it was logged out, the account is gone,
        or its sessions were ended since (a password change, `folio create-owner --reset`)."""
        try:
            user_id = uuid.UUID(str(user_id))
        except (ValueError, TypeError):
            raise Unauthenticated("invalid credentials") from None
        if not isinstance(jti, str) or not jti or len(jti) > 64:
            raise Unauthenticated("invalid credentials")
        async with self.db.read() as session:
            user, revoked = await self.repo.get_unless_revoked(session, user_id, jti)
        if revoked:
            raise Unauthenticated(ENDED)
        if user is None:
            raise Unauthenticated("the account no longer exists")
        if generation != user.token_generation:
            raise Unauthenticated(ENDED)
        return actor_for(user)

    async def end(self, jti: object, expires_at: float) -> None:
        """Revoke this token id on every process until `expires_at` (when the token dies anyway)."""
        if not isinstance(jti, str) or not jti or len(jti) > 64:
            return
        async with self.db.unit_of_work() as session:
            await self.repo.revoke(session, jti, float(expires_at))
            await self.repo.purge_revoked(session, self.clock())  # revocations of expired tokens


class AuthService:
    def __init__(self, users: UserService, logins: LoginService, secret_key: str, *, ttl_s: int = TOKEN_TTL_S,
                 clock: Callable[[], float] = time.time):
        self.users = users
        self.logins = logins
        self._key = secret_key
        self.ttl_s = ttl_s
        self.clock = clock
        self.sessions = Sessions(users.db, clock)

    async def login(self, email: str, password: str, client: str, device: str | None = None) -> Login:
        """A token (and a known-device token) for valid credentials; Unauthenticated (one message for
        every failure) or RateLimited. `device`: the known-device token the client presented."""
        user = await self.logins.authenticate(email, password, client, device)
        if user is None:
            raise Unauthenticated(BAD_CREDENTIALS)
        actor = actor_for(user)
        return Login(self.issue(actor, user.token_generation), self.ttl_s, actor, self.logins.device_token(email))

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
        return await self.sessions.actor(claims["sub"], claims["jti"], claims.get("gen", 0))

    async def revoke(self, token: str) -> None:
        """End this token's session (logout) on every process. Unknown or invalid tokens are ignored."""
        try:
            claims = self._claims(token)
        except Unauthenticated:
            return
        await self.sessions.end(claims["jti"], float(claims["exp"]))
