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

from chat.sessions import chat_claims
from folio.actor import Actor
from folio.errors import Unauthenticated
from folio.services import Services

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
    """The owner's chat user; its metadata (signed into the chat token) names this session: a fresh token
    id (`jti`, revoked by logout) and the account's token generation (moved on by a password change)."""
    return cl.User(identifier=user.email, display_name=user.email,
                   metadata={"role": "owner", "user_id": str(user.id), "provider": "credentials",
                             "generation": user.token_generation, "jti": uuid.uuid4().hex})


def wants_owner_login(headers: Mapping[str, str]) -> bool:
    return OWNER_LOGIN_MARK in headers.get("referer", "")


async def actor_of(user: cl.User | None, services: Services) -> Actor:
    """The owner's Actor only while this chat session stands: the account still exists and is the owner,
    the session was not logged out, and its sessions have not been ended since this one began (a password
    change or `folio create-owner --reset`); else a visitor. Checked again on every owner message and button."""
    metadata = (user.metadata or {}) if user is not None else {}
    if metadata.get("role") != "owner":
        return Actor()
    session = session_metadata(metadata)
    try:
        actor = await services.sessions.actor(session.get("user_id"), session.get("jti"),
                                              session.get("generation", 0))
    except Unauthenticated:
        return Actor()
    return actor if actor.is_owner else Actor()


def visitor_id_of(user: cl.User | None) -> str | None:
    metadata = (user.metadata or {}) if user is not None else {}
    return metadata.get("visitor_id")


def session_metadata(metadata: Mapping) -> Mapping:
    """What this chat session was signed in with (account, token id, generation). Chainlit replaces the
    user's metadata with what the latest login stored, so the session's own token (verified by Chainlit
    when the socket connected; its signature and expiry checked again here) is what tells one session
    from another. Without a chat context (tests calling actor_of directly): the user's metadata."""
    try:
        token = cl.context.session.token
    except Exception:  # no chat context
        return metadata
    if not token:
        return metadata
    claims = chat_claims(token)
    if claims is None or (claims.get("metadata") or {}).get("role") != "owner":
        return {}
    return claims["metadata"]
