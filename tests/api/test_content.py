"""/api/v1/{projects,posts,certifications}: CRUD, filters, pagination, visibility, bad input."""

import pytest

NEW = {
    "projects": {"title": "Quokka Tracker", "summary": "Counts quokkas.", "body": "Computer vision.",
                 "tags": ["cv"], "tech_stack": ["Python"], "repo_url": "https://example.com/q"},
    "posts": {"title": "Quokka Diaries", "excerpt": "Field notes.", "body": "Day one: a quokka smiled.",
              "tags": ["nature"], "status": "published"},
    "certifications": {"name": "Quokka Handler", "issuer": "Rottnest Island Authority",
                       "description": "Safe quokka handling.", "issued_on": "2024-02-01"},
}
TITLE = {"projects": "title", "posts": "title", "certifications": "name"}
KINDS = list(NEW)


@pytest.mark.parametrize("plural", KINDS)
async def test_create_get_patch_delete(owner_client, anon, plural):
    base = f"/api/v1/{plural}"
    created = await owner_client.post(base, json=NEW[plural])
    assert created.status_code == 201, created.text
    item = created.json()
    assert item["slug"] == "quokka-" + NEW[plural][TITLE[plural]].split()[1].lower()
    assert created.headers["location"] == f"{base}/{item['slug']}"
    for key, value in NEW[plural].items():
        assert item[key] == value, key

    got = await anon.get(f"{base}/{item['slug']}")
    assert got.status_code == 200 and got.json() == item

    change = {"description": "Changed."} if plural == "certifications" else {"tags": ["changed", "twice"]}
    patched = await owner_client.patch(f"{base}/{item['slug']}", json=change)
    assert patched.status_code == 200, patched.text
    after = patched.json()
    for key, value in NEW[plural].items():  # the sent field changed, untouched fields stay
        assert after[key] == change.get(key, value), key

    deleted = await owner_client.delete(f"{base}/{item['slug']}")
    assert deleted.status_code == 204 and deleted.content == b""
    missing = await anon.get(f"{base}/{item['slug']}")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert (await owner_client.delete(f"{base}/{item['slug']}")).status_code == 404


@pytest.mark.parametrize("plural", KINDS)
async def test_visitor_writes_are_401_and_member_writes_403_and_nothing_changes(anon, member_client,
                                                                                owner_client, plural):
    base = f"/api/v1/{plural}"
    before = (await owner_client.get(base, params={"limit": 100})).json()
    slug = before["items"][0]["slug"]
    for client, status in ((anon, 401), (member_client, 403)):
        responses = [
            await client.post(base, json=NEW[plural]),
            await client.patch(f"{base}/{slug}", json={TITLE[plural]: "Hacked"}),
            await client.delete(f"{base}/{slug}"),
        ]
        for r in responses:
            assert r.status_code == status, r.text
            assert r.json()["error"]["code"] == ("unauthenticated" if status == 401 else "permission_denied")
    assert (await owner_client.get(base, params={"limit": 100})).json() == before


async def test_slug_conflict_is_409(owner_client):
    r = await owner_client.post("/api/v1/projects", json={"title": "Another Glint", "slug": "glint"})
    assert r.status_code == 409
    assert r.json()["error"] == {"code": "slug_conflict", "message": "a project with slug 'glint' already exists",
                                 "details": {"slug": "glint"}}
    r = await owner_client.patch("/api/v1/projects/tide-gauge", json={"slug": "glint"})
    assert r.status_code == 409


async def test_patch_rename_and_clearing_required_fields(owner_client):
    r = await owner_client.patch("/api/v1/projects/tide-gauge", json={"slug": "tide-gauge-v2"})
    assert r.status_code == 200 and r.json()["slug"] == "tide-gauge-v2"
    assert (await owner_client.get("/api/v1/projects/tide-gauge")).status_code == 404
    r = await owner_client.patch("/api/v1/projects/tide-gauge-v2", json={"title": None})
    assert r.status_code == 422 and r.json()["error"]["details"] == {"fields": ["title"]}
    r = await owner_client.patch("/api/v1/projects/tide-gauge-v2", json={"repo_url": None})
    assert r.status_code == 200 and r.json()["repo_url"] is None


