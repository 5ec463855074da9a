"""Who is calling /mcp: decided from the HTTP request's bearer credentials, never from tool arguments.

No Authorization header: the anonymous visitor. `Bearer <token>` from /api/v1/auth/login, or an API
token from `folio token create`: that account. Bad credentials are refused (401) before the MCP session
sees the request. The actor rides on the request (scope state) to every tool, resource and prompt."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from folio.actor import VISITOR, Actor
from folio.clients import DEFAULT_TRUSTED, scope_client, trusted
from folio.errors import Unauthenticated
from folio.services.api_tokens import is_api_token
from folio.services.feeds import SiteLinks, links_for
from folio.services.inbox import Origin
from folio.services.ratelimit import ChatRateLimit

ACTOR_KEY = "folio_actor"


async def actor_for_header(state: Any, header: str | None) -> Actor:
    if not header:
        return VISITOR
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("use Authorization: Bearer <token>")
    if is_api_token(token):
        return await state.api_tokens.actor_for_token(token)
    return await state.auth.actor_for_token(token)


class Authenticated:
    """ASGI wrapper around the MCP transport: resolve the caller once per HTTP request."""

    def __init__(self, app: ASGIApp, state: Any):
        self.app = app
        self.state = state  # the FastAPI app's state: auth, api_tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            actor = await actor_for_header(self.state, Request(scope).headers.get("authorization"))
        except Unauthenticated as exc:
            body = orjson.dumps({"error": {"code": exc.code, "message": exc.message}})
            await send({"type": "http.response.start", "status": 401,
                        "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        scope.setdefault("state", {})[ACTOR_KEY] = actor
        await self.app(scope, receive, send)


def request_of(ctx: Any) -> Request | None:
    """The HTTP request behind an MCP call (None outside HTTP, e.g. in-memory)."""
    try:
        return ctx.request_context.request
    except (AttributeError, LookupError, ValueError):
        return None


def actor_of(ctx: Any) -> Actor:
    request = request_of(ctx)
    if request is None:
        return VISITOR
    return request.scope.get("state", {}).get(ACTOR_KEY, VISITOR)


def client_ip(ctx: Any) -> str | None:
    """The caller's address as REST and the chat see it (X-Forwarded-For only from trusted proxies)."""
    request = request_of(ctx)
    if request is None:
        return None
    settings = getattr(request.app.state, "settings", None)
    return scope_client(request.scope, trusted(settings.trusted_proxies if settings else DEFAULT_TRUSTED))


def origin_of(ctx: Any) -> Origin:
    """Stamped on what anonymous MCP callers leave in the inbox (and counted per caller there)."""
    ip = client_ip(ctx)
    return Origin(thread_id=None, visitor_id=f"mcp:{ip}" if ip else "mcp", address=ip)


class McpRateLimit:
    """Anonymous calls share the visitor chat's budget per IP address and window; the owner is not limited."""

    def __init__(self, app_state: Any, per_ip: int, window: int):
        self.app_state, self.per_ip, self.window = app_state, per_ip, window

    async def check(self, ctx: Any) -> None:
        if actor_of(ctx).is_owner:
            return
        # The limiter lives in the services the app's lifespan opens (shared through PostgreSQL).
        limit = ChatRateLimit(self.app_state.services.limiter, per_visitor=self.per_ip, per_ip=self.per_ip,
                              window=self.window)
        await limit.check(None, client_ip(ctx) or "unknown")


def links_of(ctx: Any, settings: Any) -> SiteLinks:
    """Item page links, as in the feeds: the owner's site, else folio's own address."""
    request = request_of(ctx)
    base = str(request.base_url) if request is not None else "http://127.0.0.1"
    return links_for(settings.site_url, settings.site_path_pattern, base)
