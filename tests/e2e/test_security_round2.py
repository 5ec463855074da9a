"""Hardening, round 2 (issue 21): each finding's attack, scripted against a real `folio serve` (embedded
PostgreSQL, a scripted model), and what it gets now. Attackers and the owner are told apart by
X-Forwarded-For, which the server believes from loopback (its trusted proxy).

1. Strangers spraying the owner's email cannot lock the owner out of a known device.
2. Owner chat sessions end: logout, `folio create-owner --reset`; /chat/auth/jwt is gone; cookies are
   Secure over HTTPS.
3. Visitor text reaches the owner inert (the chat inbox, notification emails).
6. JSON-LD cannot close a <script> element.
8. Anonymous MCP errors do not leak SQL.
7, 5. Contact requests, guest sign-ins and socket connects are capped per client address.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from types import SimpleNamespace

import httpx
import pytest
import socketio
from markdown_it import MarkdownIt
from testkit.chat_client import ChatClient
from testkit.live import OWNER_EMAIL, OWNER_PASSWORD, LiveServer
from testkit.mcp_client import mcp_session
from testkit.procs import folio_env, run_folio
from testkit.scripted_llm import ScriptedLLM, query, request

from folio import prompts

LOGIN = "/api/v1/auth/login"
EMAIL_FREE = 3  # FOLIO_LOGIN_EMAIL_FREE_FAILURES: the per-email tier starts early, so the attack is short
SESSIONS = 4  # FOLIO_CHAT_ADDRESS_SESSIONS
CONTACTS = 2  # FOLIO_CONTACT_ADDRESS_REQUESTS
HOSTILE = ("[Sign in again…](https://evil.example/login) ![x](https://evil.example/p.png) "
           "<img src=x onerror=alert(1)> www.evil.example/w **urgent**")


def _from(address: str, **headers: str) -> dict[str, str]:
    return {"X-Forwarded-For": address, **headers}


@pytest.fixture(scope="module")
def model():
    with ScriptedLLM() as llm:
        yield llm


@pytest.fixture(scope="module")
def server(pg, demo_template, model):
    name = pg.create(template=demo_template)
    live = LiveServer(pg.libpq_url(name), model.base_url, login_email_free_failures=str(EMAIL_FREE),
                      chat_address_sessions=str(SESSIONS), contact_address_requests=str(CONTACTS)).start()
    yield live
    live.stop()
    pg.drop(name)


@pytest.fixture
def llm(model):
    model.reset()
    yield model
    model.reset()


@pytest.fixture(scope="module")
def device(server) -> str:
    """The owner's known device: what the owner's browser keeps after logging in once."""
    response = httpx.post(server.url + LOGIN, json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD},
                          headers=_from("198.51.100.7"), timeout=30)
    assert response.status_code == 200, response.text
    return response.cookies.get("folio_device", "")  # (none before issue 21: every device was unknown)


def rest_login(server, address: str, password: str = OWNER_PASSWORD, device: str | None = None) -> httpx.Response:
    headers = _from(address, **({"Cookie": f"folio_device={device}"} if device else {}))
    return httpx.post(server.url + LOGIN, json={"email": OWNER_EMAIL, "password": password}, headers=headers,
                      timeout=30)


def chat_login(server, address: str, device: str | None, **headers: str) -> httpx.Response:
    headers = _from(address, **headers, **({"Cookie": f"folio_device={device}"} if device else {}))
    return httpx.post(server.url + "/chat/login", data={"username": OWNER_EMAIL, "password": OWNER_PASSWORD},
                      headers=headers, timeout=30)


def owner_chat(server, token: str, address: str) -> ChatClient:
    return ChatClient(server.url, {"access_token": token}, headers=_from(address))


def owner_script(llm) -> None:
    """The owner's messages read as 'show the inbox'; anything a visitor says as a greeting."""
    llm.respond_with(lambda body: request(operation="inbox") if "owner_request" in json.dumps(
        body.get("response_format")) else query(intent="greeting"))


def assistant_texts(events) -> list[str]:
    return [m["output"] for m in ChatClient.steps(events, "assistant_message")]


