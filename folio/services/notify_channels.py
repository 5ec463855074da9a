"""Where owner notifications go: a webhook (JSON, HMAC-SHA256 signed) and/or email over SMTP.

Each channel sends one outbox message and reports how it went; retries are the outbox's business."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any, Protocol

import httpx
import orjson

from folio.visitor_text import defanged

SIGNATURE_HEADER = "X-Folio-Signature"
TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Attempt:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    duration_ms: int = 0


class Channel(Protocol):
    name: str

    async def send(self, message_id: str, event: str, payload: dict[str, Any]) -> Attempt: ...


def sign(secret: str, body: bytes) -> str:
    """The X-Folio-Signature value: sha256=<hex HMAC of the exact body bytes>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookChannel:
    name = "webhook"

    def __init__(self, url: str, secret: str, timeout: float = TIMEOUT_S):
        self.url = url
        self.secret = secret
        self.timeout = timeout

    async def send(self, message_id: str, event: str, payload: dict[str, Any]) -> Attempt:
        body = orjson.dumps(payload)
        headers = {"Content-Type": "application/json", "User-Agent": "folio-notify/1",
                   SIGNATURE_HEADER: sign(self.secret, body), "X-Folio-Event": event,
                   "X-Folio-Delivery": message_id}
        started = time.monotonic()
        try:
            async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as client:
                response = await client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return Attempt(False, None, f"{type(exc).__name__}: {exc}"[:500], _ms(started))
        ok = 200 <= response.status_code < 300
        return Attempt(ok, response.status_code, None if ok else f"HTTP {response.status_code}", _ms(started))


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    recipient: str
    security: str = "starttls"  # starttls | tls | none
    username: str | None = None
    password: str | None = None


class EmailChannel:
    name = "email"

    def __init__(self, config: SmtpConfig, timeout: float = TIMEOUT_S):
        self.config = config
        self.timeout = timeout

    async def send(self, message_id: str, event: str, payload: dict[str, Any]) -> Attempt:
        started = time.monotonic()
        try:
            await asyncio.to_thread(self._send_blocking, self._compose(message_id, event, payload))
        except (OSError, smtplib.SMTPException) as exc:
            return Attempt(False, None, f"{type(exc).__name__}: {exc}"[:500], _ms(started))
        return Attempt(True, None, None, _ms(started))

    def _compose(self, message_id: str, event: str, payload: dict[str, Any]) -> EmailMessage:
        if "import" in payload:
            return self._compose_import(message_id, event, payload)
        contact = payload.get("contact", {})
        email = EmailMessage()
        # Visitors' words: one line in the subject, and no URL a mail client would turn into a link.
        name = defanged(" ".join(str(contact.get("name") or "A visitor").split()))[:120]
        email["Subject"] = f"[folio] {name} left their contact details"
        email["From"] = self.config.sender
        email["To"] = self.config.recipient
        email["Date"] = formatdate(localtime=False)
        email["Message-ID"] = f"<{message_id}@folio>"  # the idempotency key: a resend has the same id
        email["X-Folio-Event"] = event
        if contact.get("email"):
            email["Reply-To"] = contact["email"]
        email.set_content(
            f"{name} <{contact.get('email', '')}> wrote (the visitor's words, links disabled):\n\n"
            f"{defanged(contact.get('message') or '(no message)')}"
            f"\n\nReceived {payload.get('created_at', '')} via {contact.get('source', 'chat')}.\n"
            f"Idempotency key: {message_id}\n")
        return email

    def _compose_import(self, message_id: str, event: str, payload: dict[str, Any]) -> EmailMessage:
        found = payload["import"]
        items = found.get("items", [])
        email = EmailMessage()
        source = defanged(" ".join(str(found.get("source", "")).split()))[:200]
        email["Subject"] = f"[folio] {len(items)} new draft{'s' if len(items) != 1 else ''} imported from {source}"
        email["From"] = self.config.sender
        email["To"] = self.config.recipient
        email["Date"] = formatdate(localtime=False)
        email["Message-ID"] = f"<{message_id}@folio>"
        email["X-Folio-Event"] = event
        lines = "\n".join(f"- {item['kind']}: {defanged(item['title'])} ({item['slug']})" for item in items)
        email.set_content(f"The scheduled sync of {source} added these drafts (publish them when ready):\n\n"
                          f"{lines}\n\nIdempotency key: {message_id}\n")
        return email

    def _send_blocking(self, email: EmailMessage) -> None:
        cfg = self.config
        if cfg.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=self.timeout,
                                                  context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=self.timeout)
        with smtp:
            if cfg.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if cfg.username:
                smtp.login(cfg.username, cfg.password or "")
            smtp.send_message(email)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
