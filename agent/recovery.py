"""Tool calls from small models, made safe.

Small local models (Qwen2.5-Coder-1.5B on llama-server) write tool calls as JSON in the message
content (bare, fenced, or in <tool_call> tags) instead of `tool_calls`. This middleware:

- turns tool-shaped JSON content into real tool calls, but only for tools bound to this request
  (a no-op when the server already returns `tool_calls`, as vLLM with a tool parser does);
- drops tool calls naming tools this conversation does not have (a visitor's agent has no write
  tools) and answers with a polite refusal instead, so nothing unbound ever runs;
- after `max_tool_rounds` rounds of tool calls in a turn, asks the model again with no tools bound,
  so it has to answer from the results (one hop by default); if it still writes a tool call, it
  is nudged once, then a fixed message is shown instead of raw JSON.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.messages.tool import ToolCall

from agent.state import tool_rounds
from folio import prompts

_FENCE = re.compile(r"```(?:json|tool_call|tool)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)
_TAGGED = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.DOTALL | re.IGNORECASE)


def _json_values(text: str) -> list[Any]:
    """Every JSON value that makes up `text` (fences and <tool_call> tags unwrapped), or [] when
    the text is anything but JSON."""
    text = text.strip()
    if not text:
        return []
    for pattern in (_TAGGED, _FENCE):
        blocks = pattern.findall(text)
        if blocks and not pattern.sub("", text).strip():
            return [v for block in blocks for v in _json_values(block)]
    decoder = json.JSONDecoder()
    values, index = [], 0
    while index < len(text):
        try:
            value, end = decoder.raw_decode(text, index)
        except ValueError:
            return []
        values.append(value)
        index = end
        while index < len(text) and text[index] in " \t\r\n,;":
            index += 1
    return values


def _as_call(value: Any) -> tuple[str, dict[str, Any]] | None:
    """(name, arguments) when `value` has the shape of a tool call."""
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("function"), dict):  # OpenAI's {"type": "function", "function": {...}}
        value = value["function"]
    name = value.get("name") or value.get("tool") or value.get("tool_name")
    if not isinstance(name, str) or not name:
        return None
    args = next((value[k] for k in ("arguments", "parameters", "args", "tool_input", "input") if k in value), {})
    if isinstance(args, str):
        try:
            args = json.loads(args) if args.strip() else {}
        except ValueError:
            return None
    if not isinstance(args, dict):
        return None
    extra = set(value) - {"name", "tool", "tool_name", "arguments", "parameters", "args", "tool_input", "input",
                          "type", "id"}
    return None if extra else (name, args)


def tool_calls_in_content(content: Any) -> list[tuple[str, dict[str, Any]]] | None:
    """The tool calls a message's content consists of, or None when it is not (only) tool calls."""
    if not isinstance(content, str):
        return None
    values = _json_values(content)
    flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
    calls = [_as_call(v) for v in flat]
    if not calls or any(c is None for c in calls):
        return None
    return calls  # type: ignore[return-value]


def looks_like_tool_call(text: str) -> bool:
    """Could this (possibly partial) streamed content turn out to be a tool call? Used to hold back
    tokens from the chat until the message is complete."""
    start = text.lstrip()[:12].lower()
    return bool(start) and (start.startswith(("{", "[", "```", "<tool")) or "<tool_call>".startswith(start))


def _names(tools: Iterable[Any]) -> set[str]:
    return {t.name if hasattr(t, "name") else t.get("function", {}).get("name", t.get("name")) for t in tools}


def _replace(message: AIMessage, *, content: str = "", tool_calls: list[ToolCall] | None = None) -> AIMessage:
    return AIMessage(content=content, tool_calls=tool_calls or [], id=message.id, name=message.name,
                     response_metadata=message.response_metadata, usage_metadata=message.usage_metadata)


class ToolCallRecovery(AgentMiddleware):
    """See the module docstring. `known_tools` are all tools of this conversation's agent."""

    def __init__(self, known_tools: Iterable[Any], max_tool_rounds: int = 1):
        super().__init__()
        self.known = _names(known_tools)
        self.max_tool_rounds = max_tool_rounds

    async def awrap_model_call(self, request: ModelRequest,
                               handler: Callable[[ModelRequest], Awaitable[ModelResponse]]) -> ModelResponse:
        exhausted = tool_rounds(request.state["messages"]) >= self.max_tool_rounds
        if exhausted:
            request = request.override(tools=[], tool_choice=None)
        bound = _names(request.tools)
        response = await handler(request)
        fixed, retry = self.repair(_last_ai(response), bound, exhausted)
        if retry:
            nudged = request.override(messages=[*request.messages, HumanMessage(prompts.ANSWER_NOW)])
            response = await handler(nudged)
            fixed, _ = self.repair(_last_ai(response), bound, exhausted)
            if tool_calls_in_content(fixed.content) is not None:
                fixed = _replace(fixed, content=prompts.NO_ANSWER_AFTER_TOOLS)
        return ModelResponse(result=[fixed], structured_response=response.structured_response)

    def repair(self, message: AIMessage, bound: set[str], exhausted: bool) -> tuple[AIMessage, bool]:
        """(the message to keep, whether to ask again). Unbound tools never come out as tool calls."""
        if message.tool_calls:
            allowed = [c for c in message.tool_calls if c["name"] in bound]
            if len(allowed) == len(message.tool_calls):
                return message, False
            if allowed:
                return _replace(message, content=_text(message), tool_calls=allowed), False
            return self._unbound(message, [c["name"] for c in message.tool_calls], exhausted)
        calls = tool_calls_in_content(message.content)
        if calls is None:
            return message, False
        if all(name in bound for name, _ in calls):
            return _replace(message, tool_calls=[
                ToolCall(name=name, args=args, id="call_" + uuid.uuid4().hex[:16], type="tool_call")
                for name, args in calls]), False
        return self._unbound(message, [name for name, _ in calls], exhausted)

    def _unbound(self, message: AIMessage, names: list[str], exhausted: bool) -> tuple[AIMessage, bool]:
        if exhausted and all(name in self.known for name in names):
            # A tool it had, after its last round: it must answer from what it has.
            return _replace(message, content=prompts.NO_ANSWER_AFTER_TOOLS), True
        return _replace(message, content=prompts.TOOL_NOT_AVAILABLE), False


def _text(message: AIMessage) -> str:
    return message.content if isinstance(message.content, str) else message.text


def _last_ai(response: ModelResponse) -> AIMessage:
    for message in reversed(response.result):
        if isinstance(message, AIMessage):
            return message
    raise ValueError("the model returned no AI message")
