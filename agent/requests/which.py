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
NO_READING: tuple[type[BaseException], ...] = (ReadFailed, *LLM_ERRORS)


def _schema(keys: list[str]) -> dict:
    return {"type": "object", "properties": {"item": {"type": "string", "enum": [*keys, NONE]}},
            "required": ["item"], "additionalProperties": False}


ROLE_RELATIONS = ("by_name", "current_job", "first_job", "previous_job", "unclear")


async def role_by_time(reader: BaseChatModel, message: str, roles: list[Record]) -> Record | None:
    """The job a message points at by time ("the one I have now", "my first one"), read as a relation under
    a grammar and found in code from the dates; None when it names the job or doesn't say."""
    schema = {"type": "object", "properties": {"which": {"type": "string", "enum": list(ROLE_RELATIONS)}},
              "required": ["which"], "additionalProperties": False}
    try:
        data = await read_structured(reader, prompts.OWNER_WHICH_ROLE_PROMPT.format(items=catalogue_lines(roles)),
                                     prompts.OWNER_READ_INPUT.format(draft="", message=message[:4000]),
                                     "owner_which_role", schema)
    except NO_READING:
        return None
    current = [r for r in roles if not r.values.get("ended_on")]
    ended = sorted((r for r in roles if r.values.get("ended_on")), key=lambda r: str(r.values["ended_on"]))
    started = sorted((r for r in roles if r.values.get("started_on")), key=lambda r: str(r.values["started_on"]))
    relation = data.get("which")
    if relation == "current_job" and len(current) == 1:
        return current[0]
    if relation == "first_job" and started:
        return started[0]
    if relation == "previous_job" and ended:
        return ended[-1]
    return None


async def pick(reader: BaseChatModel, message: str, candidates: list[Record]) -> str | None:
    """The key of the candidate the message is about; None when it is none of them or the model can't say."""
    keys = [r.key for r in candidates]
    try:
        data = await read_structured(reader, prompts.OWNER_WHICH_PROMPT.format(items=catalogue_lines(candidates)),
                                     prompts.OWNER_READ_INPUT.format(draft="", message=message[:4000]),
                                     "owner_which", _schema(keys))
    except NO_READING:
        return None
    return data.get("item") if data.get("item") in keys else None
