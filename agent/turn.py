"""One chat turn as a stream of UI-neutral events, from the agent's astream.

`agent.astream(stream_mode=["messages", "updates"])` gives model tokens (messages) and each node's
result (updates). Tokens are passed on as they come, except text that may turn out to be a tool call
written as JSON (small models do that): it is held back until the model call ends, so raw JSON never
reaches the visitor. The Final event carries the authoritative answer (after tool-call recovery and
citation checks), which may differ from the streamed tokens.

Everything a turn yields for display has been through agent/safe_markdown.py first (for the owner as
for visitors): tokens through a StreamGuard, tool outputs and the final answer through `sanitize`,
links allowed only to the app's own pages and to URLs this turn's tools returned.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import openai
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langgraph.graph.state import CompiledStateGraph

from agent.recovery import looks_like_tool_call
from agent.safe_markdown import LinkPolicy, StreamGuard, sanitize

# The chat model server is down, overloaded or answered with an error.
LLM_ERRORS: tuple[type[BaseException], ...] = (openai.APIError, httpx.HTTPError)
DECIDE_AFTER = 12  # non-blank characters seen before deciding whether streamed text is a tool call


@dataclass(frozen=True)
class Token:
    text: str


@dataclass(frozen=True)
class ToolStart:
    call_id: str
    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class ToolEnd:
    call_id: str
    name: str
    output: str
    is_error: bool = False


@dataclass(frozen=True)
class Final:
    text: str


TurnEvent = Token | ToolStart | ToolEnd | Final


class _Holdback:
    """Per model call: release text unless it starts like a tool call."""

    def __init__(self) -> None:
        self.buffer: dict[str, str] = {}
        self.decided: dict[str, bool] = {}  # message id -> streaming released

    def feed(self, message_id: str, text: str) -> str:
        if self.decided.get(message_id):
            return text
        if message_id in self.decided:  # held: a tool call, or shown only through Final
            return ""
        pending = self.buffer.get(message_id, "") + text
        stripped = pending.lstrip()
        if stripped and (len(stripped) >= DECIDE_AFTER or not looks_like_tool_call(stripped)):
            self.decided[message_id] = not looks_like_tool_call(stripped)
            self.buffer.pop(message_id, None)
            return pending if self.decided[message_id] else ""
        self.buffer[message_id] = pending
        return ""


async def run_turn(agent: CompiledStateGraph, text: str, thread_id: str,
                   config: dict[str, Any] | None = None) -> AsyncIterator[TurnEvent]:
    """Send `text` as the user's next message in `thread_id` and yield what happens."""
    holdback = _Holdback()
    policy = LinkPolicy()
    guard = StreamGuard(policy)
    names: dict[str, str] = {}
    final: str | None = None
    run_config = {**(config or {}), "configurable": {**(config or {}).get("configurable", {}),
                                                     "thread_id": thread_id}}
    # The thread's checkpoint is written once, when the turn ends (or fails, or is interrupted), not after
    # every step: a turn is one unit for the chat (issue #13: ~15 statements a turn became 3).
    async for mode, payload in agent.astream({"messages": [HumanMessage(text)]}, config=run_config,
                                             stream_mode=["messages", "updates"],
                                             **({"durability": "exit"} if agent.checkpointer else {})):
        if mode == "messages":
            chunk, meta = payload
            if (meta.get("langgraph_node") == "model" and isinstance(chunk, AIMessageChunk)
                    and isinstance(chunk.content, str) and chunk.content):
                released = guard.feed(holdback.feed(chunk.id or "", chunk.content))
                if released:
                    yield Token(released)
            continue
        for node, update in (payload or {}).items():
            for message in (update or {}).get("messages", []) if isinstance(update, dict) else []:
                if isinstance(message, AIMessage) and node == "model":
                    for call in message.tool_calls:
                        names[call["id"]] = call["name"]
                        yield ToolStart(call["id"], call["name"], call["args"])
                    if not message.tool_calls:
                        final = message.text if not isinstance(message.content, str) else message.content
                elif isinstance(message, ToolMessage):
                    output = message.content if isinstance(message.content, str) else message.text
                    policy.add_tool_output(output)
                    yield ToolEnd(message.tool_call_id, names.get(message.tool_call_id, message.name or "tool"),
                                  sanitize(output, policy), message.status == "error")
    if rest := guard.flush():
        yield Token(rest)
    if final is not None:
        yield Final(sanitize(final, policy))
