"""A second look at the readings a small model gets wrong most: "how many ..." read as a count of items
when it asks for a number written in one item's text ("how many users does X serve?"), a length of time
("how many years ...") or the first or last of several ("which is the oldest ..."); a list about a named
item ("what's most like X?");
a first or last read with no order (by start, length or end?); a detail of a named item that is one of
its fields (its stack, its tags, its dates), not a passage of its text; and "how long ..."
about an item read as the item's own duration when it asks for a time written in its text ("how long
does its nightly job take?"). Those readings are asked again, as a choice, under a grammar. Any other
query is kept as read."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from langchain_core.language_models import BaseChatModel

from agent.answering.query import Query
from agent.reading import ReadFailed, read_structured
from agent.turn import LLM_ERRORS
from folio import prompts

# choice -> (intent, order)
COUNT = {"how_many_items": ("count", "none"), "number_in_text": ("detail", "none"),
         "length_of_time": ("duration", "none"), "oldest": ("compare", "oldest"), "newest": ("compare", "newest"),
         "longest": ("compare", "longest"), "shortest": ("compare", "shortest")}
DURATION = {"how_long_it_lasted": ("duration", "none"), "time_in_text": ("detail", "none")}
ORDER = {"started_first": ("compare", "oldest"), "started_last": ("compare", "newest"),
         "lasted_longest": ("compare", "longest"), "lasted_shortest": ("compare", "shortest"),
         "ends_first": ("compare", "ends_first"), "ends_last": ("compare", "ends_last")}
DETAIL = {"written_in_its_text": ("detail", "none"), "the_items_facts": ("describe", "none")}
NAMED_LIST = {"about_the_item": ("describe", "none"), "items_like_it": ("similar", "none"),
              "list_of_items": ("list", "none")}


def _schema(choices: dict) -> dict:
    asks: dict[str, dict[str, Any]] = {"asks": {"type": "string", "enum": list(choices)}}
    if choices is ORDER:  # what decides it first (a start, an end, a length): the small model picks better so
        asks = {"decided_by": {"type": "string", "maxLength": 40}, **asks}
    return {"type": "object", "properties": asks, "required": list(asks), "additionalProperties": False}


def unsettled(q: Query) -> bool:
    """A count (filtered or not: "of the done ones, which ran longest?" is read as a count as often
    as "how many years ..."), the duration or an unfiltered list of named items, a first-or-last by no
    order (or a certification's by anything but its expiry), a detail of a named item, or a list filtered
    by the terms of the one item the question names."""
    bare = not (q.terms or q.unknown or q.property != "none" or q.year)
    return (q.intent == "count" or (bare and q.intent in ("duration", "list") and bool(q.items))
            or (q.intent == "compare" and (q.order == "none"  # first or last by what?
                                           or (q.kinds == ("certification",)  # by start, length or expiry?
                                               and not q.order.startswith("ends_"))))
            or (q.intent == "detail" and bool(q.items) and q.property == "none")  # a field, or its text?
            or (q.intent == "list" and len(q.items) == 1 and bool(q.terms)  # filtered by its one item's terms?
                and q.items[0] in q.extra.get("named", ())))


async def settle(reader: BaseChatModel, question: str, q: Query) -> Query:
    choices, prompt = {"count": (COUNT, prompts.SETTLE_COUNT_PROMPT),
                       "duration": (DURATION, prompts.SETTLE_DURATION_PROMPT),
                       "list": (NAMED_LIST, prompts.SETTLE_LIST_PROMPT),
                       "compare": (ORDER, prompts.SETTLE_ORDER_PROMPT),
                       "detail": (DETAIL, prompts.SETTLE_DETAIL_PROMPT)}[q.intent]
    try:
        data = await read_structured(reader, prompt, prompts.SETTLE_INPUT.format(
            question=question[:1000], search=q.search), "visitor_settle", _schema(choices))
    except (ReadFailed, *LLM_ERRORS):
        return q
    intent, order = choices.get(data.get("asks"), (q.intent, q.order))
    return replace(q, intent=intent, order=order if order != "none" else q.order)
