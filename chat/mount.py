"""The chat, mounted into the FastAPI app at /chat: `mount_chat` is the one name api/ imports from chat/.

Measured Chainlit facts this follows: `import chainlit` reads `.chainlit/` and writes `.files/` in
CHAINLIT_APP_ROOT (folio's files laid out under FOLIO_DATA_DIR by chat/app_root.py; the chat refuses to
start when Chainlit's effective settings differ from folio's);
any auth callback needs CHAINLIT_AUTH_SECRET (derived from folio's secret key); Chainlit's server is
one per process, so it is mounted once and later apps reuse it; `@cl.on_app_startup` never runs when
mounted, so the app's lifespan opens what the chat needs (the composition root, launch/composition.py,
opens the chat runtime).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chat.app_root import check_effective_config, use_app_root
from chat.embed import EmbedOriginGuard
from chat.guard import ChatGuardMiddleware
from chat.sessions import ended_owner_session
from chat.widget import router as widget_router
from folio.settings import Settings

log = logging.getLogger(__name__)

CHAT_PATH = "/chat"
CHAT_TARGET = Path(__file__).resolve().parent / "chainlit_app.py"
VISITOR_COOKIE_AGE = 365 * 24 * 3600
_mounted = False


def chainlit_secret(settings: Settings) -> str:
    return hmac.new(settings.resolved_secret_key().encode(), b"folio chainlit auth", hashlib.sha256).hexdigest()


def mount_chat(app: FastAPI, settings: Settings,
               refusals: list[Callable[[Scope], Awaitable[Response | None]]] | None = None) -> None:
    """Mount the Chainlit app at /chat, redirect / to it, keep a visitor id cookie, offer /login. The
    refusal of ended owner sessions on Chainlit's own routes joins `refusals` (the app's request
    middleware checks them, so the 401 carries the request id)."""
    global _mounted
    use_app_root(settings.data_path)  # before Chainlit's first import in this process
    if refusals is not None:
        refusals.append(ended_owner_session)
    os.environ["CHAINLIT_AUTH_SECRET"] = chainlit_secret(settings)
    if not _mounted:
        from chainlit.utils import mount_chainlit

        mount_chainlit(app=app, target=str(CHAT_TARGET), path=CHAT_PATH)
        _mounted = True
    else:  # a second app in this process (tests): Chainlit's server and handlers are already loaded
        from chainlit.server import app as chainlit_app

        app.mount(CHAT_PATH, chainlit_app)
    check_effective_config()  # refuse to serve the chat with Chainlit settings other than folio's

    app.add_middleware(VisitorCookieMiddleware)
    app.add_middleware(ChatGuardMiddleware, settings=settings, prefix=CHAT_PATH)
    import chainlit.socket  # noqa: F401  (registers Chainlit's socket handlers, guarded next)
    from chainlit.server import sio

    from chat.sessions import guard_socket_connect

    guard_socket_connect(sio)  # ended owner sessions and too many connections per address are refused
    sio.eio.max_http_buffer_size = settings.chat_max_body_bytes  # socket.io messages, websocket included
    from chat.login import OwnerLoginConfig  # imports Chainlit: only once CHAINLIT_APP_ROOT is set

    app.add_middleware(OwnerLoginConfig, chat_path=CHAT_PATH)  # no "Unable to sign in" on a fresh login page
    # Other sites may embed the chat (Chainlit's copilot widget, /chat/copilot/index.js) only when listed.
    app.add_middleware(EmbedOriginGuard, allowed=settings.embed_origins, prefix=CHAT_PATH)
    app.include_router(widget_router)  # /widget.js: the owner's one <script> tag

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse(f"{CHAT_PATH}/", status_code=307)

    @app.get("/login", include_in_schema=False)
    async def owner_login() -> RedirectResponse:
        """The owner's way in: drop the guest session, then show Chainlit's login form."""
        response = RedirectResponse(f"{CHAT_PATH}/login?owner=1", status_code=303)
        response.delete_cookie("access_token", path="/")
        return response


class VisitorCookieMiddleware:
    """Give chat visitors a stable id cookie. Pure ASGI and only under /chat: the REST API's hot path
    pays nothing for it (an `@app.middleware("http")` costs every request ~0.15 ms of CPU)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(CHAT_PATH):
            await self.app(scope, receive, send)
            return
        from chat.identity import VISITOR_COOKIE, new_visitor_id

        request = Request(scope)
        if VISITOR_COOKIE in request.cookies:
            await self.app(scope, receive, send)
            return
        carrier = Response()
        carrier.set_cookie(VISITOR_COOKIE, new_visitor_id(), max_age=VISITOR_COOKIE_AGE, httponly=True,
                           samesite="lax", secure=request.url.scheme == "https")
        cookie = carrier.headers["set-cookie"]

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)
