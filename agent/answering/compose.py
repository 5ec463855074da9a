"""Compose the answer from the fact sheet. In English the fact sheet is the answer (lists, counts,
dates and passages written in code, complete). In another language the model phrases the same facts in
the visitor's language, streamed, stopped if it loops, then checked (check.py)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from agent.answering.check import RepetitionGuard
from agent.answering.facts import Facts
from agent.answering.query import Query
from folio import prompts

MAX_TOKENS = 450


def needs_model(q: Query, facts: Facts) -> bool:
    """Another language, and something to say: what the portfolio doesn't show is said in code."""
    return q.language != "en" and facts.answered


def unanswered(q: Query, facts: Facts) -> list[str]:
    """The lines of an answer the data doesn't support, in the visitor's language (code, no model)."""
    if q.intent == "off_topic" and q.language in prompts.OFF_TOPIC_IN:
        return [prompts.OFF_TOPIC_IN[q.language]]
    if q.language not in prompts.NOT_SHOWN_IN or q.language == "en":
        return facts.lines
    bullets = [line for line in facts.lines if line.startswith("- ")]
    return [prompts.NOT_SHOWN_IN[q.language], *([prompts.CLOSEST_IN[q.language], *bullets] if bullets else [])]


def language_name(q: Query) -> str:
    return prompts.LANGUAGE_NAMES.get(q.language, prompts.LANGUAGE_NAMES["other"])


def messages(q: Query, question: str, facts: Facts) -> list:
    passages = "".join(prompts.PASSAGES_HEAD.format(title=p.record.title, passages=p.text) for p in facts.passages)
    language = language_name(q)
    lines = "\n".join(line for line in facts.lines if not line.startswith("> "))
    return [SystemMessage(prompts.COMPOSE_PROMPT.format(language=language)),
            HumanMessage(prompts.COMPOSE_INPUT.format(facts=lines, passages=passages, question=question[:1500],
                                                      language=language))]


_END = re.compile(r"(?<=[.!?。])\s+|\n+")


async def sentences(model: BaseChatModel, q: Query, question: str, facts: Facts) -> AsyncIterator[tuple[str, str]]:
    """The model's phrasing of the facts, one complete sentence (or line) at a time with the break after it,
    so each can be checked before it is shown; stopped when it starts repeating itself."""
    guard, pending = RepetitionGuard(), ""
    async for chunk in model.astream(messages(q, question, facts)):
        token = chunk.content if isinstance(chunk.content, str) else ""
        if not token:
            continue
        if guard.feed(token):  # looping: what came before the sentence it broke off in is kept
            return
        pending += token
        while (cut := _END.search(pending)) is not None:
            sentence, pending = pending[: cut.start()], pending[cut.end():]
            if sentence.strip():
                yield sentence.strip(), "\n" if "\n" in cut.group(0) else " "
    if pending.strip():
        yield pending.strip(), ""


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def passages_unsaid(text: str, facts: Facts) -> str:
    """The quoted passages, when a phrased detail answer states none of their numbers ("which value did she
    pick?" answered without the value): the passages themselves then follow it, as they are."""
    said = set(_NUMBER.findall(" ".join(p.text for p in facts.passages)))
    if not said or said & set(_NUMBER.findall(text)):
        return ""
    return "\n".join(f"> {p.text}" for p in facts.passages)


def sources(facts: Facts) -> str:
    pages = [*((r.title, r.page) for r in facts.items), *facts.pages]
    links = ", ".join(f"[{title}]({page})" for title, page in dict.fromkeys(pages))
    return prompts.FACT_SOURCES.format(links=links) if links else ""