async def test_publishing_an_empty_post_is_refused(owner_client):
    r = await owner_client.post("/api/v1/posts", json={"title": "Empty", "status": "published"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_failed"
    assert (await owner_client.get("/api/v1/posts/empty")).status_code == 404


async def test_drafts_are_visible_to_the_owner_only(anon, owner_client):
    visitor_projects = (await anon.get("/api/v1/projects")).json()
    owner_projects = (await owner_client.get("/api/v1/projects")).json()
    assert {p["slug"] for p in visitor_projects["items"]} == {"glint", "tide-gauge"}
    assert visitor_projects["total"] == 2 and owner_projects["total"] == 3
    assert (await anon.get("/api/v1/projects/secret-lab")).status_code == 404
    assert (await owner_client.get("/api/v1/projects/secret-lab")).status_code == 200

    assert [p["slug"] for p in (await anon.get("/api/v1/posts")).json()["items"]] == ["hnsw-in-pgvector"]
    assert (await anon.get("/api/v1/posts/draft-notes")).status_code == 404
    drafts = (await owner_client.get("/api/v1/posts", params={"status": "draft"})).json()
    assert [p["slug"] for p in drafts["items"]] == ["draft-notes"]
    assert (await anon.get("/api/v1/posts", params={"status": "draft"})).json()["total"] == 0


async def test_filters(anon, owner_client):
    async def slugs(client, path, **params):
        r = await client.get(path, params=params)
        assert r.status_code == 200, r.text
        return {i["slug"] for i in r.json()["items"]}

    assert await slugs(anon, "/api/v1/projects", tag="RUST") == {"glint"}
    assert await slugs(owner_client, "/api/v1/projects", tag="rust") == {"glint", "secret-lab"}
    assert await slugs(anon, "/api/v1/projects", tech="postgresql") == {"tide-gauge"}
    assert await slugs(anon, "/api/v1/projects", featured="true") == {"glint"}
    assert await slugs(anon, "/api/v1/projects", featured="false") == {"tide-gauge"}
    assert await slugs(anon, "/api/v1/projects", tag="rust", tech="Python") == set()
    assert await slugs(anon, "/api/v1/certifications", featured="true") == {"aws-solutions-architect"}
    assert await slugs(anon, "/api/v1/posts", tag="postgres") == {"hnsw-in-pgvector"}
    assert await slugs(anon, "/api/v1/posts", status="published") == {"hnsw-in-pgvector"}
    # A filter that does not exist for a kind (or a misspelt one) is an error, not an unfiltered list.
    for path, params in (("/api/v1/posts", {"tech": "Rust"}), ("/api/v1/certifications", {"tag": "aws"}),
                         ("/api/v1/projects", {"featurd": "true"})):
        r = await anon.get(path, params=params)
        assert r.status_code == 422 and r.json()["error"]["details"][0]["type"] == "extra_forbidden"


async def test_pagination(owner_client):
    r = await owner_client.get("/api/v1/projects", params={"limit": 2, "offset": 0})
    page1 = r.json()
    assert page1["total"] == 3 and page1["limit"] == 2 and page1["offset"] == 0 and len(page1["items"]) == 2
    page2 = (await owner_client.get("/api/v1/projects", params={"limit": 2, "offset": 2})).json()
    assert len(page2["items"]) == 1
    assert {i["slug"] for i in page1["items"] + page2["items"]} == {"glint", "tide-gauge", "secret-lab"}
    beyond = (await owner_client.get("/api/v1/projects", params={"offset": 1_000_000})).json()
    assert beyond["items"] == [] and beyond["total"] == 3
    assert len((await owner_client.get("/api/v1/projects", params={"limit": 100})).json()["items"]) == 3


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": 101}, {"limit": -1}, {"limit": "ten"}, {"offset": -1}, {"offset": 10**20},
    {"offset": 1_000_001}, {"limit": "1e3"}, {"featured": "maybe"}, {"tag": ""}, {"tag": "x" * 61},
])
async def test_bad_pagination_and_filters_are_422(anon, params):
    r = await anon.get("/api/v1/projects", params=params)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"]["code"] == "validation_failed" and body["error"]["details"]
    assert body["request_id"] == r.headers["x-request-id"]


async def test_bad_status_filter_is_422(anon):
    assert (await anon.get("/api/v1/posts", params={"status": "secret"})).status_code == 422


@pytest.mark.parametrize("slug", ["Glint", "glint!", "a--b", "-glint", "x" * 121, "glint%00", "%E2%98%95",
                                  "glint'%20OR%201=1--"])
async def test_bad_slugs_are_422(anon, owner_client, slug):
    assert (await anon.get(f"/api/v1/projects/{slug}")).status_code == 422
    assert (await owner_client.patch(f"/api/v1/projects/{slug}", json={})).status_code == 422
    assert (await owner_client.delete(f"/api/v1/projects/{slug}")).status_code == 422


