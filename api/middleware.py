"""Request context: a request id on every response (an incoming X-Request-ID is honoured), the
client's address (folio.clients: X-Forwarded-For only from trusted proxies), rate limits for
anonymous REST requests and for password logins at every door (429 with Retry-After, counted in
PostgreSQL so every process shares them), the request body size limit for the REST API (413), and one
structured access-log line per request. Never logs headers, bodies or query strings (tokens,
passwords and search text stay out of the logs)."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from http.cookies import CookieError, SimpleCookie

import orjson
from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse, Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body
from folio.request_body import TOO_LARGE, body_limited
from folio.clients import RequestInfo, current_request, scope_client, trusted
from folio.errors import RateLimited
from folio.logs import request_id
from folio.services.logins import DEVICE_COOKIE, DEVICE_TTL_S
from folio.metrics import HTTP_REQUESTS, HTTP_SECONDS

access_log = logging.getLogger("folio.access")
Refusal = Callable[[Scope], Awaitable[Response | None]]
log = logging.getLogger(__name__)
LOGIN_DOORS = ("/api/v1/auth/login", "/chat/login")
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


# Starlette's BaseHTTPMiddleware (Chainlit's, around /chat) raises this when the app below it sent no
# response because the browser dropped the request mid-flight (a logo or asset it no longer needs):
# nobody is left to answer, so it is no error. 499 is nginx's "client closed request", for the log.
NO_RESPONSE = "No response returned."
CLIENT_GONE = 499


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == wanted:
            return value.decode("latin-1")
    return None


def _incoming_id(scope: Scope) -> str | None:
    text = _header(scope, b"x-request-id")
    return text if text is not None and _VALID_ID.match(text) else None


def _cookie(scope: Scope, name: str) -> str | None:
    value = _header(scope, b"cookie")
    if not value or name not in value:
        return None
    try:
        morsel = SimpleCookie(value).get(name)
    except CookieError:
        return None
    return morsel.value if morsel is not None else None


def _device_cookie(token: str, https: bool) -> str:
    carrier = Response()
    carrier.set_cookie(DEVICE_COOKIE, token, max_age=DEVICE_TTL_S, path="/", httponly=True, samesite="strict",
                       secure=https)
    return carrier.headers["set-cookie"]


def _signed_in(scope: Scope) -> bool:
    """Whether the request carries a token of ours (checked by signature, no database): made-up
    credentials do not escape the anonymous limits."""
    auth = getattr(getattr(scope.get("app"), "state", None), "auth", None)
    if auth is None:
        return False
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and auth.signed(token.strip()):
                return True
        elif name == b"cookie" and b"folio_session=" in value:
            try:
                morsel = SimpleCookie(value.decode("latin-1")).get("folio_session")
            except CookieError:
                continue
            if morsel is not None and auth.signed(morsel.value):
                return True
    return False


def _route_label(scope: Scope) -> str:
    """The matched route's template (/api/v1/projects/{slug}), the mount's prefix, or "unmatched": never
    the raw path, so the metric's labels stay few."""
    matched = scope
    if "route" not in scope and scope.get("app") is not None:  # answered here (429, 413) before routing
        for candidate in scope["app"].router.routes:
            match, child = candidate.matches(scope)
            if match == Match.FULL:
                matched = {"route": candidate, **child}
                break
    # FastAPI (0.165) routes included with a prefix know their full template only in its routing context.
    context = (matched.get("fastapi") or {}).get("effective_route_context")
    template = getattr(context, "path_format", None) or getattr(matched.get("route"), "path", None)
    if template is not None:
        return template
    # Answered before routing inside an included router (FastAPI resolves those lazily): a known prefix.
    for prefix in ("/api/v1/search", "/chat", "/mcp"):
        if scope["path"] == prefix or scope["path"].startswith(prefix + "/"):
            return prefix
    return "/api/*" if scope["path"].startswith("/api/") else "unmatched"


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int, limited_prefix: str = "/api/",
                 trusted_proxies: str = "127.0.0.1,::1", access_level: int = logging.DEBUG,
                 refusals: list[Refusal] | None = None):
        self.app = app
        # Refusals a mounted front end adds (the chat's ended owner sessions, see chat/sessions.py): each
        # gets the scope and may answer instead of the app; checked here so the answer has a request id.
        self.refusals = refusals if refusals is not None else []
        self.max_body_bytes = max_body_bytes
        # DEBUG by default: a log line per request costs tail latency at a thousand requests a second.
        self.access_level = access_level
        # Only the REST API is limited; the chat mount decides its own upload sizes.
        self.limited_prefix = limited_prefix
        self.proxies = trusted(trusted_proxies)

    async def _rate_limited(self, scope: Scope, client: str) -> JSONResponse | None:
        """A ready 429 when this request is over its rate limit: anonymous REST requests per address,
        and password logins (REST and chat) per address. Signed-in requests are not limited."""
        limits = getattr(getattr(scope.get("app"), "state", None), "rest_limits", None)
        path = scope["path"]
        if limits is None:
            return None
        if path in LOGIN_DOORS and scope["method"] == "POST":
            check = limits.login(client)
        elif path.startswith(self.limited_prefix) and not _signed_in(scope):
            check = limits.check(path, client)
        else:
            return None
        try:
            await check
        except RateLimited as exc:
            return JSONResponse(error_body(exc.code, exc.message, None, scope["state"]["request_id"]),
                                status_code=429, headers={"Retry-After": str(exc.retry_after)})
        except Exception as exc:  # the database is down: the request itself answers 503
            log.warning("rate limit not checked (%s)", type(exc).__name__)
        return None

    def _limited(self, scope: Scope, receive: Receive) -> Receive | JSONResponse:
        """A receive that stops at the limit, or a ready 413 when Content-Length already exceeds it."""
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            return JSONResponse(error_body("payload_too_large", TOO_LARGE, {"limit_bytes": self.max_body_bytes},
                                           scope["state"]["request_id"]), status_code=413)
        return body_limited(receive, self.max_body_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":  # the chat's socket: its id is on every line logged for it
            request_id.set(_incoming_id(scope) or uuid.uuid4().hex)
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope) or uuid.uuid4().hex
        client = scope_client(scope, self.proxies)
        state = scope.setdefault("state", {})
        state["request_id"], state["client_address"] = rid, client
        info = RequestInfo(client)
        if scope["path"] in LOGIN_DOORS:  # a known device is throttled on its own (folio/services/logins.py)
            info.device = _cookie(scope, DEVICE_COOKIE)
        current_request.set(info)
        request_id.set(rid)  # on every log line of this request (FOLIO_LOG_FORMAT=json)
        started = time.perf_counter()
        status = 500  # until a response starts (an exception that escapes is answered 500 outside)

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if message["status"] == 401 and info.retry_after is not None:  # a throttled chat login
                    message["status"] = 429
                    headers["Retry-After"] = str(info.retry_after)
                status = message["status"]
                if info.new_device and status < 400:  # a chat login succeeded: remember this device
                    headers.append("set-cookie", _device_cookie(info.new_device, scope.get("scheme") == "https"))
                if "x-request-id" not in headers:
                    headers.append("X-Request-ID", rid)
            await send(message)

        try:
            refused = await self._rate_limited(scope, client)
            for refusal in self.refusals:
                refused = refused or await refusal(scope)
            if refused is not None:
                await refused(scope, receive, send_with_id)
                return
            if scope["path"].startswith(self.limited_prefix):
                limited = self._limited(scope, receive)
                if isinstance(limited, JSONResponse):
                    await limited(scope, receive, send_with_id)
                    return
                receive = limited
            await self.app(scope, receive, send_with_id)
        except RuntimeError as exc:
            if str(exc) != NO_RESPONSE:  # (a mounted app's own error page may have "answered" it: 500)
                raise
            status = CLIENT_GONE
            log.info("client closed the request before a response (request_id=%s, path=%s)", rid, scope["path"])
        finally:
            elapsed = time.perf_counter() - started
            route = _route_label(scope)
            HTTP_REQUESTS.labels(scope["method"], route, str(status)).inc()
            HTTP_SECONDS.labels(route).observe(elapsed)
            if access_log.isEnabledFor(self.access_level):
                access_log.log(self.access_level, orjson.dumps({
                    "event": "request", "request_id": rid, "method": scope["method"], "path": scope["path"],
                    "status": status, "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "client": client,
                }).decode())
