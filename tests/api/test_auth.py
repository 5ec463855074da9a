"""Login, logout, /me; bearer and cookie; throttling; invalid and expired tokens."""

import json
import logging

import jwt
from testkit.api import MEMBER_EMAIL, OWNER_EMAIL, OWNER_PASSWORD, client_for

from folio.services.logins import LoginPolicy

MAX_FAILURES = LoginPolicy().per_address.free

LOGIN = "/api/v1/auth/login"


async def test_login_returns_token_and_sets_session_cookie(anon):
    r = await anon.post(LOGIN, json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0 and body["access_token"]
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"folio_session={body['access_token']};")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http
    assert "access_token=" not in cookie  # never Chainlit's cookie name
    # The client kept the cookie: /me works without a header.
    me = await anon.get("/api/v1/auth/me")
    assert me.status_code == 200
    assert me.json()["email"] == OWNER_EMAIL and me.json()["is_owner"] is True


async def test_cookie_is_secure_over_https(app):
    async with client_for(app, base_url="https://folio.test") as client:
        r = await client.post(LOGIN, json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
    assert r.status_code == 200
    assert "Secure" in r.headers["set-cookie"]


async def test_bearer_header_authenticates(app, owner_token):
    async with client_for(app, token=owner_token) as client:
        me = await client.get("/api/v1/auth/me")
    assert me.status_code == 200 and me.json()["is_owner"] is True


async def test_me_anonymous_is_401(anon):
    r = await anon.get("/api/v1/auth/me")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthenticated"
    assert r.headers["www-authenticate"] == "Bearer"


async def test_wrong_password_and_unknown_email_look_the_same(anon):
    wrong = await anon.post(LOGIN, json={"email": OWNER_EMAIL, "password": "not the password"})
    unknown = await anon.post(LOGIN, json={"email": "nobody@example.com", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"] == unknown.json()["error"]
    assert "set-cookie" not in wrong.headers


async def test_repeated_failures_are_throttled_per_email_and_address(app):
    async with client_for(app, client_addr="10.0.0.7") as attacker:
        for _ in range(MAX_FAILURES):
            r = await attacker.post(LOGIN, json={"email": OWNER_EMAIL, "password": "guess guess"})
            assert r.status_code == 401
        r = await attacker.post(LOGIN, json={"email": OWNER_EMAIL, "password": "guess guess"})
        assert r.status_code == 429
        assert r.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(r.headers["retry-after"]) <= 60
        # Even the right password is refused while it must wait.
        r = await attacker.post(LOGIN, json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
        assert r.status_code == 429
    async with client_for(app, client_addr="10.0.0.8") as owner:  # another address is not held up
        r = await owner.post(LOGIN, json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
        assert r.status_code == 200


async def test_waits_grow_and_pass(app):
    logins = app.state.services.logins
    now = [1_000_000.0]
    logins.clock = lambda: now[0]
    waits = []
    async with client_for(app, client_addr="10.0.0.9") as client:
        for _ in range(MAX_FAILURES):
            assert (await client.post(LOGIN, json={"email": OWNER_EMAIL, "password": "guess"})).status_code == 401
        for _ in range(4):
            r = await client.post(LOGIN, json={"email": OWNER_EMAIL, "password": "guess"})
            assert r.status_code == 429
            waits.append(int(r.headers["retry-after"]))
            now[0] += waits[-1]  # wait as told, then guess again: allowed once, then a longer wait
            assert (await client.post(LOGIN, json={"email": OWNER_EMAIL, "password": "guess"})).status_code == 401
        assert waits == [60, 120, 240, 480]
        now[0] += 900
        assert (await client.post(LOGIN, json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})).status_code == 200
        # A success clears the count: the next mistake is free again.
        assert (await client.post(LOGIN, json={"email": OWNER_EMAIL, "password": "oops"})).status_code == 401
        assert (await client.post(LOGIN, json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})).status_code == 200


async def test_logout_ends_the_session_and_clears_the_cookie(anon):
    r = await anon.post(LOGIN, json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
    token = r.json()["access_token"]
    out = await anon.post("/api/v1/auth/logout")
    assert out.status_code == 204
    assert 'folio_session=""' in out.headers["set-cookie"] and "Max-Age=0" in out.headers["set-cookie"]
    assert (await anon.get("/api/v1/auth/me")).status_code == 401
    # The token itself is revoked too, not only the cookie.
    anon.cookies.clear()
    r = await anon.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


async def test_logout_without_session_is_harmless(anon):
    assert (await anon.post("/api/v1/auth/logout")).status_code == 204


async def test_invalid_tampered_and_expired_tokens_are_401(app, owner_token, settings, accounts):
    forged = jwt.encode({"sub": str(accounts.owner.user_id), "exp": 4102444800, "jti": "x", "aud": "folio-api",
                         "iss": "folio"}, "another-secret-key-0123456789-abcdefghij", algorithm="HS256")
    for token in ["garbage", owner_token[:-3] + "abc", forged]:
        async with client_for(app, token=token) as client:
            r = await client.get("/api/v1/projects")
        assert r.status_code == 401, token
        assert r.json()["error"]["code"] == "unauthenticated"
    auth = app.state.auth
    real_clock = auth.clock
    auth.clock = lambda: real_clock() - auth.ttl_s - 60
    expired = auth.issue(accounts.owner)
    auth.clock = real_clock
    async with client_for(app, token=expired) as client:
        r = await client.get("/api/v1/auth/me")
    assert r.status_code == 401 and "expired" in r.json()["error"]["message"]


async def test_member_account_is_not_the_owner(member_client):
    me = await member_client.get("/api/v1/auth/me")
    assert me.status_code == 200 and me.json() == {**me.json(), "email": MEMBER_EMAIL, "is_owner": False}


async def test_login_body_errors_are_4xx(anon):
    r = await anon.post(LOGIN, content=b'{"email": "a@b.c", "password": ', headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_json"
    r = await anon.post(LOGIN, json={"email": OWNER_EMAIL})
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["loc"] == ["body", "password"]
    r = await anon.post(LOGIN, json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD, "admin": True})
    assert r.status_code == 422
    r = await anon.post(LOGIN, json={"email": OWNER_EMAIL, "password": 12345678})
    assert r.status_code == 422
    r = await anon.post(LOGIN, json={"email": "x\x00@example.com", "password": "p\x00ssword"})
    assert r.status_code == 401  # NUL is never a valid credential, and never a 500


async def test_validation_errors_never_echo_the_password(anon):
    r = await anon.post(LOGIN, json={"email": ["owner@example.com"], "password": "hunter2-very-secret"})
    assert r.status_code == 422
    assert "hunter2-very-secret" not in r.text


async def test_logs_have_request_ids_and_never_secrets(anon, caplog):
    caplog.set_level(logging.DEBUG)
    r = await anon.post(LOGIN, json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD},
                        headers={"X-Request-ID": "login-req-1"})
    token = r.json()["access_token"]
    await anon.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    await anon.post(LOGIN, json={"email": OWNER_EMAIL, "password": "wrong password here"})
    text = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (OWNER_PASSWORD, "wrong password here", token, token.split(".")[2]):
        assert secret not in text
    access = [json.loads(rec.getMessage()) for rec in caplog.records if rec.name == "folio.access"]
    assert {"event": "request", "request_id": "login-req-1", "method": "POST", "path": LOGIN,
            "status": 200}.items() <= access[0].items()
    assert [a["status"] for a in access] == [200, 200, 401]