async def test_unknown_fields_wrong_types_and_nul_are_422(owner_client):
    cases = [
        {"title": "X", "owner": "me"},
        {"title": 42},
        {"title": "X", "tags": "not-a-list"},
        {"title": "X", "featured": "very"},
        {"title": "Nul\x00title"},
        {"title": "X", "body": "a\x00b"},
        {"title": "X", "repo_url": "javascript:alert(1)"},
        {"title": "X", "started_on": "2024-13-45"},
        {"title": "X", "started_on": "2024-05-01", "finished_on": "2024-01-01"},
        {"title": "   "},
        {"title": "X", "slug": "Not A Slug"},
        {"title": "X", "body": "x" * 100_001},
        [{"title": "X"}],
        "just a string",
    ]
    for payload in cases:
        r = await owner_client.post("/api/v1/projects", json=payload)
        assert r.status_code == 422, (payload if len(str(payload)) < 200 else "long", r.text[:300])
        assert r.json()["error"]["code"] == "validation_failed"
    r = await owner_client.patch("/api/v1/projects/glint", json={"title": "X", "unknown": 1})
    assert r.status_code == 422
    assert (await owner_client.get("/api/v1/projects", params={"limit": 100})).json()["total"] == 3


async def test_malformed_json_and_wrong_content_type(owner_client):
    r = await owner_client.post("/api/v1/projects", content=b'{"title": "X",',
                                headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_json"
    r = await owner_client.post("/api/v1/projects", content=b'\xff\xfe\x00garbage',
                                headers={"content-type": "application/json"})
    assert r.status_code in (400, 422) and "error" in r.json()
    r = await owner_client.post("/api/v1/projects", content=b"title=X",
                                headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 422
    r = await owner_client.post("/api/v1/projects")
    assert r.status_code == 422


async def test_huge_bodies_are_413(owner_client, settings):
    huge = b'{"title": "' + b"x" * (settings.max_body_bytes + 10) + b'"}'
    r = await owner_client.post("/api/v1/projects", content=huge, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large", r.text
    assert r.headers["x-request-id"]

    async def chunks():  # no Content-Length: the limit applies while reading
        yield b'{"title": "'
        for _ in range(settings.max_body_bytes // 65536 + 2):
            yield b"y" * 65536
        yield b'"}'

    r = await owner_client.post("/api/v1/projects", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large", r.text
    assert (await owner_client.get("/api/v1/projects", params={"limit": 100})).json()["total"] == 3


async def test_largest_legal_body_is_accepted(owner_client):
    body = "ü" * 100_000  # 200 kB of UTF-8, at the field's limit
    r = await owner_client.post("/api/v1/posts", json={"title": "Long", "body": body})
    assert r.status_code == 201 and len(r.json()["body"]) == 100_000


@pytest.mark.parametrize("title", [
    "Robert'); DROP TABLE projects;--",
    "1' OR '1'='1",
    "Zürich Señor Café ☕ 🦘",
    "שלום עולם مرحبا",  # right-to-left
    "e\u0301\u0301\u0301 combining",
    "\u200b\u200dzero width\ufeff",
    "𝕌𝕟𝕚𝕔𝕠𝕕𝕖 \U0010ffff",
    "<script>alert(1)</script>",
])
async def test_odd_text_round_trips_verbatim(owner_client, anon, title):
    r = await owner_client.post("/api/v1/projects", json={"title": title, "summary": title, "tags": [title[:60]]})
    assert r.status_code == 201, r.text
    item = r.json()
    assert item["title"] == title.strip() and item["summary"] == title
    got = (await anon.get(f"/api/v1/projects/{item['slug']}")).json()
    assert got["title"] == title.strip()
    assert (await anon.get("/api/v1/projects", params={"tag": title[:60].strip()})).json()["total"] == 1
    # The table is intact.
    assert (await owner_client.get("/api/v1/projects", params={"limit": 100})).json()["total"] == 4


async def test_sql_looking_filters_are_plain_values(anon):
    for value in ["' OR 1=1 --", "rust'; DELETE FROM projects; --", "%", "_"]:
        r = await anon.get("/api/v1/projects", params={"tag": value, "tech": value})
        assert r.status_code == 200 and r.json()["total"] == 0
    assert (await anon.get("/api/v1/projects")).json()["total"] == 2
