"""Ended owner chat sessions are refused on Chainlit's own HTTP routes too (the owner's thread history,
elements, /user): Chainlit checks only its JWT's signature, so a session that a password change or
`folio create-owner --reset` ended would otherwise keep reading the history until the JWT expires.
The socket side is checked when a conversation starts (chat.identity.actor_of)."""

from __future__ import annotations

import os
import uuid

import jwt
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Scope

GUARDED = ("/chat/project/", "/chat/user")


def _ended() -> JSONResponse:
    return JSONResponse({"detail": "the session has ended; log in again"}, status_code=401)


async def ended_owner_session(scope: Scope) -> JSONResponse | None:
    """A ready 401 when this request carries an owner's chat session that has been ended."""
    if not scope["path"].startswith(GUARDED):
        return None
    from chainlit.auth.cookie import get_token_from_cookies

    token = get_token_from_cookies(Request(scope).cookies)
    secret = os.environ.get("CHAINLIT_AUTH_SECRET")
    services = getattr(getattr(scope.get("app"), "state", None), "services", None)
    if not token or not secret or services is None:
        return None
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None  # Chainlit refuses it itself
    metadata = claims.get("metadata") or {}
    if metadata.get("role") != "owner":
        return None
    try:
        account = await services.users.get(uuid.UUID(str(metadata.get("user_id"))))
    except ValueError:
        return _ended()
    if account is None or not account.is_owner or metadata.get("generation", 0) != account.token_generation:
        return _ended()
    return None
