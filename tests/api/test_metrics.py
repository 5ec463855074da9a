"""/metrics on a real `folio serve` (JSON logs on): scraped after a visitor's chat turn and a rate-limited
search, it shows the turn, its time to first token, the 429 by limit and requests by route and status;
it is closed to other networks unless the owner asks; every log line is JSON, request lines with their id.
With two workers every scrape adds both up (multiprocess mode), and shows a failed model call, a failed
notification delivery and the outbox backlog it leaves."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from testkit.chat_client import ChatClient
from testkit.live import OWNER_EMAIL, OWNER_PASSWORD, LiveServer
from testkit.mcp_client import mcp_session
from testkit.receivers import WebhookReceiver
from testkit.scripted_llm import ScriptedLLM, failure, reply


def _value(text: str, name: str, **labels: str) -> float:
    """The sample's value (0 when absent)."""
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0])) if "{" in line else {}
            if all(found.get(k) == v for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.fixture
def server(pg):
    name = pg.create()
    with ScriptedLLM(default=reply("The portfolio says nothing about that yet.")) as llm:
        live = LiveServer(pg.libpq_url(name), llm.base_url, rate_search_requests="1", log_format="json",
                          access_log="true", metrics_network="127.0.0.1").start()
        try:
            yield live
        finally:
            live.stop()
            pg.drop(name)


@pytest.mark.timeout(300)
async def test_metrics_after_a_chat_turn_and_a_429(server):
    async with await ChatClient.visitor(server.url) as chat:
        await chat.started()
        events = await chat.ask("What is the weather like on Mars?")
        assert ChatClient.answer(events)
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        assert (await http.get("/api/v1/search", params={"q": "rust"})).status_code == 200
        limited = await http.get("/api/v1/search", params={"q": "rust"}, headers={"X-Request-ID": "scrape-me-429"})
        assert limited.status_code == 429
        scraped = await http.get("/metrics")
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    text = scraped.text
    http_lines = [line for line in text.splitlines() if line.startswith("folio_http_requests_total")]
    assert _value(text, "folio_chat_turns_total", outcome="answered") >= 1
    assert _value(text, "folio_chat_first_token_seconds_count") >= 1
    assert _value(text, "folio_chat_first_token_seconds_sum") > 0
    assert _value(text, "folio_rate_limited_total", limit="rest-search") == 1
    assert _value(text, "folio_http_requests_total", method="GET", route="/api/v1/search", status="429") == 1, http_lines
    assert _value(text, "folio_http_requests_total", method="GET", route="/api/v1/search", status="200") == 1
    assert _value(text, "folio_http_request_duration_seconds_count", route="/api/v1/search") == 2

    lines = [line for line in server.log().splitlines() if line.startswith("{")]
    records = [json.loads(line) for line in lines]
    assert any(r.get("request_id") == "scrape-me-429" and r.get("status") == 429 for r in records)
    assert all(set(r) >= {"time", "level", "logger"} for r in records)
    stray = [line for line in server.log().splitlines() if line.strip() and not line.startswith("{")]
    assert stray == [], stray[:5]
    assert "Translated markdown file" not in server.log()


@pytest.mark.timeout(300)
async def test_metrics_are_closed_to_other_networks_but_the_owner(pg):
    name = pg.create()
    try:
        with LiveServer(pg.libpq_url(name), "http://127.0.0.1:9/v1", metrics_network="10.0.0.0/8") as live:
            async with httpx.AsyncClient(base_url=live.url, timeout=30) as http:
                assert (await http.get("/metrics")).status_code == 403
                login = await http.post("/api/v1/auth/login", json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
                token = login.json()["access_token"]
                http.cookies.clear()
                owned = await http.get("/metrics", headers={"Authorization": f"Bearer {token}"})
                assert owned.status_code == 200 and "folio_http_requests_total" in owned.text
    finally:
        pg.drop(name)


@pytest.mark.timeout(600)
async def test_two_workers_add_up_and_show_model_and_delivery_failures(pg):
    """Each scrape, whichever worker answers it, counts every worker's requests; the model's 500 and the
    webhook's 500 are counted, and the message waiting for its retry is the outbox backlog."""
    name = pg.create()
    receiver = WebhookReceiver(statuses=[500]).start()
    llm = ScriptedLLM(default=reply("The portfolio says nothing about that yet.")).start()
    llm.script(failure(500))  # the turn's first model call
    live = LiveServer(pg.libpq_url(name), llm.base_url, workers="2", metrics_network="127.0.0.1",
                      notify_webhook_url=receiver.url, notify_webhook_secret="metrics-test-webhook-secret",
                      notify_poll_seconds="0.2", notify_retry_seconds="600")
    try:
        live.start(timeout=600)
        async with await ChatClient.visitor(live.url) as chat:
            await chat.started()
            assert ChatClient.answer(await chat.ask("What is the weather like on Mars?"))
        async with mcp_session(SimpleNamespace(base_url=live.url)) as mcp:
            left = await mcp.call_tool("leave_contact_details", {
                "name": "Recruiter", "email": "jobs@example.com", "message": "A role for you."})
            assert not left.isError
        for _ in range(12):  # a new connection each: the kernel hands them to either worker
            assert httpx.get(f"{live.url}/healthz", timeout=30).status_code == 200
        deadline = asyncio.get_running_loop().time() + 60
        while not receiver.received and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.2)
        assert receiver.received, "the webhook was never called"
        await asyncio.sleep(1)  # the failed attempt is recorded after the webhook answered
        for _ in range(4):
            text = httpx.get(f"{live.url}/metrics", timeout=30).text
            assert _value(text, "folio_http_requests_total", method="GET", route="/healthz", status="200") >= 12
            assert _value(text, "folio_chat_turns_total", outcome="answered") == 1
            assert _value(text, "folio_model_errors_total", error="http_500") >= 1
            assert _value(text, "folio_notifications_total", channel="webhook", outcome="retry") == 1
            assert _value(text, "folio_outbox_messages", status="pending") == 1
            assert "folio_outbox_messages{status=\"failed\"} 0.0" in text
        writers = {path.stem.rsplit("_", 1)[1] for path in (Path(live.data_dir) / "metrics").glob("*.db")}
        assert len(writers) >= 2, f"metric files from {writers}: one worker answered everything"
    finally:
        live.stop()
        llm.stop()
        receiver.stop()
        pg.drop(name)
