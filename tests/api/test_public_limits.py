"""Anonymous REST under abuse, from the outside (real requests through the app, real PostgreSQL):
rate limits per client address (search strictest), X-Forwarded-For only from a trusted proxy, IPv6
by /64, login throttling counted before the password check, bcrypt off the event loop, equal timing
for unknown emails, sessions ended by a password change, a statement timeout answered with 503."""

import asyncio
import statistics
import time
import uuid

import psycopg
import pytest_asyncio
from testkit.api import OWNER_EMAIL, OWNER_PASSWORD, client_for, running_app

from folio.settings import load_settings

SEARCH = "/api/v1/search"
LOGIN = "/api/v1/auth/login"


@pytest_asyncio.fixture
async def strict_app(tmp_path, llm, api_db_url):
    settings = load_settings(secret_key="test-secret-key-" + uuid.uuid4().hex, data_dir=str(tmp_path),
                             llm_base_url=llm.base_url, llm_model="scripted", rate_search_requests=3,
                             rate_read_requests=6, rate_login_requests=1000, rate_window=60,
                             db_statement_timeout_ms=1500)
    async with running_app(settings, api_db_url) as app:
        yield app


async def _search(client, **headers):
    return await client.get(SEARCH, params={"q": "rust linter"}, headers=headers)


async def test_anonymous_search_is_limited_per_address_with_retry_after(strict_app, accounts):
    async with client_for(strict_app, client_addr="198.51.100.1") as a, \
            client_for(strict_app, client_addr="198.51.100.2") as b:
        assert [(await _search(a)).status_code for _ in range(3)] == [200, 200, 200]
        refused = await _search(a)
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(refused.headers["retry-after"]) <= 120
        assert (await _search(b)).status_code == 200  # another address has its own allowance
        assert (await a.get("/api/v1/projects")).status_code == 200  # reads are counted apart, looser
    token = strict_app.state.auth.issue(accounts.owner)
    async with client_for(strict_app, client_addr="198.51.100.1", token=token) as owner:
        assert (await _search(owner)).status_code == 200  # the signed-in owner is not limited
    async with client_for(strict_app, client_addr="198.51.100.1", token="made-up") as faker:
        assert (await _search(faker)).status_code == 429  # made-up credentials do not escape
    async with client_for(strict_app, client_addr="198.51.100.1") as faker:
        assert (await _search(faker, Cookie="folio_session=made-up")).status_code == 429


async def test_reads_are_limited_too_but_more_loosely(strict_app):
    async with client_for(strict_app, client_addr="198.51.100.3") as client:
        codes = [(await client.get("/api/v1/projects")).status_code for _ in range(7)]
    assert codes == [200] * 6 + [429]


async def test_forwarded_for_is_believed_only_from_a_trusted_proxy(strict_app):
    async with client_for(strict_app, client_addr="127.0.0.1") as proxy:  # the loopback proxy: trusted
        for _ in range(3):
            assert (await _search(proxy, **{"X-Forwarded-For": "203.0.113.1"})).status_code == 200
        assert (await _search(proxy, **{"X-Forwarded-For": "203.0.113.1"})).status_code == 429
        assert (await _search(proxy, **{"X-Forwarded-For": "203.0.113.2"})).status_code == 200
        # A client cannot escape by prepending its own X-Forwarded-For: the proxy's last hop counts.
        assert (await _search(proxy, **{"X-Forwarded-For": "6.6.6.6, 203.0.113.1"})).status_code == 429
    async with client_for(strict_app, client_addr="198.51.100.9") as direct:  # not a proxy
        codes = [(await _search(direct, **{"X-Forwarded-For": f"203.0.113.{50 + i}"})).status_code
                 for i in range(4)]
    assert codes == [200, 200, 200, 429]  # its made-up addresses were ignored


async def test_ipv6_clients_share_their_64(strict_app):
    async with client_for(strict_app, client_addr="2001:db8:1:2::1") as one, \
            client_for(strict_app, client_addr="2001:db8:1:2:ffff::9") as same_64, \
            client_for(strict_app, client_addr="2001:db8:1:3::1") as other_64:
        assert [(await _search(one)).status_code for _ in range(2)] == [200, 200]
        assert [(await _search(same_64)).status_code for _ in range(2)] == [200, 429]
        assert (await _search(other_64)).status_code == 200


