"""Who may embed the chat: requests to /chat that come from another site's page (their Origin header)
are refused unless FOLIO_ALLOWED_ORIGINS lists that site, whatever CORS Chainlit itself allows; pages
under /chat may be framed only by folio itself and those sites (CSP frame-ancestors).

Pure ASGI, only under /chat, so the REST hot path pays nothing."""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REFUSED = b'{"error":{"code":"origin_not_allowed","message":"this site may not embed the chat"}}'


def own_origin(scope: Scope, headers: Headers) -> str:
    scheme = {"ws": "http", "wss": "https"}.get(scope.get("scheme", "http"), scope.get("scheme", "http"))
    return f"{scheme}://{headers.get('host', '')}".lower()


class EmbedOriginGuard:
    def __init__(self, app: ASGIApp, allowed: tuple[str, ...], prefix: str = "/chat"):
        self.app = app
        self.allowed = frozenset(allowed)
        self.prefix = prefix
        self.frame_ancestors = " ".join(["'self'", *allowed])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = (headers.get("origin") or "").lower()
        if origin and origin not in self.allowed and origin != own_origin(scope, headers):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            else:
                await send({"type": "http.response.start", "status": 403, "headers": [
                    (b"content-type", b"application/json"), (b"content-length", str(len(REFUSED)).encode()),
                    (b"vary", b"Origin")]})
                await send({"type": "http.response.body", "body": REFUSED})
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                if "content-security-policy" not in out:
                    out["Content-Security-Policy"] = f"frame-ancestors {self.frame_ancestors}"
                out.append("Vary", "Origin")
            await send(message)

        await self.app(scope, receive, send_with_policy)
