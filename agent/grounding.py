"""Proposals carry only what the owner said. Small models fill every field they know of (a summary, a
start date, a live URL, a credential id) with invented values; this middleware keeps a proposed field
only when its value can be found in the owner's recent messages (or in the content tools showed in this
turn), tells the model which ones it left out, and lets the usual validation ask for a required field
that is then missing. A guard against invention, not a security boundary: the owner still confirms."""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Any

from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain.agents.middleware.types import ToolCallRequest
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage

from folio import prompts

GROUNDED_TOOLS = frozenset({"propose_create", "propose_update"})
RECENT_MESSAGES = 5  # the owner's messages the values may come from
COVERAGE = 0.8  # share of a text value's words the owner must have used
# Yes/no fields: the owner must have used one of these words for a value to be kept.
FLAG_WORDS = {
    "featured": ("featur",),  # feature, featured, featuring
    "published": ("publish", "hide", "hidden", "unpublish", "visible", "public", "private", "draft"),
}
_WORD = re.compile(r"[a-z0-9]+")
_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name} | {
    name.lower(): n for n, name in enumerate(calendar.month_abbr) if name}


def _text(message: AnyMessage) -> str:
    return message.content if isinstance(message.content, str) else message.text


def owner_words(messages: Sequence[AnyMessage]) -> str:
    """What values may come from: the owner's recent messages, and the content the tools showed in this
    turn (fixing a typo in a post rewrites text that came from get_content)."""
    said = [_text(m) for m in messages if isinstance(m, HumanMessage)][-RECENT_MESSAGES:]
    last_human = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    shown = [_text(m) for m in messages[last_human + 1:] if isinstance(m, ToolMessage)]
    return "\n".join(said + shown).lower()


def _bare_url(value: str) -> str:
    return re.sub(r"^[a-z][a-z0-9+.-]*://(www\.)?", "", value.strip().lower()).rstrip("/")


def _said_text(value: str, said: str, words: set[str]) -> bool:
    if re.match(r"^[a-z][a-z0-9+.-]*://|^www\.|^[\w-]+(\.[\w-]+)+/", value.strip().lower()):
        return _bare_url(value) in said
    tokens = _WORD.findall(value.lower())
    if not tokens:
        return False
    return sum(t in words for t in tokens) / len(tokens) >= COVERAGE


def _said_date(value: str, said: str, words: set[str]) -> bool:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return False
    if value in said:
        return True
    months = {str(day.month), f"{day.month:02d}"} | {k for k, n in _MONTHS.items() if n == day.month}
    day_said = str(day.day) in words or f"{day.day:02d}" in words
    month_said = day.day == 1 and bool(re.search(rf"\b{day.year}-{day.month:02d}\b", said))  # "2021-03"
    # A month alone ("March 2021") names its first day, when no day number was said.
    month_only = day.day == 1 and not any(w.isdigit() and 1 <= int(w) <= 31 for w in words)
    return (str(day.year) in words and (day_said or month_only) and bool(months & words)) or month_said


def is_said(field: str, value: Any, said: str) -> bool:
    words = set(_WORD.findall(said))
    if isinstance(value, bool):
        return any(stem in said for stem in FLAG_WORDS.get(field, (field,)))
    if value is None:
        return True  # clearing a field
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, str) and _said_text(v, said, words) for v in value)
    if not isinstance(value, str):
        return False
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return _said_date(value.strip(), said, words)
    return _said_text(value, said, words)


def grounded(fields: dict[str, Any], said: str) -> tuple[dict[str, Any], list[str]]:
    """(the fields whose values the owner said, the names of those left out). List fields keep the
    elements that were said."""
    said = said.lower()
    kept: dict[str, Any] = {}
    left_out: list[str] = []
    words = set(_WORD.findall(said))
    for name, value in fields.items():
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            said_items = [v for v in value if _said_text(v, said, words)]
            if said_items:
                kept[name] = said_items
            if len(said_items) < len(value):
                left_out.append(name)
        elif value == "" or is_said(name, value, said):
            kept[name] = value
        else:
            left_out.append(name)
    return kept, left_out


class OwnerWordsOnly(AgentMiddleware):
    async def awrap_tool_call(self, request: ToolCallRequest,
                              handler: Callable[[ToolCallRequest], Awaitable[Any]]) -> Any:
        call = request.tool_call
        fields = call["args"].get("fields") if isinstance(call.get("args"), dict) else None
        if call["name"] not in GROUNDED_TOOLS or not isinstance(fields, dict):
            return await handler(request)
        kept, left_out = grounded(fields, owner_words(request.state["messages"]))
        result = await handler(request.override(tool_call={**call, "args": {**call["args"], "fields": kept}}))
        if left_out and isinstance(result, ToolMessage) and isinstance(result.content, str):
            note = prompts.GROUNDING_LEFT_OUT.format(fields=", ".join(left_out))
            result = result.model_copy(update={"content": result.content + note})
        return result


_CALL_KEYS = {"name", "arguments", "parameters", "tool", "function", "slug", "kind", "fields"}


def has_raw_call(text: str) -> bool:
    """Does this answer show a tool call (or tool arguments) written as JSON, whole or inside prose?"""
    decoder = json.JSONDecoder()
    for start in (i for i, ch in enumerate(text) if ch == "{"):
        try:
            value, _ = decoder.raw_decode(text, start)
        except ValueError:
            continue
        if isinstance(value, dict) and len(set(value) & _CALL_KEYS) >= 2:
            return True
    return False


class NoRawToolCalls(AgentMiddleware):
    """The owner never sees a tool call as JSON: an answer that still holds one after tool-call recovery
    (a call wrapped in prose, a call to a tool already used up) becomes a question instead."""

    async def awrap_model_call(self, request: ModelRequest,
                               handler: Callable[[ModelRequest], Awaitable[ModelResponse]]) -> ModelResponse:
        response = await handler(request)
        result = []
        for message in response.result:
            if (isinstance(message, AIMessage) and not message.tool_calls and isinstance(message.content, str)
                    and has_raw_call(message.content)):
                message = AIMessage(content=prompts.RAW_CALL_QUESTION, id=message.id,
                                    response_metadata=message.response_metadata)
            result.append(message)
        return ModelResponse(result=result, structured_response=response.structured_response)


def owner_middleware() -> list[AgentMiddleware]:
    return [NoRawToolCalls(), OwnerWordsOnly()]
