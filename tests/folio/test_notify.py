"""Owner notifications: outbox written with the contact request, drained by the worker to a real local
webhook receiver and a real SMTP server (aiosmtpd), including receivers that are down for a while."""

from __future__ import annotations

import asyncio
import email
import hashlib
import hmac
import inspect
import json
import time

import pytest
from testkit.receivers import SmtpReceiver, WebhookReceiver

from folio.errors import ValidationFailed
from folio.services.inbox import Origin
from folio.services.notify import Notifier, backoff, running
from folio.services.notify_channels import EmailChannel, SmtpConfig, WebhookChannel
from folio.settings import ConfigError, load_settings

SECRET = "webhook-secret-for-tests"


async def until(check, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


@pytest.fixture
def webhook():
    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()


def notifier(services, *channels, **kw) -> Notifier:
    n = Notifier(services.db, list(channels), retry_s=kw.pop("retry_s", 0.1), poll_s=0.05, **kw)
    services.inbox.on_contact.append(n.contact_left)
    return n


async def test_webhook_gets_a_signed_event_with_an_idempotency_key(services, webhook):
    webhook.start()
    n = notifier(services, WebhookChannel(webhook.url, SECRET), site_url="https://maya.dev")
    async with running(n):
        entry = await services.inbox.leave_contact("Ada Lovelace", "ada@example.com", "Hiring for Rust.",
                                                   Origin(thread_id="t1", visitor_id="v1"))
        await until(lambda: webhook.received)
        message = (await until(lambda: _delivered(n)))[0]
    got = webhook.received[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), got.body, hashlib.sha256).hexdigest()
    assert got.headers["x-folio-signature"] == expected
    assert got.headers["content-type"] == "application/json" and got.headers["x-folio-event"] == "contact.created"
    body = json.loads(got.body)
    assert body["event"] == "contact.created" and body["site"] == "https://maya.dev"
    assert body["idempotency_key"] == got.headers["x-folio-delivery"] == str(message.id)
    assert body["contact"] == {"id": str(entry.id), "name": "Ada Lovelace", "email": "ada@example.com",
                               "message": "Hiring for Rust.", "source": "chat", "thread_id": "t1"}
    log = await n.deliveries(message.id)
    assert [(d.attempt, d.ok, d.status_code) for d in log] == [(1, True, 200)]


async def _delivered(n: Notifier):
    return [m for m in await n.messages() if m.status == "delivered"]


async def test_receiver_down_then_back_survives_a_restart_and_never_blocks_the_visitor(services, webhook):
    first = notifier(services, WebhookChannel(webhook.url, SECRET))
    async with running(first):  # the receiver is down: connection refused
        started = time.monotonic()
        await services.inbox.leave_contact("Grace", "grace@example.com", "Hello", Origin(visitor_id="v2"))
        assert time.monotonic() - started < 2  # the visitor's turn does not wait for delivery
        await until(lambda: _attempts(first, 2))
    services.inbox.on_contact.clear()
    (message,) = await first.messages()
    assert message.status == "pending" and "ConnectError" in message.last_error

    # "Restart": a new worker over the same database; the receiver is back but answers 503 once.
    webhook.statuses = [503]
    webhook.start()
    second = Notifier(services.db, [WebhookChannel(webhook.url, SECRET)], retry_s=0.1, poll_s=0.05)
    async with running(second):
        await until(lambda: _delivered(second))
    log = await second.deliveries(message.id)
    assert [d.ok for d in log][-2:] == [False, True] and log[-2].status_code == 503
    assert all(not d.ok and d.error for d in log[:-1]) and len(log) >= 3
    keys = {json.loads(r.body)["idempotency_key"] for r in webhook.received}
    assert keys == {str(message.id)} and len(webhook.received) == 2  # at least once, same key


async def _attempts(n: Notifier, at_least: int):
    """At least this many attempts made and logged."""
    messages = await n.messages()
    return messages and len(await n.deliveries(messages[0].id)) >= at_least


async def test_gives_up_after_max_attempts(services, webhook):
    n = notifier(services, WebhookChannel(webhook.url, SECRET), max_attempts=2)
    async with running(n):
        await services.inbox.leave_contact("Linus", "linus@example.com")
        await until(lambda: _status(n, "failed"))
    (message,) = await n.messages()
    assert message.attempts == 2 and len(await n.deliveries(message.id)) == 2


async def _status(n: Notifier, status: str):
    return [m for m in await n.messages() if m.status == status]


async def test_a_refused_contact_queues_nothing(services, webhook):
    n = notifier(services, WebhookChannel(webhook.url, SECRET))
    with pytest.raises(ValidationFailed):
        await services.inbox.leave_contact("Eve", "not-an-email")
    assert await n.messages() == []


async def test_email_through_a_real_smtp_server_down_then_up(services):
    smtp = SmtpReceiver()
    channel = EmailChannel(SmtpConfig(host="127.0.0.1", port=smtp.port, sender="folio@maya.dev",
                                      recipient="maya@maya.dev", security="none"), timeout=5)
    n = notifier(services, channel)
    try:
        async with running(n):
            await services.inbox.leave_contact("Ada", "ada@example.com", "Let's talk.\nSecond line.")
            await until(lambda: _attempts(n, 1))
            smtp.start()
            await until(lambda: smtp.messages)
            (message,) = await until(lambda: _delivered(n))
    finally:
        smtp.stop()
    envelope = smtp.messages[0]
    assert envelope.mail_from == "folio@maya.dev" and envelope.rcpt_tos == ["maya@maya.dev"]
    parsed = email.message_from_bytes(envelope.content)
    assert parsed["Subject"] == "[folio] Ada left their contact details"
    assert parsed["Reply-To"] == "ada@example.com" and parsed["Message-ID"] == f"<{message.id}@folio>"
    assert "Let's talk.\r\nSecond line." in parsed.get_payload()  # SMTP line endings
    log = await n.deliveries(message.id)
    assert log[0].ok is False and log[-1].ok is True


def test_backoff_doubles_and_is_capped():
    assert [backoff(n, 5) for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert backoff(30, 5) == 3600


def test_notification_settings_are_checked():
    with pytest.raises(ConfigError, match="FOLIO_NOTIFY_WEBHOOK_SECRET"):
        load_settings(notify_webhook_url="https://hooks.example.com/x")
    with pytest.raises(ConfigError, match="FOLIO_SMTP_FROM"):
        load_settings(smtp_host="smtp.example.com")
    with pytest.raises(ConfigError, match="FOLIO_NOTIFY_WEBHOOK_URL"):
        load_settings(notify_webhook_url="ftp://x")