def _get(server, path: str, token: str) -> int:
    return httpx.get(server.url + path, headers={"Cookie": f"access_token={token}"}, timeout=30).status_code


# ---- 1. the owner cannot be locked out --------------------------------------------------------

def test_spraying_the_owners_email_does_not_lock_out_a_known_device(server, device):
    # The attack: wrong guesses for the owner's email from many addresses, one more each time a block
    # ends, until the per-email tier holds the email blocked (here for 8 s or more).
    wait, n = 0, 0
    while wait < 8:
        n += 1
        response = rest_login(server, f"203.0.113.{n}", password="not the password")
        if response.status_code == 429:
            wait = int(response.headers["Retry-After"])
            if wait < 8:
                time.sleep(wait)
        else:
            assert response.status_code == 401
    # An unknown device is slowed down by the per-email tier, the right password included.
    assert rest_login(server, "198.51.100.7").status_code == 429
    # A known-device cookie of someone else's making (tampered, or for another email) is no exemption.
    tampered = device[:-2] + ("AA" if not device.endswith("AA") else "BB")
    assert rest_login(server, "198.51.100.7", device=tampered).status_code == 429
    # The owner's own browser gets in at once, at both doors, while the email stays blocked for others.
    # (Before issue 21: 429 here too, for as long as the strangers kept it up.)
    known = rest_login(server, "198.51.100.7", device=device)
    assert known.status_code == 200, known.text
    assert known.json()["access_token"] and known.cookies.get("folio_device")
    chat = chat_login(server, "198.51.100.7", device)
    assert chat.status_code == 200 and chat.cookies.get("access_token")
    assert rest_login(server, "203.0.113.250").status_code == 429  # still blocked for unknown devices
    # A known device is throttled on its own: its failures count for it alone, not for the email.
    assert rest_login(server, "198.51.100.7", password="typo", device=device).status_code == 401
    assert rest_login(server, "198.51.100.7", device=device).status_code == 200


# ---- 2. chat sessions really end ---------------------------------------------------------------

async def test_chat_logout_ends_the_session_everywhere(server, device, llm):
    owner_script(llm)
    response = chat_login(server, "198.51.100.21", device)
    assert response.status_code == 200
    token = response.cookies["access_token"]
    open_socket = owner_chat(server, token, "198.51.100.21")
    await open_socket.connect()
    try:
        assert await open_socket.started() == prompts.WELCOME_OWNER
        assert _get(server, "/chat/user", token) == 200
        # Chainlit's re-signing door is gone (it gave any valid chat token a fresh 12 hours).
        jwt_door = httpx.post(server.url + "/chat/auth/jwt", headers={"Authorization": f"Bearer {token}"},
                              timeout=30)
        assert jwt_door.status_code == 404 and "access_token" not in jwt_door.cookies

        out = httpx.post(server.url + "/chat/logout", headers={"Cookie": f"access_token={token}"}, timeout=30)
        assert out.status_code == 200
        # A copy of the token is refused everywhere: Chainlit's routes, a new socket, the open socket.
        assert _get(server, "/chat/user", token) == 401
        with pytest.raises(socketio.exceptions.ConnectionError):
            await owner_chat(server, token, "198.51.100.21").connect()
        texts = assistant_texts(await open_socket.ask("what did visitors leave in my inbox?"))
        assert not any("contact request" in t or "unanswered question" in t for t in texts), texts
        assert texts[0] == prompts.SESSION_ENDED, texts
    finally:
        await open_socket.sio.disconnect()


async def test_create_owner_reset_ends_open_and_reconnecting_chat_sessions(server, device, llm):
    owner_script(llm)
    token = chat_login(server, "198.51.100.22", device).cookies["access_token"]
    open_socket = owner_chat(server, token, "198.51.100.22")
    await open_socket.connect()
    try:
        assert await open_socket.started() == prompts.WELCOME_OWNER
        done = run_folio("create-owner", OWNER_EMAIL, "--reset",
                         env=folio_env(FOLIO_DATABASE_URL=server.database_url, FOLIO_OWNER_PASSWORD=OWNER_PASSWORD,
                                       FOLIO_DATA_DIR=str(server.data_dir)))
        assert done.returncode == 0, done.stderr[-2000:]
        # The socket that was open keeps no owner role: the inbox (visitors' personal data) stays closed.
        texts = assistant_texts(await open_socket.ask("show me the inbox"))
        assert not any("contact request" in t or "unanswered question" in t for t in texts), texts
        assert texts[0] == prompts.SESSION_ENDED, texts
    finally:
        await open_socket.sio.disconnect()
    with pytest.raises(socketio.exceptions.ConnectionError):  # nor does a reconnect
        await owner_chat(server, token, "198.51.100.22").connect()
    fresh = chat_login(server, "198.51.100.22", device).cookies["access_token"]  # logging in again works
    async with owner_chat(server, fresh, "198.51.100.22") as chat:
        assert await chat.started() == prompts.WELCOME_OWNER


