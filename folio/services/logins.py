"""Password logins for every door (REST, the chat, any later one), throttled in PostgreSQL.

Two throttle keys per try: the email with the client address, and the email from everywhere. Each
try is counted *before* the password is checked, in a transaction that locks both keys' rows, so a
parallel burst cannot slip past the count, and every process shares it. Past a number of free
failures each further try must wait, the wait doubling up to a ceiling: for one address the ceiling is
long (15 min); for the email from everywhere it stays short (60 s). A successful login clears both keys.

Known devices: a successful login hands the browser or client a signed known-device token (the
`folio_device` cookie, HMAC of the email and a random device id). A try that presents a valid one for
its email is counted per device instead, and the per-email tier never applies to it: strangers spraying
the owner's email from many addresses slow down only unknown devices, never the owner's own browser.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from data.db import Database
from data.models import User
from data.repositories import LoginThrottleRepository
from folio.errors import RateLimited
from folio.services.users import UserService

PURGE_EVERY_S = 300.0
DEVICE_COOKIE = "folio_device"
DEVICE_TTL_S = 180 * 24 * 3600  # a known device stays known this long after its last login
_MAX_DEVICE_TOKEN = 200


@dataclass(frozen=True)
class Tier:
    free: int  # counted tries before any wait
    base_delay: float  # the first wait, seconds; doubles with each further try
    max_delay: float

    def delay(self, attempts: int) -> float:
        if attempts < self.free:
            return 0.0
        return min(self.base_delay * 2 ** min(attempts - self.free, 30), self.max_delay)


@dataclass(frozen=True)
class LoginPolicy:
    per_address: Tier = field(default_factory=lambda: Tier(5, 60.0, 900.0))
    per_email: Tier = field(default_factory=lambda: Tier(20, 2.0, 60.0))
    forget_after_s: float = 3600.0  # counts restart after this long without a try

    @classmethod
    def from_settings(cls, settings) -> LoginPolicy:
        return cls(per_address=Tier(settings.login_free_failures, min(60.0, settings.login_max_delay),
                                    float(settings.login_max_delay)),
                   per_email=Tier(settings.login_email_free_failures, min(2.0, settings.login_email_max_delay),
                                  float(settings.login_email_max_delay)))


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()  # no emails or addresses stored


class LoginService:
    def __init__(self, db: Database, users: UserService, policy: LoginPolicy | None = None,
                 clock: Callable[[], float] = time.time, secret_key: str | None = None):
        self.db = db
        self.users = users
        self.policy = policy or LoginPolicy()
        self.clock = clock
        self.repo = LoginThrottleRepository()
        self._purged_at = 0.0
        # Signs known-device tokens; without a key no device is ever known (every try is an unknown device).
        self._device_key = (hmac.new(secret_key.encode(), b"folio known device", hashlib.sha256).digest()
                            if secret_key else None)

    def _keys(self, email: str, client: str, device: str | None = None) -> dict[str, Tier]:
        email = email.strip().lower()
        if device is not None:  # a known device: its own tier, never the per-email one
            return {_key("device", email, device): self.policy.per_address}
        return {_key("address", email, client): self.policy.per_address,
                _key("email", email): self.policy.per_email}

    # ---- known devices ---------------------------------------------------------------------------
    def _device_mac(self, email: str, device_id: str, issued: int) -> str:
        assert self._device_key is not None
        message = "\x1f".join((email.strip().lower(), device_id, str(issued))).encode()
        return base64.urlsafe_b64encode(hmac.new(self._device_key, message, hashlib.sha256).digest()).decode()[:43]

    def device_token(self, email: str) -> str | None:
        """A new known-device token for this email (set as the DEVICE_COOKIE after a successful login)."""
        if self._device_key is None:
            return None
        device_id, issued = secrets.token_urlsafe(16), int(self.clock())
        return f"{device_id}.{issued}.{self._device_mac(email, device_id, issued)}"

    def known_device(self, email: str, token: str | None) -> str | None:
        """The device id of a valid, unexpired known-device token for this email; None otherwise."""
        if self._device_key is None or not token or len(token) > _MAX_DEVICE_TOKEN:
            return None
        parts = token.split(".")
        if len(parts) != 3 or not parts[1].isdigit():
            return None
        device_id, issued, mac = parts[0], int(parts[1]), parts[2]
        if not device_id or self.clock() - issued > DEVICE_TTL_S:
            return None
        if not hmac.compare_digest(mac, self._device_mac(email, device_id, issued)):
            return None
        return device_id

    async def authenticate(self, email: str, password: str, client: str, device: str | None = None) -> User | None:
        """The user for these credentials or None (one answer for every failure); RateLimited while
        this email (from this address, or from everywhere) must wait. `device`: the known-device token
        the client presented; a valid one for this email is throttled per device and exempt from the
        per-email tier."""
        keys = self._keys(email, client, self.known_device(email, device))
        await self._count_try(keys)
        user = await self.users.authenticate(email, password)
        if user is not None:
            async with self.db.unit_of_work() as session:
                await self.repo.clear(session, list(keys))
        return user

    async def _count_try(self, keys: dict[str, Tier]) -> None:
        now = self.clock()
        async with self.db.unit_of_work() as session:
            rows = await self.repo.lock(session, list(keys), now)
            wait = max(row.blocked_until - now for row in rows.values())
            if wait > 0:
                raise RateLimited("too many failed logins; try again later", retry_after=math.ceil(wait))
            for key, tier in keys.items():
                row = rows[key]
                attempts = 1 if now - row.last_at > self.policy.forget_after_s else row.attempts + 1
                delay = tier.delay(attempts)
                await self.repo.save(session, row, attempts=attempts, blocked_until=now + delay if delay else 0.0,
                                     last_at=now)
            if now - self._purged_at > PURGE_EVERY_S:
                self._purged_at = now
                await self.repo.purge(session, now - self.policy.forget_after_s)
