"""/api/v1/profile: the owner's profile over REST, its page, its JSON-LD and its place in search."""

import asyncio

from sqlalchemy import text
from testkit.api import client_for

PROFILE = {"name": "Maya Okafor", "headline": "Backend engineer: Python and PostgreSQL",
           "bio": "I build **search-heavy backends** and mentor juniors.", "location": "Lagos, Nigeria",
           "links": [{"label": "GitHub", "url": "https://github.com/maya"},
                     {"label": "Email", "url": "mailto:maya@example.com"}],
           "open_to_work": True, "availability": "open to senior backend roles from March",
           "contact": "email first"}


async def test_no_profile_is_a_404_with_a_message(anon):
    missing = await anon.get("/api/v1/profile")
    assert missing.status_code == 404
    assert "profile" in missing.json()["error"]["message"]
    page = await anon.get("/p/profile/me")
    assert page.status_code == 404


async def test_owner_puts_and_everyone_reads(owner_client, anon):
    put = await owner_client.put("/api/v1/profile", json=PROFILE)
    assert put.status_code == 200, put.text
    body = put.json()
    assert {k: body[k] for k in PROFILE} == PROFILE
    assert body["page"] == "/p/profile/me" and body["updated_at"]
    got = await anon.get("/api/v1/profile")
    assert got.status_code == 200 and got.json() == body

    changed = await owner_client.put("/api/v1/profile", json={"name": "Maya O.", "location": "Berlin"})
    assert changed.status_code == 200, changed.text
    after = (await anon.get("/api/v1/profile")).json()
    assert after["name"] == "Maya O." and after["location"] == "Berlin"
    assert after["links"] == [] and after["open_to_work"] is False  # PUT replaces the whole profile
    assert after["updated_at"] >= body["updated_at"]


async def test_visitor_401_member_403(anon, member_client):
    assert (await anon.put("/api/v1/profile", json=PROFILE)).status_code == 401
    denied = await member_client.put("/api/v1/profile", json=PROFILE)
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "permission_denied"
    assert (await anon.get("/api/v1/profile")).status_code == 404  # nothing was written


async def test_bad_input_is_422_with_a_message(owner_client):
    for bad in ({**PROFILE, "links": [{"label": "x", "url": "javascript:alert(1)"}]},
                {**PROFILE, "links": [{"label": "x", "url": "ftp://example.com/cv"}]},
                {**PROFILE, "links": [{"label": "x", "url": "mailto:nobody"}]},
                {**PROFILE, "name": ""}, {**PROFILE, "headline": "x" * 301},
                {**PROFILE, "links": [{"label": "x", "url": "https://e.com"}] * 21},
                {**PROFILE, "email": "maya@example.com"}):
        response = await owner_client.put("/api/v1/profile", json=bad)
        assert response.status_code == 422, bad
        assert response.json()["error"]["message"]
    assert (await owner_client.get("/api/v1/profile")).status_code == 404


async def test_concurrent_puts_leave_one_profile(app, owner_token, owner_client):
    async with client_for(app, token=owner_token) as client:
        results = await asyncio.gather(*(client.put("/api/v1/profile", json={**PROFILE, "name": f"Maya {i}"})
                                         for i in range(8)))
    assert [r.status_code for r in results] == [200] * 8, [r.text for r in results]
    final = (await owner_client.get("/api/v1/profile")).json()
    assert final["name"] in {f"Maya {i}" for i in range(8)}
    services = app.state.services
    async with services.db.read() as session:
        assert (await session.scalar(text("SELECT count(*) FROM profiles"))) == 1
        chunks = await session.scalar(text("SELECT count(*) FROM search_chunks WHERE item_type = 'profile'"))
        names = (await session.scalars(text("SELECT content FROM search_chunks WHERE item_type = 'profile'"))).all()
    assert chunks >= 1 and all(final["name"] in c for c in names)


async def test_search_page_and_jsonld_follow_the_profile(owner_client, anon):
    assert (await owner_client.put("/api/v1/profile", json=PROFILE)).status_code == 200
    found = await anon.get("/api/v1/search", params={"q": "Lagos mentor backend"})
    assert found.status_code == 200, found.text
    hits = [h for h in found.json()["results"] if h["type"] == "profile"]
    assert hits and hits[0]["url"] == "/api/v1/profile" and hits[0]["title"] == "Maya Okafor"
    page = await anon.get("/p/profile/me")
    assert page.status_code == 200
    assert "Maya Okafor" in page.text and "Lagos, Nigeria" in page.text and "<strong>search-heavy" in page.text
    assert 'href="https://github.com/maya"' in page.text
    doc = (await anon.get("/api/v1/profile/jsonld")).json()
    assert doc["name"] == "Maya Okafor" and doc["description"] == PROFILE["headline"]
    assert doc["sameAs"] == ["https://github.com/maya"]
