"""HTTP guards for everything under /chat (pure ASGI; the REST API's hot path never sees it):

- security headers on every response: a Content-Security-Policy (scripts from the app only, plus the
  inline scripts of Chainlit's page by their hashes; images from the app and data: only; no plugins;
  framing by FOLIO_ALLOWED_ORIGINS, default the app itself), nosniff, a same-origin referrer policy;
- Chainlit's page served without its links to outside fonts and stylesheets (a visitor's browser
  asks nothing of any other host);
- every cookie `Secure` when the request came over HTTPS (X-Forwarded-Proto from a trusted proxy);
- a body size limit (FOLIO_CHAT_MAX_BODY_BYTES, 413), socket.io's long-polling included (its
  websocket messages are capped by engine.io with the same number, see chat/mount.py);
- thumbs feedback only on a kept thread, from its author, on one of its messages, with a short comment.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from folio.request_body import TOO_LARGE, body_limited
from folio.settings import Settings

MAX_FEEDBACK_COMMENT = 1000  # characters
_OUTSIDE_LINK = re.compile(r"<link\b[^>]*\bhref=\"(?:https?:)?//[^\"]*\"[^>]*>\s*", re.I | re.S)
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.I | re.S)


def frame_ancestors(settings: Settings) -> str:
    return " ".join(["'self'", *settings.embed_origins])


def content_security_policy(settings: Settings, script_hashes: list[str] = ()) -> str:
    scripts = " ".join(["'self'", *(f"'sha256-{h}'" for h in script_hashes)])
    return "; ".join([
        "default-src 'self'", f"script-src {scripts}", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:", "font-src 'self' data:", "connect-src 'self'", "media-src 'self'",
        "object-src 'none'", "base-uri 'self'", "form-action 'self'", f"frame-ancestors {frame_ancestors(settings)}",
    ])


def page_without_outside_links(page: str) -> tuple[str, list[str]]:
    """Chainlit's index.html minus links to other hosts, and the hashes of its inline scripts."""
    page = _OUTSIDE_LINK.sub("", page)
    hashes = [base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode()
              for m in _INLINE_SCRIPT.finditer(page)]
    return page, hashes


def secure_cookies(start: Message) -> None:
    """Mark every cookie of this response `Secure` (Chainlit sets its `access_token` without it unless
    SameSite=None): the chat's session cookie never travels over plain HTTP once the site is HTTPS."""
    start["headers"] = [
        (name, value + b"; Secure") if name.lower() == b"set-cookie"
        and not re.search(rb";\s*secure\s*(;|$)", value, re.I) else (name, value)
        for name, value in start.get("headers", [])]


