"""One streamed, grammar-constrained model call: the reply is JSON under the schema (as in
agent/reading/structured.py), read as it arrives (partial_json) so each step can show its words at once,
and stopped early when a guard says the model is looping. Whether the reply was cut off (its token
budget ran out, or the guard stopped it) comes back with the value: the caller finishes or drops what was
cut."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from openai import LengthFinishReasonError

from agent.drafting.partial_json import partial_json
from agent.reading.structured import ReadFailed, response_format

log = logging.getLogger(__name__)

OnValue = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class Streamed:
    value: dict[str, Any]
    cut_off: bool  # stopped by the token budget or the guard: the last string may be cut mid-sentence


async def stream_structured(model: BaseChatModel, system: str, message: str, name: str, schema: dict[str, Any],
                            on_value: OnValue | None = None,
                            stop: Callable[[dict[str, Any]], bool] | None = None) -> Streamed:
    text, finish, stopped = "", None, False
    try:
        async for chunk in model.astream([SystemMessage(system), HumanMessage(message)],
                                         response_format=response_format(name, schema)):
            finish = (chunk.response_metadata or {}).get("finish_reason") or finish
            piece = chunk.content if isinstance(chunk.content, str) else chunk.text
            if not piece:
                continue
            text += piece
            value = partial_json(text)
            if not isinstance(value, dict):
                continue
            if on_value is not None:
                await on_value(value)
            if stop is not None and stop(value):
                stopped = True
                break
    except LengthFinishReasonError:  # the client's own parse of a reply cut at its budget: what came is kept
        finish = "length"
    try:
        value, complete = json.loads(text[text.find("{"):text.rfind("}") + 1]), True
    except ValueError:
        value, complete = partial_json(text), False
    if not isinstance(value, dict):
        log.warning("unreadable %s reply: %.200s", name, text)
        raise ReadFailed(name)
    return Streamed(value, cut_off=stopped or not complete or finish == "length")
