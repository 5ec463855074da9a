"""The chat widget on another site: a static page served from another origin (another port) loads
/chat/copilot/index.js and mounts Chainlit's copilot; a visitor asks and gets a cited answer. A page from
an origin that FOLIO_ALLOWED_ORIGINS does not list gets nothing (its requests to /chat are refused)."""

from __future__ import annotations

import functools
import shutil
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from testkit.browser import browser_page, screenshot
from testkit.live import LiveServer
from testkit.procs import free_port
from testkit.scripted_llm import query

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Maya's site</title></head>
<body><h1>Maya's own site</h1>
<script src="{folio}/widget.js"></script>
</body></html>"""
BUTTON = "#chainlit-copilot-button"
ASSISTANT = '#chainlit-copilot-chat [data-step-type="assistant_message"]'


class StaticSite:
    """A folder of static files on 127.0.0.1:<port>: the owner's own site."""

    def __init__(self, port: int):
        self.port = port
        self.root = Path(tempfile.mkdtemp(prefix="fsite"))
        handler = functools.partial(_QuietHandler, directory=str(self.root))
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> StaticSite:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.root, ignore_errors=True)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def sites():
    with StaticSite(free_port()) as allowed, StaticSite(free_port()) as other:
        yield allowed, other


@pytest.fixture(scope="module")
def widget_server(pg, demo_template, live_llm, sites):
    allowed, _ = sites
    name = pg.create(template=demo_template)
    server = LiveServer(pg.libpq_url(name), live_llm.base_url, allowed_origins=allowed.origin).start()
    for site in sites:
        (site.root / "index.html").write_text(PAGE.format(folio=server.url))
    yield server
    server.stop()
    pg.drop(name)


def test_the_widget_script_is_served_and_origins_are_checked(widget_server, sites):
    allowed, other = sites
    script = httpx.get(f"{widget_server.url}/chat/copilot/index.js")
    assert script.status_code == 200 and "mountChainlitWidget" in script.text
    loader = httpx.get(f"{widget_server.url}/widget.js")
    assert loader.status_code == 200 and loader.headers["content-type"].startswith("text/javascript")
    ok = httpx.get(f"{widget_server.url}/chat/project/settings", headers={"Origin": allowed.origin})
    assert ok.status_code != 403
    assert f"frame-ancestors 'self' {allowed.origin}" in ok.headers["content-security-policy"]
    refused = httpx.post(f"{widget_server.url}/chat/auth/header", headers={"Origin": other.origin})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "origin_not_allowed"
    # REST is not the widget's business: unaffected by the list.
    assert httpx.get(f"{widget_server.url}/api/v1/projects", headers={"Origin": other.origin}).status_code == 200


def test_an_allowed_site_embeds_the_widget_and_gets_a_cited_answer(widget_server, live_llm, sites):
    allowed, _ = sites
    live_llm.reset()
    live_llm.script(query(intent="describe", items=["project:ferrox"]))
    with browser_page() as page:
        events: list[str] = []
        page.on("console", lambda m: events.append(f"console {m.type}: {m.text[:300]}"))
        page.on("response", lambda r: events.append(f"{r.status} {r.request.method} {r.url[:150]}"))
        page.on("requestfailed", lambda r: events.append(f"failed {r.url[:150]} {r.failure}"))
        page.goto(allowed.origin + "/index.html")
        page.locator(BUTTON).click()
        chat_input = page.locator("#chainlit-copilot-chat #chat-input")
        try:
            chat_input.wait_for(timeout=20_000)
        except Exception:
            screenshot(page, "widget-debug")
            raise AssertionError("\n".join(events)) from None
        page.locator(ASSISTANT).first.wait_for()  # the welcome: the visitor is signed in, the socket is up
        chat_input.fill("Tell me about Ferrox")
        page.keyboard.press("Enter")
        answer = page.locator(ASSISTANT).filter(has_text="load tester")
        answer.wait_for(timeout=90_000)
        link = answer.locator("a[href$='/p/project/ferrox']").first
        assert link.inner_text() == "Ferrox"
        screenshot(page, "widget-allowed-origin")
        link.click()  # a citation opens in the page, at folio's address (no FOLIO_SITE_URL here)
        page.wait_for_url(f"{widget_server.url}/p/project/ferrox")
        assert "Ferrox" in page.locator("h1").inner_text()  # the readable page of the cited item
    assert any("Tell me about Ferrox" in str(r["messages"]) for r in live_llm.requests)
    live_llm.reset()


def test_a_site_not_listed_gets_nothing(widget_server, live_llm, sites):
    _, other = sites
    live_llm.reset()
    sign_in: list[str] = []  # what became of the widget's guest sign-in
    with browser_page() as page:
        page.on("response", lambda r: sign_in.append(f"HTTP {r.status}") if "/chat/auth/header" in r.url else None)
        page.on("requestfailed", lambda r: sign_in.append("failed") if "/chat/auth/header" in r.url else None)
        page.goto(other.origin + "/index.html")
        page.wait_for_function("() => window.__folioWidget === true")
        page.wait_for_timeout(4000)
        assert page.locator(BUTTON).count() == 0  # the widget never mounts
        assert page.locator(ASSISTANT).count() == 0
        screenshot(page, "widget-other-origin")
    assert sign_in and all(s in ("HTTP 403", "failed") for s in sign_in), sign_in
    assert live_llm.requests == []
