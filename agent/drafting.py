"""Drafting posts with the chat model: which step the owner asked for (a structured-output call, which
small local models follow reliably, unlike free tool calls), and writing or revising the draft as
Markdown in a fixed layout that streams well and parses back into a Draft."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from folio import prompts
from folio.services.drafts import Draft
from folio.services.search import SearchHit

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
MAX_TAGS = 5


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


def writer_messages_new(topic: str, hits: list[SearchHit]) -> list:
    notes = "\n".join(f"- {h.title}: {h.snippet[:240]}" for h in hits) or prompts.DRAFT_NO_NOTES
    return [SystemMessage(prompts.DRAFT_WRITER_SYSTEM_PROMPT),
            HumanMessage(prompts.DRAFT_NEW_INPUT.format(notes=notes, topic=topic))]


def writer_messages_revise(draft: Draft, instruction: str) -> list:
    return [SystemMessage(prompts.DRAFT_WRITER_SYSTEM_PROMPT),
            HumanMessage(prompts.DRAFT_REVISE_INPUT.format(draft=draft_markdown(draft), instruction=instruction))]


async def write(model: BaseChatModel, messages: list) -> AsyncIterator[str]:
    """The writer's text as it streams."""
    async for chunk in model.astream(messages):
        text = chunk.content if isinstance(chunk.content, str) else chunk.text
        if text:
            yield text


def draft_markdown(draft: Draft) -> str:
    tags = ", ".join(draft.tags)
    return f"# {draft.title}\nTags: {tags}\nExcerpt: {draft.excerpt}\n\n{draft.body}".strip()


def _unfence(text: str) -> str:
    """Drop a fence wrapped around the whole answer (closed or, when cut off, not)."""
    lines = text.strip().splitlines()
    if lines and re.match(r"^`{3,}\s*(markdown|md)?\s*$", lines[0], re.I):
        lines.pop(0)
        if lines and lines[-1].strip().startswith("```") and sum(ln.lstrip().startswith("```") for ln in lines) % 2:
            lines.pop()
    return "\n".join(lines).strip()


def parse_draft(text: str) -> Draft | None:
    """The writer's Markdown as a Draft; tolerant of missing Tags/Excerpt lines and a wrapping fence."""
    lines = _unfence(text).splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return None
    title = re.sub(r"^#+\s*", "", lines.pop(0).strip()).strip().strip("*").strip()
    title = re.sub(r"^title:\s*", "", title, flags=re.I)
    tags: list[str] = []
    excerpt = ""
    while lines and (not lines[0].strip() or re.match(r"^\s*\**(tags|excerpt)\**\s*:", lines[0], re.I)):
        line = lines.pop(0).strip()
        label, _, value = line.partition(":")
        label = label.strip("* ").lower()
        if label == "tags":
            tags = [t.strip().strip("#").lower() for t in value.split(",") if t.strip().strip("#")][:MAX_TAGS]
        elif label == "excerpt":
            excerpt = value.strip()
    body = "\n".join(lines).strip()
    if body.count("```") % 2:  # cut off inside a code block (token limit): close it
        body += "\n```"
    if not title or not body:
        return None
    if not excerpt:
        first = next((p for p in body.split("\n\n") if p.strip() and not p.lstrip().startswith(("#", "```"))), "")
        excerpt = " ".join(first.split())[:200]
    return Draft(title=title[:200], body=body, excerpt=excerpt, tags=[t[:60] for t in tags])