def test_chat_cookies_are_secure_behind_https(server, device):
    https = {"X-Forwarded-Proto": "https"}
    login = chat_login(server, "198.51.100.23", device, **https)
    assert login.status_code == 200
    cookies = {c.split("=", 1)[0]: c for c in login.headers.get_list("set-cookie")}
    assert re.search(r";\s*Secure", cookies["access_token"], re.I), cookies
    assert re.search(r";\s*Secure", cookies["folio_device"], re.I), cookies
    guest = httpx.post(server.url + "/chat/auth/header", headers=_from("198.51.100.23", **https), timeout=30)
    assert re.search(r"access_token=[^,]*;\s*Secure", guest.headers["set-cookie"], re.I)
    # Plain HTTP (a laptop) keeps working without Secure.
    plain = chat_login(server, "198.51.100.23", device)
    assert not re.search(r";\s*Secure", plain.headers["set-cookie"], re.I)


# ---- 3. visitor text never reaches the owner raw -----------------------------------------------

async def test_a_visitors_markdown_reaches_the_owners_inbox_inert(server, device, llm):
    async with mcp_session(SimpleNamespace(base_url=server.url)) as mcp:  # anonymous, as anyone can
        left = await mcp.call_tool("leave_contact_details", {"name": "Eve [admin](https://evil.example)",
                                                             "email": "eve@example.com", "message": HOSTILE})
        assert not left.isError, left.content
    owner_script(llm)
    token = chat_login(server, "198.51.100.24", device).cookies["access_token"]
    async with owner_chat(server, token, "198.51.100.24") as chat:
        await chat.started()
        texts = assistant_texts(await chat.ask("what's in my inbox?"))
    [inbox] = [t for t in texts if "contact request" in t]
    html = MarkdownIt("commonmark").render(inbox)
    assert "https://evil.example/login" in html  # shown, as written...
    assert "<a " not in html and "<img" not in html, html  # ...but nothing of it is a link, image or tag
    assert html.count("<strong>") == 1 and "**urgent**" in html  # folio's own heading only
    # GFM's literal autolinks (the chat renders GFM) need these exact characters: all escaped, in the inbox
    # and in every other message quoting the visitor (the insights' lead lines).
    for text in texts:
        rendered = MarkdownIt("commonmark").render(text)
        assert "<img" not in rendered and all(h.startswith("/") for h in re.findall(r'href="([^"]*)"', rendered))
        assert not re.search(r"https?://|www\.|\w@\w", text), text


def test_notification_emails_carry_visitor_links_disabled():
    from folio.services.notify_channels import EmailChannel, SmtpConfig

    channel = EmailChannel(SmtpConfig("smtp.example", 25, "folio@example.com", "maya@example.com"))
    email = channel._compose("id-1", "contact.created", {"contact": {
        "name": "Eve https://evil.example", "email": "eve@example.com", "message": HOSTILE}})
    text = email.get_content() + email["Subject"]
    assert "evil" in text and not re.search(r"https?://|www\.[a-z]", text), text


# ---- 6. JSON-LD stays inside its <script> ------------------------------------------------------

