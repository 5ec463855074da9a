"""A second look at the one reading a small model gets wrong most: "how many ..." read as a count of
items when it asks for a number written in one item's text ("how many users does X serve?") or for a
length of time ("how many years ..."). A bare count (nothing to filter on) is asked again, as a choice
between those three, under a grammar. Any other query is kept as read."""

from __future__ import annotations

from dataclasses import replace

from langchain_core.language_models import BaseChatModel

from agent.answering.query import Query
from agent.reading import ReadFailed, read_structured
from agent.turn import LLM_ERRORS
from folio import prompts

ASKS = {"how_many_items": "count", "number_in_text": "detail", "length_of_time": "duration"}
SCHEMA = {"type": "object", "properties": {"asks": {"type": "string", "enum": list(ASKS)}},
          "required": ["asks"], "additionalProperties": False}


def unsettled(q: Query) -> bool:
    """A count with nothing to count by: no term, property, time or unknown subject."""
    return q.intent == "count" and not (q.terms or q.unknown or q.property != "none" or q.year)


async def settle(reader: BaseChatModel, question: str, q: Query) -> Query:
    try:
        data = await read_structured(reader, prompts.SETTLE_COUNT_PROMPT, prompts.SETTLE_COUNT_INPUT.format(
            question=question[:1000], search=q.search), "visitor_count", SCHEMA)
    except (ReadFailed, *LLM_ERRORS):
        return q
    intent = ASKS.get(data.get("asks"), "count")
    return q if intent == "count" else replace(q, intent=intent)