async def test_a_parallel_burst_cannot_exceed_the_login_throttle(strict_app):
    async with client_for(strict_app, client_addr="198.51.100.20") as attacker:
        answers = await asyncio.gather(*[attacker.post(LOGIN, json={"email": OWNER_EMAIL, "password": f"guess {i}"})
                                         for i in range(12)])
    codes = sorted(r.status_code for r in answers)
    assert codes == [401] * 5 + [429] * 7  # counted before the (slow) password checks ran


async def test_the_owner_is_slowed_never_locked_out_by_a_spray_from_many_addresses(strict_app):
    logins = strict_app.state.services.logins
    now = [2_000_000.0]
    logins.clock = lambda: now[0]
    per_email = logins.policy.per_email
    for i in range(per_email.free):  # one guess from each of many addresses
        async with client_for(strict_app, client_addr=f"198.18.0.{i + 1}") as bot:
            assert (await bot.post(LOGIN, json={"email": OWNER_EMAIL, "password": "guess"})).status_code == 401
    async with client_for(strict_app, client_addr="192.0.2.77") as owner:
        r = await owner.post(LOGIN, json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
        assert r.status_code == 429 and int(r.headers["retry-after"]) <= per_email.max_delay
        now[0] += int(r.headers["retry-after"])
        r = await owner.post(LOGIN, json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
        assert r.status_code == 200


async def test_bcrypt_runs_off_the_event_loop(strict_app):
    async with client_for(strict_app, client_addr="198.51.100.30") as client:
        login = asyncio.create_task(client.post(LOGIN, json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD}))
        await asyncio.sleep(0.05)  # the login is in its password check now
        health = await client.get("/healthz")
        assert health.status_code == 200 and not login.done()  # answered while bcrypt was still running
        assert (await login).status_code == 200


async def test_an_unknown_email_takes_as_long_as_a_wrong_password(strict_app):
    async def timed(email: str, n: int) -> float:
        async with client_for(strict_app, client_addr=f"198.51.100.{40 + n}") as client:
            started = time.perf_counter()
            r = await client.post(LOGIN, json={"email": email, "password": "not the password"})
            assert r.status_code == 401
            return time.perf_counter() - started

    wrong = [await timed(OWNER_EMAIL, i) for i in range(3)]
    unknown = [await timed(f"nobody{i}@example.com", i) for i in range(3)]
    # bcrypt at cost 12 both ways (~0.25 s); before, the unknown email took ~5 ms.
    assert statistics.median(unknown) > 0.5 * statistics.median(wrong), (wrong, unknown)
    assert min(unknown) > 0.05


async def test_a_password_change_ends_every_session(strict_app):
    async with client_for(strict_app, client_addr="198.51.100.60") as client:
        login = await client.post(LOGIN, json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
        token = login.json()["access_token"]
        assert (await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})).status_code == 200
        assert await strict_app.state.services.users.set_password(OWNER_EMAIL, "a brand new password")
        r = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401 and "ended" in r.json()["error"]["message"]
        r = await client.post(LOGIN, json={"email": OWNER_EMAIL, "password": "a brand new password"})
        assert r.status_code == 200
        fresh = r.json()["access_token"]
        assert (await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {fresh}"})).status_code == 200


async def test_a_statement_past_the_timeout_is_a_503_with_a_message(strict_app, api_db_url):
    libpq = api_db_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(libpq) as locker:
        locker.execute("LOCK TABLE projects IN ACCESS EXCLUSIVE MODE")  # held until the rollback below
        async with client_for(strict_app, client_addr="198.51.100.70") as client:
            started = time.perf_counter()
            r = await client.get("/api/v1/projects")
            waited = time.perf_counter() - started
        locker.rollback()
    assert r.status_code == 503, r.text
    assert r.json()["error"]["code"] == "unavailable" and "database" in r.json()["error"]["message"]
    assert r.headers["retry-after"] and waited < 5
    async with client_for(strict_app, client_addr="198.51.100.70") as client:
        assert (await client.get("/api/v1/projects")).status_code == 200
