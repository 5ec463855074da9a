"""folio as an MCP server at /mcp (streamable HTTP, the `mcp` SDK's FastMCP), in the same app.

Never name a folio package `mcp`: it would shadow the SDK. Stateless HTTP with JSON responses: every
request stands alone, so any worker of any process can answer it and nothing is kept between calls
(the proposed changes live in the database). The SDK's session manager needs its own task group: the
app's lifespan runs it (mcp_lifespan)."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from mcp.server.fastmcp.server import StreamableHTTPASGIApp
from mcp.server.transport_security import TransportSecuritySettings
from starlette.routing import Route

from api.mcp_server.identity import Authenticated, McpRateLimit
from api.mcp_server.owner_tools import register_owner_tools
from api.mcp_server.prompts import register_prompts
from api.mcp_server.read_tools import register_read_tools
from api.mcp_server.server import FolioMCP
from folio import prompts
from folio.settings import Settings

MCP_PATH = "/mcp"


def build_mcp(app: FastAPI, settings: Settings) -> FolioMCP:
    owner_tools: set[str] = set()
    server = FolioMCP(
        "folio", instructions=prompts.MCP_INSTRUCTIONS, owner_tools=owner_tools,
        limiter=McpRateLimit(app.state, settings.chat_ip_messages, settings.chat_rate_window), app_state=app.state,
        stateless_http=True, json_response=True, log_level=settings.log_level,
        max_request_body_size=settings.max_body_bytes,
        # Host/Origin checks are for servers on localhost; folio faces the internet behind its own auth.
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False))
    register_read_tools(server, app.state)
    owner_tools |= register_owner_tools(server, app.state)
    register_prompts(server)
    return server


def mount_mcp(app: FastAPI, settings: Settings) -> FolioMCP:
    """Add POST/GET/DELETE /mcp to the app; run `mcp_lifespan(server)` inside the app's lifespan."""
    server = build_mcp(app, settings)
    server.streamable_http_app()  # creates the session manager (one per server; it runs once)
    endpoint = Authenticated(StreamableHTTPASGIApp(server.session_manager), app.state)
    app.router.routes.append(Route(MCP_PATH, endpoint=endpoint, methods=["GET", "POST", "DELETE"],
                                   include_in_schema=False))
    app.state.mcp = server
    return server


@asynccontextmanager
async def mcp_lifespan(app: FastAPI):
    """Run the SDK's session manager (an anyio task group) in a task of its own, so that it is entered
    and left in the same task whichever tasks start and stop the app (test fixtures do both)."""
    server: Any = getattr(app.state, "mcp", None)
    if server is None:
        yield
        return
    ready, stop = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with server.session_manager.run():
            ready.set()
            await stop.wait()

    task = asyncio.create_task(hold(), name="folio-mcp-sessions")
    waiting = asyncio.create_task(ready.wait())
    await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        waiting.cancel()
        task.result()  # raises what stopped it
    try:
        yield
    finally:
        stop.set()
        await task
