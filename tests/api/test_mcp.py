"""/mcp with the `mcp` SDK's own client over real HTTP against a running folio (uvicorn on a free port)."""

from __future__ import annotations

import httpx
import pytest
from testkit.api import OWNER_EMAIL, OWNER_PASSWORD
from testkit.live_server import LiveServer
from testkit.mcp_client import mcp_session, payload

from launch.composition import build_app

READ_TOOLS = {"search_portfolio", "get_item", "list_items", "leave_contact_details", "search", "fetch"}
OWNER_TOOLS = {"propose_create", "propose_update", "propose_delete", "propose_publish", "confirm_change",
               "cancel_change"}


@pytest.fixture
def server(settings, api_db_url):
    with LiveServer(build_app(settings, api_db_url)) as live:
        yield live


async def owner_token(server: LiveServer) -> str:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.post("/api/v1/auth/login", json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
    assert response.status_code == 200
    return response.json()["access_token"]


async def test_anonymous_tools_cited_search_resources_and_prompts(server):
    async with mcp_session(server) as mcp:
        tools = {t.name for t in (await mcp.list_tools()).tools}
        assert tools == READ_TOOLS
        found = payload(await mcp.call_tool("search_portfolio", {"query": "static site linter written in Rust"}))
        first = found["results"][0]
        assert first["slug"] == "glint" and first["title"] == "Glint"
        assert first["url"] == f"{server.base_url}/api/v1/projects/glint" and first["uri"] == "folio://projects/glint"
        assert found["weak"] is False
        assert payload(await mcp.call_tool("search_portfolio", {"query": "capital of France"}))["weak"] is True
        assert all(r["slug"] != "secret-lab" for r in
                   payload(await mcp.call_tool("search_portfolio", {"query": "hidden rust work", "limit": 10}))["results"])

        uris = {str(r.uri) for r in (await mcp.list_resources()).resources}
        assert {"folio://projects/glint", "folio://posts/hnsw-in-pgvector",
                "folio://certifications/aws-solutions-architect"} <= uris
        assert "folio://projects/secret-lab" not in uris and "folio://posts/draft-notes" not in uris
        read = await mcp.read_resource("folio://projects/glint")
        text = read.contents[0].text
        assert read.contents[0].mimeType == "text/markdown"
        assert text.startswith("---\n") and "title: Glint" in text and "Glint lints static sites in Rust." in text
        with pytest.raises(Exception, match="no project with slug 'secret-lab'"):
            await mcp.read_resource("folio://projects/secret-lab")
        templates = {t.uriTemplate for t in (await mcp.list_resource_templates()).resourceTemplates}
        assert "folio://projects/{slug}" in templates

        item = await mcp.call_tool("get_item", {"kind": "post", "slug": "draft-notes"})
        assert item.isError and "no post with slug 'draft-notes'" in item.content[0].text
        listed = payload(await mcp.call_tool("list_items", {"kind": "project"}))
        assert {i["slug"] for i in listed["items"]} == {"glint", "tide-gauge"} and listed["total"] == 2

        fetched = payload(await mcp.call_tool("fetch", {"id": first["uri"]}))
        assert fetched["title"] == "Glint" and "tech_stack:" in fetched["text"]

        names = {p.name for p in (await mcp.list_prompts()).prompts}
        assert names == {"summarise_for_role", "fit_for_job"}
        prompt = await mcp.get_prompt("summarise_for_role", {"role": "Rust backend engineer"})
        assert "Rust backend engineer" in prompt.messages[0].content.text


async def test_anonymous_writes_are_refused_and_nothing_changes(server):
    async with mcp_session(server) as mcp:
        created = await mcp.call_tool("propose_create", {"kind": "project", "fields": {"title": "Pwned"}})
        assert created.isError and "permission denied" in created.content[0].text
        confirm = await mcp.call_tool("confirm_change", {"change_id": "00000000-0000-0000-0000-000000000000"})
        assert confirm.isError and "permission denied" in confirm.content[0].text
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        assert (await http.get("/api/v1/projects/pwned")).status_code == 404


async def test_owner_proposes_then_confirms_once_and_a_replay_is_refused(server):
    token = await owner_token(server)
    async with mcp_session(server, token) as mcp:
        tools = {t.name for t in (await mcp.list_tools()).tools}
        assert tools == READ_TOOLS | OWNER_TOOLS
        # The owner sees drafts too.
        assert payload(await mcp.call_tool("list_items", {"kind": "project"}))["total"] == 3

        proposal = payload(await mcp.call_tool("propose_update", {
            "kind": "project", "slug": "glint", "fields": {"summary": "A very fast static site linter."}}))
        assert proposal["diff"] == [{"field": "summary", "before": "A fast static site linter.",
                                     "after": "A very fast static site linter."}]
        assert "| summary | A fast static site linter. | A very fast static site linter. |" in proposal["preview"]
        async with httpx.AsyncClient(base_url=server.base_url) as http:
            before = (await http.get("/api/v1/projects/glint")).json()
        assert before["summary"] == "A fast static site linter."  # proposing wrote nothing

        applied = payload(await mcp.call_tool("confirm_change", {"change_id": proposal["change_id"]}))
        assert applied["status"] == "applied" and applied["slug"] == "glint"
        replay = await mcp.call_tool("confirm_change", {"change_id": proposal["change_id"]})
        assert replay.isError and "already confirmed" in replay.content[0].text

        bad = await mcp.call_tool("propose_create", {"kind": "project", "fields": {"summary": "no title"}})
        assert bad.isError and "missing required field(s): title" in bad.content[0].text
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        assert (await http.get("/api/v1/projects/glint")).json()["summary"] == "A very fast static site linter."


async def test_bad_credentials_get_401_before_any_mcp_work(server):
    body = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
    headers = {"Accept": "application/json, text/event-stream"}
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        for auth in ("Bearer not-a-token", "Bearer folio_revoked-or-unknown", "Basic abc"):
            response = await http.post("/mcp", json=body, headers={**headers, "Authorization": auth})
            assert response.status_code == 401, auth
            assert response.json()["error"]["code"] == "unauthenticated"
        ok = await http.post("/mcp", json=body, headers=headers)
        assert ok.status_code == 200 and ok.json()["result"]["serverInfo"]["name"] == "folio"


async def test_anonymous_calls_share_the_visitor_chats_per_ip_budget(settings, api_db_url):
    limited = settings.model_copy(update={"chat_ip_messages": 3, "chat_rate_window": 600})
    with LiveServer(build_app(limited, api_db_url)) as live:
        async with mcp_session(live) as mcp:
            for _ in range(3):
                payload(await mcp.call_tool("list_items", {"kind": "post"}))
            refused = await mcp.call_tool("search_portfolio", {"query": "rust"})
            assert refused.isError and "too many messages" in refused.content[0].text
            with pytest.raises(Exception, match="too many messages"):
                await mcp.read_resource("folio://projects/glint")
        async with mcp_session(live, await owner_token(live)) as mcp:  # the owner is not limited
            for _ in range(5):
                payload(await mcp.call_tool("list_items", {"kind": "post"}))


async def test_oversized_or_malformed_arguments_are_tool_errors_not_crashes(server):
    async with mcp_session(server) as mcp:
        long = await mcp.call_tool("search_portfolio", {"query": "x" * 1001})
        assert long.isError
        bad_kind = await mcp.call_tool("get_item", {"kind": "user", "slug": "glint"})
        assert bad_kind.isError
        bad_slug = await mcp.call_tool("get_item", {"kind": "project", "slug": "../etc/passwd"})
        assert bad_slug.isError
        with pytest.raises(Exception, match="unknown resource"):
            await mcp.read_resource("folio://users/admin")
        still = await mcp.call_tool("get_item", {"kind": "project", "slug": "glint"})
        assert not still.isError and "title: Glint" in still.content[0].text  # the server carries on
