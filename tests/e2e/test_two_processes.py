"""Several processes behave as one: two real `folio serve` servers on one database, one of them with
two workers (`--workers 2`). Logouts, password resets, login throttles (REST and chat doors), REST
rate limits and chat limits are all shared, because they live in PostgreSQL. Clients are told apart
by X-Forwarded-For, which the servers believe from loopback (their trusted proxy)."""

import httpx
import pytest
import socketio
from testkit.chat_client import ChatClient, owner_cookies
from testkit.live import OWNER_EMAIL, OWNER_PASSWORD, LiveServer
from testkit.procs import folio_env, run_folio
from testkit.scripted_llm import ScriptedLLM, query

from folio import prompts

LOGIN = "/api/v1/auth/login"
FREE = 5  # FOLIO_LOGIN_FREE_FAILURES


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


@pytest.fixture(scope="module")
def servers(pg):
    name = pg.create()
    limits = dict(rate_search_requests=4, chat_ip_messages=2, chat_visitor_messages=100)
    with ScriptedLLM() as llm:
        llm.respond_with(lambda body: query(intent="list", kinds=["project"], terms=["rust"]))
        a = LiveServer(pg.libpq_url(name), llm.base_url, workers=2, **limits).start(timeout=600)
        try:
            b = LiveServer(pg.libpq_url(name), llm.base_url, **limits).start(timeout=600)
        except Exception:
            a.stop()
            raise
        try:
            yield a, b, pg.libpq_url(name)
        finally:
            a.stop()
            b.stop()
    pg.drop(name)


def _login(server: LiveServer, address: str, password: str = OWNER_PASSWORD) -> httpx.Response:
    return httpx.post(server.url + LOGIN, json={"email": OWNER_EMAIL, "password": password},
                      headers=_from(address), timeout=30)


def _me(server: LiveServer, token: str) -> int:
    return httpx.get(server.url + "/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"},
                     timeout=30).status_code


def test_a_logout_on_one_server_ends_the_session_on_the_other(servers):
    a, b, _ = servers
    token = _login(a, "203.0.113.1").json()["access_token"]
    assert [_me(a, token), _me(b, token)] == [200, 200]
    out = httpx.post(a.url + "/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert out.status_code == 204
    assert [_me(b, token), _me(a, token), _me(b, token)] == [401, 401, 401]


def test_failed_logins_are_counted_across_servers_and_doors(servers):
    a, b, _ = servers
    codes = [_login(a if i % 2 else b, "203.0.113.2", "wrong guess").status_code for i in range(FREE - 1)]
    chat = httpx.post(b.url + "/chat/login", data={"username": OWNER_EMAIL, "password": "wrong guess"},
                      headers=_from("203.0.113.2"), timeout=30)
    assert codes + [chat.status_code] == [401] * FREE
    refused = _login(a, "203.0.113.2")  # even the right password must now wait
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    chat = httpx.post(a.url + "/chat/login", data={"username": OWNER_EMAIL, "password": OWNER_PASSWORD},
                      headers=_from("203.0.113.2"), timeout=30)
    assert chat.status_code == 429 and int(chat.headers["retry-after"]) >= 1
    assert _login(b, "203.0.113.3").status_code == 200  # the owner, elsewhere, is not held up


def test_search_limits_are_shared(servers):
    a, b, _ = servers
    codes = [httpx.get((a, b)[i % 2].url + "/api/v1/search", params={"q": "rust"}, headers=_from("203.0.113.4"),
                       timeout=60).status_code for i in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    assert httpx.get(b.url + "/api/v1/search", params={"q": "rust"}, headers=_from("203.0.113.5"),
                     timeout=60).status_code == 200


async def test_chat_limits_follow_the_address_across_servers_and_visitors(servers):
    a, b, _ = servers
    answers = []
    for server, visitor_address in ((a, "203.0.113.6"), (b, "203.0.113.6"), (a, "203.0.113.6"),
                                    (b, "203.0.113.7")):
        async with await ChatClient.visitor(server.url, headers=_from(visitor_address)) as chat:
            await chat.started()
            answers.append(ChatClient.answer(await chat.ask("Which projects use Rust?")))
    limited = prompts.RATE_LIMITED.split("{")[0]
    assert answers[0] and answers[1] and not any(a.startswith(limited) for a in answers[:2]), answers
    # A new visitor id (no cookie) from the same address, on either server, is limited...
    assert answers[2].startswith(limited)
    assert answers[3] and not answers[3].startswith(limited)  # ...another address is not


async def test_create_owner_reset_ends_every_session_everywhere(servers):
    a, b, libpq = servers
    token = _login(b, "203.0.113.8").json()["access_token"]
    assert [_me(a, token), _me(b, token)] == [200, 200]
    chat_cookies = await owner_cookies(a.url, OWNER_EMAIL, OWNER_PASSWORD)
    assert httpx.get(b.url + "/chat/user", cookies=chat_cookies, timeout=30).status_code == 200
    done = run_folio("create-owner", OWNER_EMAIL, "--reset",
                     env=folio_env(FOLIO_DATABASE_URL=libpq, FOLIO_OWNER_PASSWORD="a whole new password",
                                   FOLIO_SECRET_KEY="x" * 40))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "every session ended" in done.stderr + done.stdout
    assert [_me(a, token), _me(b, token)] == [401, 401]
    # The owner's chat session ended too: its HTTP routes refuse it, and so does the socket (issue 21).
    assert httpx.get(b.url + "/chat/user", cookies=chat_cookies, timeout=30).status_code == 401
    with pytest.raises(socketio.exceptions.ConnectionError):
        await ChatClient(b.url, chat_cookies).connect()
    assert _login(a, "203.0.113.8", "a whole new password").status_code == 200
    fresh = await owner_cookies(b.url, OWNER_EMAIL, "a whole new password")
    assert httpx.get(a.url + "/chat/user", cookies=fresh, timeout=30).status_code == 200
    async with ChatClient(a.url, fresh) as chat:
        assert await chat.started() == prompts.WELCOME_OWNER
