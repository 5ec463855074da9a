"""Request context: a request id on every response (an incoming X-Request-ID is honoured), the
request body size limit for the REST API (413), and one structured access-log line per request.
Never logs headers, bodies or query strings (tokens, passwords and search text stay out of the logs)."""

from __future__ import annotations

import logging
import re
import time
import uuid

import orjson
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body

access_log = logging.getLogger("folio.access")
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


TOO_LARGE = "the request body is too large"


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == wanted:
            return value.decode("latin-1")
    return None


def _incoming_id(scope: Scope) -> str | None:
    text = _header(scope, b"x-request-id")
    return text if text is not None and _VALID_ID.match(text) else None


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int, limited_prefix: str = "/api/",
                 access_level: int = logging.DEBUG):
        self.app = app
        self.max_body_bytes = max_body_bytes
        # DEBUG by default: a log line per request costs tail latency at a thousand requests a second.
        self.access_level = access_level
        # Only the REST API is limited; the chat mount decides its own upload sizes.
        self.limited_prefix = limited_prefix

    def _limited(self, scope: Scope, receive: Receive) -> Receive | JSONResponse:
        """A receive that stops at the limit, or a ready 413 when Content-Length already exceeds it."""
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            return JSONResponse(error_body("payload_too_large", TOO_LARGE, {"limit_bytes": self.max_body_bytes},
                                           scope["state"]["request_id"]), status_code=413)
        received = 0

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    # FastAPI re-raises HTTPExceptions from body reading; api.errors shapes the 413.
                    raise HTTPException(413, TOO_LARGE)
            return message

        return receive_limited

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                if "x-request-id" not in headers:
                    headers.append("X-Request-ID", rid)
            await send(message)

        try:
            if scope["path"].startswith(self.limited_prefix):
                limited = self._limited(scope, receive)
                if isinstance(limited, JSONResponse):
                    await limited(scope, receive, send_with_id)
                    return
                receive = limited
            await self.app(scope, receive, send_with_id)
        finally:
            if access_log.isEnabledFor(self.access_level):
                client = scope.get("client")
                access_log.log(self.access_level, orjson.dumps({
                    "event": "request", "request_id": rid, "method": scope["method"], "path": scope["path"],
                    "status": status, "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "client": client[0] if client else None,
                }).decode())
