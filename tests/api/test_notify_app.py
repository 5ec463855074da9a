"""The running app drains the outbox: a contact left through /mcp reaches a real local webhook receiver."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time

from pydantic import SecretStr
from testkit.live_server import LiveServer
from testkit.mcp_client import mcp_session
from testkit.receivers import WebhookReceiver

from launch.composition import build_app

SECRET = "app-webhook-secret"


async def test_contact_left_over_mcp_is_delivered_by_the_apps_worker(settings, api_db_url):
    receiver = WebhookReceiver().start()
    configured = settings.model_copy(update={"notify_webhook_url": receiver.url, "notify_poll_seconds": 0.1,
                                             "notify_webhook_secret": SecretStr(SECRET)})
    try:
        with LiveServer(build_app(configured, api_db_url)) as server:
            async with mcp_session(server) as mcp:
                saved = await mcp.call_tool("leave_contact_details", {
                    "name": "Recruiter Bot", "email": "jobs@example.com", "message": "Rust role, remote."})
                assert "the owner will reply to jobs@example.com" in saved.content[0].text
                bad = await mcp.call_tool("leave_contact_details", {"name": "x", "email": "nope"})
                assert bad.isError
            deadline = time.monotonic() + 20
            while not receiver.received and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
    finally:
        receiver.stop()
    assert len(receiver.received) == 1  # the refused contact queued nothing
    got = receiver.received[0]
    assert got.headers["x-folio-signature"] == "sha256=" + hmac.new(SECRET.encode(), got.body,
                                                                   hashlib.sha256).hexdigest()
    contact = json.loads(got.body)["contact"]
    assert contact["email"] == "jobs@example.com" and contact["source"] == "mcp"
