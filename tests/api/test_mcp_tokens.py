"""`folio token create|list|revoke` as a real process; an API token opens the owner's MCP tools until revoked."""

from __future__ import annotations

import httpx
import pytest
from testkit.live_server import LiveServer
from testkit.mcp_client import mcp_session, payload
from testkit.procs import folio_env, run_folio

from launch.composition import build_app

INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}


@pytest.fixture
def cli_env(pg, api_db_url):
    name = api_db_url.split("@/", 1)[1].split("?", 1)[0]
    return folio_env(FOLIO_DATABASE_URL=pg.libpq_url(name), FOLIO_SEED_DEMO="false")


async def test_api_token_lifecycle(settings, api_db_url, cli_env):
    created = run_folio("token", "create", "--name", "claude-desktop", env=cli_env)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("folio_") and len(token) > 40 and "shown once" in created.stderr
    again = run_folio("token", "create", "--name", "claude-desktop", env=cli_env)
    assert again.returncode == 2 and "already exists" in again.stderr

    with LiveServer(build_app(settings, api_db_url)) as server:
        async with mcp_session(server, token) as mcp:
            names = {t.name for t in (await mcp.list_tools()).tools}
            assert {"propose_create", "confirm_change"} <= names
            proposal = payload(await mcp.call_tool("propose_create", {"kind": "post", "fields": {
                "title": "Hello from an MCP client", "body": "Written through /mcp."}}))
            assert proposal["fields"]["slug"] == "hello-from-an-mcp-client" and proposal["fields"]["status"] == "draft"
            assert payload(await mcp.call_tool("confirm_change", {"change_id": proposal["change_id"]}))["status"] \
                == "applied"

        listed = run_folio("token", "list", env=cli_env)
        assert listed.returncode == 0, listed.stderr
        assert "claude-desktop" in listed.stdout and token[:12] in listed.stdout and "never" not in listed.stdout
        assert token not in listed.stdout  # the secret itself is never shown again

        revoked = run_folio("token", "revoke", "claude-desktop", env=cli_env)
        assert revoked.returncode == 0 and "revoked 1" in revoked.stderr
        async with httpx.AsyncClient(base_url=server.base_url) as http:
            response = await http.post("/mcp", json=INIT, headers={
                "Accept": "application/json, text/event-stream", "Authorization": f"Bearer {token}"})
        assert response.status_code == 401 and "revoked" in response.json()["error"]["message"]

    missing = run_folio("token", "revoke", "claude-desktop", env=cli_env)
    assert missing.returncode == 2 and "no live token" in missing.stderr