def _refuse(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


class ChatGuardMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings, prefix: str = "/chat"):
        self.app = app
        self.settings = settings
        self.prefix = prefix
        self.max_body = settings.chat_max_body_bytes
        self.headers = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"),
                        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()")]
        if not settings.embed_origins:
            self.headers.append(("X-Frame-Options", "SAMEORIGIN"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == self.prefix or path.startswith(self.prefix + "/")):
            await self.app(scope, receive, send)
            return
        length = Request(scope).headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._with_headers(_refuse(413, TOO_LARGE), scope, receive, send)
            return
        receive = self._limited(receive)
        if path == f"{self.prefix}/feedback" and scope["method"] in ("PUT", "DELETE"):
            refusal, receive = await self._check_feedback(scope, receive)
            if refusal is not None:
                await self._with_headers(refusal, scope, receive, send)
                return
        # Visitors' threads are not kept: their page shows no thread list and no thumbs (which would be refused).
        unkept = (path == f"{self.prefix}/project/settings" and scope["method"] == "GET"
                  and not is_owner(signed_in_user(Request(scope))))
        await self._with_headers(self.app, scope, receive, send, unkept=unkept)

    def _limited(self, receive: Receive) -> Receive:
        return body_limited(receive, self.max_body, TOO_LARGE)

    async def _with_headers(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send,
                            unkept: bool = False) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def send_guarded(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if scope.get("scheme") == "https":  # behind TLS (X-Forwarded-Proto from a trusted proxy)
                    secure_cookies(message)
                headers = MutableHeaders(scope=message)
                for name, value in self.headers:
                    headers[name] = value
                kind = headers.get("content-type", "")
                if kind.startswith("text/html") or (unkept and kind.startswith("application/json")
                                                     and message["status"] == 200):
                    start = message  # rewritten once its body is complete
                    return
                headers["Content-Security-Policy"] = content_security_policy(self.settings)
                await send(message)
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._send_rewritten(start, b"".join(chunks), send)
            else:
                await send(message)

        await app(scope, receive, send_guarded)

    async def _send_rewritten(self, start: Message, body: bytes, send: Send) -> None:
        headers = MutableHeaders(scope=start)
        if headers.get("content-encoding", "identity") == "gzip":  # Chainlit compresses its responses
            body = gzip.decompress(body)
            del headers["content-encoding"]
        if headers.get("content-type", "").startswith("text/html"):
            page, hashes = page_without_outside_links(body.decode("utf-8", errors="replace"))
            data = page.encode()
        else:
            data, hashes = without_persistence(body), []
        headers["Content-Security-Policy"] = content_security_policy(self.settings, hashes)
        if "content-length" in headers:
            headers["Content-Length"] = str(len(data))
        await send(start)
        await send({"type": "http.response.body", "body": data, "more_body": False})

    async def _check_feedback(self, scope: Scope, receive: Receive) -> tuple[JSONResponse | None, Receive]:
        """Read the (size-limited) body, decide, and give the app a receive that replays it."""
        body = b""
        while True:
            try:
                message = await receive()
            except HTTPException as exc:
                return _refuse(exc.status_code, exc.detail), receive
            body += message.get("body", b"")
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await feedback_refusal(Request(scope), body), replay


def signed_in_user(request: Request):
    """Chainlit's signed-in user (its JWT, from the cookie or a bearer header), or None."""
    from chainlit.auth import get_token_from_cookies
    from chainlit.auth.jwt import decode_jwt

    token = get_token_from_cookies(dict(request.cookies))
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        token = auth[7:]
    try:
        return decode_jwt(token) if token else None
    except Exception:
        return None


def is_owner(user) -> bool:
    return user is not None and (user.metadata or {}).get("role") == "owner"


def without_persistence(body: bytes) -> bytes:
    try:
        settings = json.loads(body)
    except ValueError:
        return body
    if isinstance(settings, dict):
        settings["dataPersistence"] = False
    return json.dumps(settings).encode()


async def feedback_refusal(request: Request, body: bytes) -> JSONResponse | None:
    from chat import runtime  # Chainlit and the agent load with the chat, not with this module

    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        return _refuse(400, "the body is not JSON")
    if not isinstance(payload, dict):
        return _refuse(400, "the body must be a JSON object")
    user = signed_in_user(request)
    if user is None:
        return _refuse(401, "sign in first")
    try:
        layer = runtime.current().history
    except RuntimeError:
        layer = None
    if layer is None:
        return _refuse(503, "feedback is not available right now")
    if request.method == "DELETE":
        reason = await layer.feedback_delete_refusal(user.identifier, str(payload.get("feedbackId") or ""))
    else:
        feedback = payload.get("feedback") if isinstance(payload.get("feedback"), dict) else {}
        comment = feedback.get("comment")
        if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_FEEDBACK_COMMENT):
            return _refuse(422, f"the comment must be text of at most {MAX_FEEDBACK_COMMENT} characters")
        reason = await layer.feedback_refusal(user.identifier, str(feedback.get("threadId") or ""),
                                              str(feedback.get("forId") or ""))
    return _refuse(404, reason) if reason else None
