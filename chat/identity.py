"""Who is chatting. Visitors are signed in silently as guests (no login wall), keyed by a stable
visitor id kept in a cookie; the owner logs in with email and password (the users table REST uses).
The role comes only from these: a chat message cannot change it."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Mapping
from http.cookies import CookieError, SimpleCookie

import chainlit as cl
import jwt

from folio.actor import Actor
from folio.services import Services
from folio.services.users import actor_for

VISITOR_COOKIE = "folio_visitor"
OWNER_LOGIN_MARK = "owner=1"  # /chat/login?owner=1 shows the login form instead of the guest sign-in
_VISITOR_ID = re.compile(r"^[a-f0-9]{32}$")


def new_visitor_id() -> str:
    return uuid.uuid4().hex


def visitor_id_from(headers: Mapping[str, str]) -> str:
    """The visitor id cookie, or (a client without cookies) a hash of its address and user agent."""
    try:
        cookie = SimpleCookie(headers.get("cookie", ""))
    except CookieError:
        cookie = SimpleCookie()
    if VISITOR_COOKIE in cookie and _VISITOR_ID.match(cookie[VISITOR_COOKIE].value):
        return cookie[VISITOR_COOKIE].value
    basis = "|".join(headers.get(h, "") for h in ("x-forwarded-for", "x-real-ip", "user-agent"))
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def visitor_user(visitor_id: str) -> cl.User:
    return cl.User(identifier=f"visitor-{visitor_id}", display_name="Visitor",
                   metadata={"role": "visitor", "visitor_id": visitor_id, "provider": "guest"})


def owner_user(user) -> cl.User:
    return cl.User(identifier=user.email, display_name=user.email,
                   metadata={"role": "owner", "user_id": str(user.id), "provider": "credentials",
                             "generation": user.token_generation})


def wants_owner_login(headers: Mapping[str, str]) -> bool:
    return OWNER_LOGIN_MARK in headers.get("referer", "")


async def actor_of(user: cl.User | None, services: Services) -> Actor:
    """The owner's Actor only while the account still exists, is the owner, and has not ended its
    sessions since this one began (a password change or `folio create-owner --reset`); else a visitor."""
    metadata = (user.metadata or {}) if user is not None else {}
    if metadata.get("role") != "owner":
        return Actor()
    try:
        account = await services.users.get(uuid.UUID(str(metadata.get("user_id"))))
    except ValueError:
        return Actor()
    if account is None or not account.is_owner or session_generation(metadata) != account.token_generation:
        return Actor()
    return actor_for(account)


def visitor_id_of(user: cl.User | None) -> str | None:
    metadata = (user.metadata or {}) if user is not None else {}
    return metadata.get("visitor_id")


def session_generation(metadata: Mapping) -> int:
    """The token generation this chat session was signed in with. Chainlit replaces the user's metadata
    with what the latest login stored, so the session's own token (verified by Chainlit when the socket
    connected) is what tells an old session from a new one."""
    try:
        token = cl.context.session.token
    except Exception:  # no chat context (tests calling actor_of directly)
        token = None
    if token:
        try:
            claims = jwt.decode(token, options={"verify_signature": False})
            return int((claims.get("metadata") or {}).get("generation", 0))
        except (jwt.PyJWTError, TypeError, ValueError):
            return -1
    return int(metadata.get("generation", 0))
