"""Logins: signed tokens (JWT, HS256) and throttling of repeated failures.

Tokens carry the user id; every verification reloads the user, so a deleted account or a lost
owner flag takes effect at once. Logging out revokes the token's id until it would have expired.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import jwt

from folio.actor import Actor
from folio.errors import RateLimited, Unauthenticated
from folio.services.users import UserService, actor_for

ALGORITHM = "HS256"
ISSUER = "folio"
AUDIENCE = "folio-api"
TOKEN_TTL_S = 12 * 3600
# Throttling: this many failures for one email from one address within the window lock it out
# until the oldest failure leaves the window.
MAX_FAILURES = 5
FAILURE_WINDOW_S = 15 * 60
BAD_CREDENTIALS = "wrong email or password"


@dataclass(frozen=True)
class Login:
    token: str
    expires_in: int
    actor: Actor


class LoginThrottle:
    """Failed logins per (email, client address), in memory (one process serves folio)."""

    def __init__(self, max_failures: int = MAX_FAILURES, window_s: int = FAILURE_WINDOW_S,
                 clock: Callable[[], float] = time.monotonic):
        self.max_failures = max_failures
        self.window_s = window_s
        self.clock = clock
        self._failures: dict[tuple[str, str], list[float]] = {}

    def _recent(self, key: tuple[str, str]) -> list[float]:
        now = self.clock()
        recent = [t for t in self._failures.get(key, []) if now - t < self.window_s]
        if recent:
            self._failures[key] = recent
        else:
            self._failures.pop(key, None)
        return recent

    def check(self, email: str, client: str) -> None:
        recent = self._recent((email.lower(), client))
        if len(recent) >= self.max_failures:
            retry_after = max(1, int(self.window_s - (self.clock() - recent[0])) + 1)
            raise RateLimited("too many failed logins; try again later", retry_after=retry_after)

    def failed(self, email: str, client: str) -> None:
        key = (email.lower(), client)
        self._recent(key)
        self._failures.setdefault(key, []).append(self.clock())
        if len(self._failures) > 10_000:  # bound memory under a spray of addresses
            for stale in [k for k in list(self._failures) if not self._recent(k)]:
                self._failures.pop(stale, None)

    def succeeded(self, email: str, client: str) -> None:
        self._failures.pop((email.lower(), client), None)


class AuthService:
    def __init__(self, users: UserService, secret_key: str, *, ttl_s: int = TOKEN_TTL_S,
                 throttle: LoginThrottle | None = None, clock: Callable[[], float] = time.time):
        self.users = users
        self._key = secret_key
        self.ttl_s = ttl_s
        self.throttle = throttle or LoginThrottle()
        self.clock = clock
        self._revoked: dict[str, float] = {}  # token id -> its expiry

    async def login(self, email: str, password: str, client: str) -> Login:
        """A token for valid credentials; Unauthenticated (one message for every failure) or RateLimited."""
        self.throttle.check(email, client)
        user = await self.users.authenticate(email, password)
        if user is None:
            self.throttle.failed(email, client)
            raise Unauthenticated(BAD_CREDENTIALS)
        self.throttle.succeeded(email, client)
        actor = actor_for(user)
        return Login(self.issue(actor), self.ttl_s, actor)

    def issue(self, actor: Actor) -> str:
        if actor.user_id is None:
            raise Unauthenticated("only accounts get tokens")
        now = int(self.clock())
        claims = {"sub": str(actor.user_id), "iss": ISSUER, "aud": AUDIENCE, "iat": now,
                  "exp": now + self.ttl_s, "jti": uuid.uuid4().hex}
        return jwt.encode(claims, self._key, algorithm=ALGORITHM)

    def _claims(self, token: str) -> dict:
        try:
            claims = jwt.decode(token, self._key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                                options={"require": ["sub", "exp", "jti"]})
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("the session has expired; log in again") from None
        except jwt.PyJWTError:
            raise Unauthenticated("invalid credentials") from None
        if claims["jti"] in self._revoked:
            raise Unauthenticated("the session has ended; log in again")
        return claims

    async def actor_for_token(self, token: str) -> Actor:
        claims = self._claims(token)
        try:
            user_id = uuid.UUID(claims["sub"])
        except (ValueError, TypeError):
            raise Unauthenticated("invalid credentials") from None
        user = await self.users.get(user_id)
        if user is None:
            raise Unauthenticated("the account no longer exists")
        return actor_for(user)

    def revoke(self, token: str) -> None:
        """End this token's session (logout). Unknown or invalid tokens are ignored."""
        try:
            claims = self._claims(token)
        except Unauthenticated:
            return
        now = self.clock()
        self._revoked = {jti: exp for jti, exp in self._revoked.items() if exp > now}
        self._revoked[claims["jti"]] = float(claims["exp"])
