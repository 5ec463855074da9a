"""The chat's visitor id cookie is set under /chat only (the REST API never gets it)."""

import re


async def test_chat_visitors_get_a_stable_id_cookie_and_rest_does_not(anon):
    r = await anon.get("/chat/")
    cookie = r.headers.get("set-cookie", "")
    assert re.match(r"folio_visitor=[a-f0-9]{32};", cookie), cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    again = await anon.get("/chat/")  # the client now sends it: not replaced
    assert "folio_visitor=" not in again.headers.get("set-cookie", "")
    anon.cookies.clear()
    api = await anon.get("/api/v1/projects")
    assert "folio_visitor" not in api.headers.get("set-cookie", "")
