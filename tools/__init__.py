"""The agent's tools: thin adapters over service calls, chosen from the authenticated actor.

`tools_for(ctx)` is the one place that decides which tools a conversation has: a visitor's agent gets
the read tools and the tools that leave something for the owner (write tools do not exist in it); the
owner's gets the read tools plus OWNER_TOOLSETS (proposing changes, reading the inbox). Services
re-check permissions anyway.
"""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.tools import BaseTool

from tools.context import ToolContext
from tools.inbox import inbox_tools
from tools.owner import owner_tools
from tools.read import read_tools

Toolset = Callable[[ToolContext], list[BaseTool]]

READ_TOOLSETS: list[Toolset] = [read_tools]
VISITOR_TOOLSETS: list[Toolset] = [inbox_tools]  # leave a question or contact details for the owner
# The owner's tools: proposing content changes (applied only on Confirm) and reading the inbox.
OWNER_TOOLSETS: list[Toolset] = [owner_tools]


def tools_for(ctx: ToolContext) -> list[BaseTool]:
    toolsets = READ_TOOLSETS + (OWNER_TOOLSETS if ctx.actor.is_owner else VISITOR_TOOLSETS)
    tools = [tool for make in toolsets for tool in make(ctx)]
    names = [t.name for t in tools]
    if len(names) != len(set(names)):
        raise RuntimeError(f"duplicate tool names: {names}")
    return tools


__all__ = ["OWNER_TOOLSETS", "READ_TOOLSETS", "VISITOR_TOOLSETS", "ToolContext", "tools_for"]
