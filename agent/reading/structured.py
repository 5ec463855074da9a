"""One grammar-constrained model call: the reply is JSON under the given schema (llama-server turns the
schema into a grammar; vLLM applies it as guided decoding), parsed and returned as a dict."""

from __future__ import annotations

import json
import logging
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from openai import LengthFinishReasonError

log = logging.getLogger(__name__)


class ReadFailed(Exception):
    """The model's reply was not JSON under the schema (a server without grammar support, or a reply cut
    at its token budget)."""


def response_format(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "json_schema", "json_schema": {"name": name, "strict": True, "schema": schema}}


async def read_structured(model: BaseChatModel, system: str, message: str, name: str,
                          schema: dict[str, Any]) -> dict[str, Any]:
    try:
        reply = await model.ainvoke([SystemMessage(system), HumanMessage(message)],
                                    response_format=response_format(name, schema))
    except LengthFinishReasonError as exc:  # the token budget ran out inside the JSON: no reading
        log.warning("%s reply cut at its token budget", name)
        raise ReadFailed(name) from exc
    content = reply.content if isinstance(reply.content, str) else reply.text
    try:
        data = json.loads(_json_part(content))
    except ValueError as exc:
        log.warning("unreadable %s reply: %.200s", name, content)
        raise ReadFailed(name) from exc
    if not isinstance(data, dict):
        raise ReadFailed(name)
    return data


def _json_part(content: str) -> str:
    """The JSON object in the reply (a server that ignores the grammar may fence it)."""
    start, end = content.find("{"), content.rfind("}")
    return content[start:end + 1] if 0 <= start < end else content
