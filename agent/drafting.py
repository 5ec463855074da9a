"""Drafting posts in the owner's chat: which step the owner asked for (a structured-output call, which
small local models follow reliably, unlike free tool calls). Writing and revising the draft is the
writing assistant's job (folio.services.writer, shared with REST); its names are re-exported here for
the chat."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from folio import prompts
from folio.services.draft_text import (Goals, code_blocks, draft_markdown, draft_view, enforce, goals_of,
                                       has_code, parse_draft, trim_to, word_count)
from folio.services.drafts import Draft
from folio.services.writer import compose, writer_messages_new, writer_messages_revise

INTENTS = ("new_draft", "revise_draft", "save_draft", "publish_draft", "discard_draft", "other")
ROUTER_SCHEMA = {
    "type": "json_schema",
    "json_schema": {
        "name": "owner_intent",
        "strict": True,
        "schema": {
            "type": "object",
            "properties": {"intent": {"type": "string", "enum": list(INTENTS)}, "topic": {"type": "string"}},
            "required": ["intent", "topic"],
            "additionalProperties": False,
        },
    },
}
# Messages that may be about drafting when no draft is open; anything else goes straight to the agent.
_DRAFTING_WORDS = re.compile(r"\b(draft|blog|article|write|writing)\b", re.I)


@dataclass(frozen=True)
class Route:
    intent: str
    topic: str = ""


def may_be_drafting(text: str, draft: Draft | None) -> bool:
    return draft is not None or bool(_DRAFTING_WORDS.search(text))


def parse_route(content: str, has_draft: bool) -> Route:
    """The router's JSON (bare, fenced, or with chatter around it); anything unreadable is "other"."""
    match = re.search(r"\{.*\}", content or "", re.S)
    try:
        data = json.loads(match.group(0)) if match else {}
    except ValueError:
        data = {}
    intent = data.get("intent") if isinstance(data, dict) else None
    topic = data.get("topic") if isinstance(data, dict) else ""
    if intent not in INTENTS or (not has_draft and intent not in ("new_draft", "other")):
        intent = "other"
    return Route(intent, topic.strip() if isinstance(topic, str) else "")


async def route(model: BaseChatModel, text: str, draft: Draft | None) -> Route:
    message = prompts.OWNER_ROUTER_INPUT.format(draft=f"“{draft.title}”" if draft else "none", text=text)
    reply = await model.ainvoke([SystemMessage(prompts.OWNER_ROUTER_SYSTEM_PROMPT), HumanMessage(message)],
                                response_format=ROUTER_SCHEMA)
    return parse_route(reply.content if isinstance(reply.content, str) else reply.text, draft is not None)


__all__ = ["INTENTS", "Draft", "Goals", "Route", "code_blocks", "compose", "draft_markdown", "draft_view", "enforce",
           "goals_of", "has_code", "may_be_drafting", "parse_draft", "parse_route", "route", "trim_to",
           "word_count", "writer_messages_new", "writer_messages_revise"]
