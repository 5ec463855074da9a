"""Owner chat sessions that end: each owner chat token carries a token id (`jti`, chat/identity.py
owner_user) and the account's token generation. A session ends when its token id is revoked (logout:
`POST /chat/logout`, see `end_session`) or the generation moves on (a password change, `folio
create-owner --reset`); it is then refused

- on Chainlit's own HTTP routes (the owner's thread history, elements, actions, /user): `ended_owner_session`,
  one of the app's request refusals, since Chainlit checks only its JWT's signature;
- at socket connect, a reconnect included (`guard_socket_connect`), so a cached owner session is
  never restored for an ended token;
- on every owner message and button (chat/handlers.py re-checks the session through chat.identity.actor_of).

Chainlit's `POST /chat/auth/jwt` (re-signs any valid Chainlit token with a fresh expiry; folio never
uses it) is refused outright. The same socket guard caps socket connects per client address
(FOLIO_CHAT_ADDRESS_SESSIONS), as guest sign-ins are capped in chat/handlers.py.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import jwt
from starlette.requests import Request, cookie_parser
from starlette.responses import JSONResponse
from starlette.types import Scope

from folio.errors import RateLimited, Unauthenticated

log = logging.getLogger(__name__)

GUARDED = ("/chat/project/", "/chat/user")
JWT_DOOR = "/chat/auth/jwt"
ENDED = "the session has ended; log in again"


def _ended() -> JSONResponse:
    return JSONResponse({"detail": ENDED}, status_code=401)


def chat_claims(token: str | None) -> dict[str, Any] | None:
    """The claims of a chat token Chainlit signed (None when absent or not valid)."""
    secret = os.environ.get("CHAINLIT_AUTH_SECRET")
    if not token or not secret:
        return None
    try:
        return jwt.decode(token, secret, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None


async def owner_session_ended(services: Any, claims: dict[str, Any] | None) -> bool:
    """Whether these claims are an owner's chat session that no longer stands (logged out, password
    changed, reset, account gone or no longer the owner). Visitors' sessions never end this way."""
    metadata = (claims or {}).get("metadata") or {}
    if metadata.get("role") != "owner":
        return False
    try:
        actor = await services.sessions.actor(metadata.get("user_id"), metadata.get("jti"),
                                              metadata.get("generation", 0))
    except Unauthenticated:
        return True
    return not actor.is_owner


async def ended_owner_session(scope: Scope) -> JSONResponse | None:
    """A ready answer for Chainlit's routes that an ended owner session must not reach (401), and for
    /chat/auth/jwt (404: never offered)."""
    path = scope["path"]
    if path == JWT_DOOR:
        return JSONResponse({"detail": "Not Found"}, status_code=404)
    if not path.startswith(GUARDED):
        return None
    from chainlit.auth.cookie import get_token_from_cookies

    services = getattr(getattr(scope.get("app"), "state", None), "services", None)
    claims = chat_claims(get_token_from_cookies(Request(scope).cookies))
    if services is None or claims is None:
        return None  # Chainlit refuses a bad token itself
    return _ended() if await owner_session_ended(services, claims) else None


def _environ_token(environ: dict) -> str | None:
    from chainlit.auth.cookie import get_token_from_cookies

    cookie = environ.get("HTTP_COOKIE")
    return get_token_from_cookies(cookie_parser(cookie)) if cookie else None


async def connect_refusal(environ: dict) -> str | None:
    """Why this socket.io connection is refused (None: let Chainlit connect it)."""
    from chat import runtime as chat_runtime
    from folio.clients import scope_client, trusted

    try:
        rt = chat_runtime.current()
    except RuntimeError:
        return None
    scope = environ.get("asgi.scope") or {}
    address = scope_client(scope, trusted(rt.settings.trusted_proxies)) if scope else None
    try:
        await rt.limits.session(address)
    except RateLimited as exc:
        return f"too many connections; try again in {exc.retry_after} seconds"
    if await owner_session_ended(rt.services, chat_claims(_environ_token(environ))):
        return ENDED
    return None


def guard_socket_connect(sio: Any) -> None:
    """Put `connect_refusal` in front of Chainlit's socket.io connect handler (once per process)."""
    original = sio.handlers["/"]["connect"]
    if getattr(original, "folio_guarded", False):
        return

    async def connect(sid, environ, auth=None):
        reason = await connect_refusal(environ)
        if reason is not None:
            log.info("chat socket refused: %s", reason)
            raise ConnectionRefusedError(reason)
        return await original(sid, environ, auth)

    connect.folio_guarded = True
    sio.handlers["/"]["connect"] = connect


async def end_session(services: Any, request: Request) -> None:
    """Chainlit's logout (POST /chat/logout) only deletes the cookie: also revoke the token's id, so the
    token (copied, or in another tab's socket) is refused everywhere from now on."""
    from chainlit.auth.cookie import get_token_from_cookies

    claims = chat_claims(get_token_from_cookies(request.cookies))
    metadata = (claims or {}).get("metadata") or {}
    if claims is not None and metadata.get("jti") and "exp" in claims:
        await services.sessions.end(metadata["jti"], float(claims["exp"]))
