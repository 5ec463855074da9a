"""/api/v1/search over the shared search service."""

import pytest


async def test_search_returns_results_with_their_urls(anon):
    r = await anon.get("/api/v1/search", params={"q": "sea level sensors TimescaleDB"})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert results and results[0]["type"] == "project" and results[0]["slug"] == "tide-gauge"
    top = results[0]
    assert set(top) == {"type", "slug", "title", "snippet", "score", "url"}
    assert top["title"] == "Tide Gauge" and top["url"] == "/api/v1/projects/tide-gauge"
    assert (await anon.get(top["url"])).status_code == 200


async def test_drafts_are_found_by_the_owner_only(anon, owner_client):
    visitor = (await anon.get("/api/v1/search", params={"q": "quokkas unfinished thoughts"})).json()["results"]
    owner = (await owner_client.get("/api/v1/search", params={"q": "quokkas unfinished thoughts"})).json()["results"]
    assert "draft-notes" not in {h["slug"] for h in visitor}
    assert owner[0]["slug"] == "draft-notes"


async def test_type_filter_and_limit(anon):
    r = await anon.get("/api/v1/search", params={"q": "vector search PostgreSQL HNSW", "type": "post", "limit": 1})
    results = r.json()["results"]
    assert len(results) == 1 and results[0]["type"] == "post" and results[0]["slug"] == "hnsw-in-pgvector"
    r = await anon.get("/api/v1/search", params={"q": "rust", "type": "certification"})
    assert all(h["type"] == "certification" for h in r.json()["results"])


@pytest.mark.parametrize("params", [
    {}, {"q": ""}, {"q": "   "}, {"q": "rust", "limit": 0}, {"q": "rust", "limit": 51}, {"q": "rust", "limit": "x"},
    {"q": "rust", "type": "video"}, {"q": "a\x00b"}, {"q": "x" * 1001},
])
async def test_bad_search_input_is_422(anon, params):
    r = await anon.get("/api/v1/search", params=params)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "validation_failed"


@pytest.mark.parametrize("q", ["' OR 1=1 --", "rust'; DROP TABLE projects; --", "\"unbalanced", "a & | ! ( :*",
                               "🦘 Zürich", "שלום", "-", "OR", "<->"])
async def test_odd_queries_are_answered(anon, q):
    r = await anon.get("/api/v1/search", params={"q": q})
    assert r.status_code == 200, r.text
    assert isinstance(r.json()["results"], list)
    assert (await anon.get("/api/v1/projects")).json()["total"] == 2
