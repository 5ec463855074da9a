"""The owner's login page without a false alarm.

Chainlit's login page signs in by header as soon as its config says header auth is on (that is how
visitors become guests silently). On the owner's page (/chat/login?owner=1) folio's header callback
declines on purpose, so the page used to greet the owner with "Unable to sign in" and an
"Unauthorized: credentialssignin" toast before anything was typed. This middleware answers that page's
config request with header auth off, so the page shows the password form only. Pure ASGI, only for
GET {chat}/auth/config from a page whose referer carries the owner mark.
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chat.identity import wants_owner_login


class OwnerLoginConfig:
    def __init__(self, app: ASGIApp, chat_path: str = "/chat"):
        self.app = app
        self.path = chat_path.rstrip("/") + "/auth/config"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != self.path
                or not wants_owner_login(Headers(scope=scope))):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body = b""

        async def capture(message: Message) -> None:
            nonlocal start, body
            if message["type"] == "http.response.start":
                start = message
                return
            body += message.get("body", b"")
            if message.get("more_body"):
                return
            if start is not None and start["status"] == 200:
                try:
                    config = json.loads(body)
                    config["headerAuth"] = False
                    body = json.dumps(config).encode()
                except (ValueError, TypeError):
                    pass
                MutableHeaders(scope=start)["content-length"] = str(len(body))
            if start is not None:
                await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)
