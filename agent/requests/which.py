"""A second look at the item a request is about, when the message does not name it by a word of its
title: the reading's target and the closest items by search are shown as a short list, and the model picks
one (or none) under a grammar. The target stands only when the two readings agree; this works in any
language, where a word match or an English search would not."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from agent.reading import ReadFailed, catalogue_lines, read_structured
from agent.turn import LLM_ERRORS
from folio import prompts
from folio.services.catalogue import Record

NONE = "none"


def _schema(keys: list[str]) -> dict:
    return {"type": "object", "properties": {"item": {"type": "string", "enum": [*keys, NONE]}},
            "required": ["item"], "additionalProperties": False}


async def pick(reader: BaseChatModel, message: str, candidates: list[Record]) -> str | None:
    """The key of the candidate the message is about; None when it is none of them or the model can't say."""
    keys = [r.key for r in candidates]
    try:
        data = await read_structured(reader, prompts.OWNER_WHICH_PROMPT.format(items=catalogue_lines(candidates)),
                                     prompts.OWNER_READ_INPUT.format(draft="", message=message[:4000]),
                                     "owner_which", _schema(keys))
    except (ReadFailed, *LLM_ERRORS):
        return None
    return data.get("item") if data.get("item") in keys else None
