"""A normal start and a visitor's visit in a real browser (the home page, the chat, one question) leave a
quiet log: JSON lines only (FOLIO_LOG_FORMAT=json), no warning or error (no Chainlit translation warning,
no storage client warning), and every line written while answering a request or a chat message carries
the id of that request or message."""

from __future__ import annotations

import json

import pytest

from testkit.browser import ASSISTANT, ask, browser_page, open_chat
from testkit.live import LiveServer
from testkit.scripted_llm import ScriptedLLM, query, reply

pytestmark = pytest.mark.browser


def test_a_start_and_a_visit_log_no_warning(pg):
    name = pg.create()
    try:
        with ScriptedLLM(default=reply("The portfolio says nothing about the weather.")) as llm, \
                LiveServer(pg.libpq_url(name), llm.base_url, log_format="json", access_log="true") as live:
            llm.script(query(intent="yes_no", unknown=["weather on Mars"], search="weather on Mars"))
            with browser_page() as page:
                page.goto(live.url + "/")
                open_chat(page, live.url)
                page.locator(ASSISTANT).first.wait_for()
                assert ask(page, "What is the weather like on Mars?")
            log = live.log()
    finally:
        pg.drop(name)
    lines = [line for line in log.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is JSON
    loud = [r for r in records if r["level"] not in ("DEBUG", "INFO")]
    assert loud == [], loud
    requests = [r for r in records if r.get("event") == "request"]
    assert any(r["path"].startswith("/chat") for r in requests) and any(r["path"] == "/" for r in requests)
    # Once serving, every line was written for a request or the chat's socket, and carries its id.
    started = next(i for i, r in enumerate(records) if r.get("message") == "Application startup complete.")
    served = records[started + 2:]  # after uvicorn's "running on" line
    assert served and [r for r in served if not r.get("request_id")] == []
    assert any("WebSocket /chat/ws" in r.get("message", "") for r in served)
