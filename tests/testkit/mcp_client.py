"""The `mcp` SDK's own client over real HTTP (streamable HTTP) against a LiveServer."""

from __future__ import annotations

import json
from contextlib import asynccontextmanager

import httpx
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from testkit.live_server import LiveServer


@asynccontextmanager
async def mcp_session(server: LiveServer, token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(headers=headers, timeout=60) as http:
        async with streamable_http_client(f"{server.base_url}/mcp", http_client=http) as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()
                yield session


def payload(result) -> dict:
    """A successful tool call's JSON result."""
    assert not result.isError, result.content
    return json.loads(result.content[0].text)