def test_jsonld_cannot_close_its_script_element(server, device):
    token = rest_login(server, "198.51.100.25", device=device).json()["access_token"]
    title = "Evil </script><script>alert(1)</script> & co"
    created = httpx.post(server.url + "/api/v1/projects", json={"title": title, "summary": "x", "published": True},
                         headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert created.status_code == 201, created.text
    doc = httpx.get(server.url + f"/api/v1/projects/{created.json()['slug']}/jsonld", timeout=30)
    assert doc.status_code == 200
    assert not re.search(rb"[<>&]", doc.content), doc.content
    assert b"\\u003c/script\\u003e" in doc.content
    assert json.loads(doc.content)["name"] == title  # the same JSON value


# ---- 8. anonymous MCP errors do not leak SQL ---------------------------------------------------

async def test_a_nul_byte_in_an_mcp_argument_is_refused_without_sql(server):
    async with mcp_session(SimpleNamespace(base_url=server.url)) as mcp:
        result = await mcp.call_tool("list_items", {"kind": "project", "tag": "rust\x00' OR 1=1"})
    text = result.content[0].text
    assert result.isError and "control characters" in text, text
    assert not re.search(r"SELECT|psycopg|asyncpg|\[SQL|parameters", text, re.I), text


# ---- 7, 5. per-address caps --------------------------------------------------------------------

async def test_contact_requests_are_capped_per_address_whatever_the_cookie(server, llm):
    llm.respond_with(lambda body: query(intent="contact", name="Spammer"))
    answers = []
    for i in range(CONTACTS + 1):  # a new 32-hex visitor cookie each time: a new visitor, same address
        async with await ChatClient.visitor(server.url, visitor_cookie=f"{i:032x}",
                                            headers=_from("203.0.113.77")) as chat:
            await chat.started()
            answers.append(ChatClient.answer(await chat.ask(f"call me back at spam{i}@example.com")))
    assert all("spam" in a for a in answers[:CONTACTS]), answers  # saved: "the owner will reply to ..."
    assert "too many contact requests" in answers[-1], answers


async def test_guest_sign_ins_and_socket_connects_are_capped_per_address(server):
    signed = [httpx.post(server.url + "/chat/auth/header", headers=_from("203.0.113.88"), timeout=30)
              for _ in range(SESSIONS + 1)]
    assert [r.status_code for r in signed] == [200] * SESSIONS + [429]
    assert int(signed[-1].headers["Retry-After"]) > 0
    cookies = dict(signed[0].cookies)
    sockets = []
    try:
        for _ in range(SESSIONS):
            sockets.append(await ChatClient(server.url, cookies, headers=_from("203.0.113.89")).connect())
        with pytest.raises(socketio.exceptions.ConnectionError):
            await ChatClient(server.url, cookies, headers=_from("203.0.113.89")).connect()
    finally:
        await asyncio.gather(*(s.sio.disconnect() for s in sockets))
    # Another address is not affected.
    async with ChatClient(server.url, cookies, headers=_from("203.0.113.90")) as chat:
        assert await chat.started()


# ---- smaller: /readyz tells strangers statuses only; the FastAPI floor is the version tested ----

async def test_readyz_names_internal_endpoints_only_to_this_machine(db_url, tmp_path):
    from testkit.api import client_for, running_app

    from folio.settings import load_settings

    settings = load_settings(secret_key="readyz-test-secret-key-0123456789", data_dir=str(tmp_path),
                             llm_base_url="http://127.0.0.1:9/v1", llm_model="x")  # a model that does not answer
    async with running_app(settings, db_url) as app:
        async with client_for(app, client_addr="203.0.113.5") as stranger, client_for(app) as local:
            public, private = await stranger.get("/readyz"), await local.get("/readyz")
    assert public.status_code == private.status_code == 503
    assert private.json()["error"]["details"]["checks"]["llm"]["url"] == "http://127.0.0.1:9/v1"
    checks = public.json()["error"]["details"]["checks"]
    assert checks["llm"] == {"status": "unreachable"} and "127.0.0.1:9" not in public.text


def test_fastapi_floor_is_the_tested_version():
    import tomllib
    from importlib.metadata import version
    from pathlib import Path

    deps = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]["dependencies"]
    floor = next(d for d in deps if d.startswith("fastapi")).split(">=")[1].split(",")[0]
    as_tuple = lambda v: tuple(int(p) for p in v.split(".")[:2])  # noqa: E731
    assert as_tuple(floor) >= (0, 165) and as_tuple(floor) <= as_tuple(version("fastapi"))
