"""Drafting posts with the chat model: which step the owner asked for (a structured-output call, which
small local models follow reliably, unlike free tool calls), and writing or revising the draft as
Markdown in a fixed layout that streams well and parses back into a Draft."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from folio import prompts
from folio.services.drafts import Draft, sentence_cut
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


@dataclass(frozen=True)
class Goals:
    """What a revision request measurably asks for."""
    max_words: int | None = None  # "shorter": the body must end up with at most this many words
    code: bool = False  # "add a code example": the body must hold a fenced code block


_SHORTER = re.compile(r"\b(shorter|shorten|trim|condense|more concise|cut it|tighten|briefer|less long)\b", re.I)
_CODE = re.compile(r"\b(code|snippet|example query|sql example)\b", re.I)
SHORTER_SHARE = 0.6  # "shorter" means at most this share of the current body's words


def word_count(text: str) -> int:
    return len(re.findall(r"\S+", text))


def goals_of(instruction: str, draft: Draft) -> Goals:
    max_words = int(word_count(draft.body) * SHORTER_SHARE) if _SHORTER.search(instruction) else None
    wants_code = bool(_CODE.search(instruction)) and bool(re.search(r"\b(add|include|with|show|give)\b", instruction, re.I))
    return Goals(max(max_words, 40) if max_words else None, wants_code)


def writer_messages_revise(draft: Draft, instruction: str, goals: Goals | None = None) -> list:
    goals = goals or goals_of(instruction, draft)
    musts = []
    if goals.max_words:
        musts.append(prompts.DRAFT_MUST_SHORTER.format(words=goals.max_words))
    if goals.code:
        musts.append(prompts.DRAFT_MUST_CODE)
    request = instruction + ("\n" + "\n".join(musts) if musts else "")
    return [SystemMessage(prompts.DRAFT_WRITER_SYSTEM_PROMPT),
            HumanMessage(prompts.DRAFT_REVISE_INPUT.format(draft=draft_markdown(draft), instruction=request))]


def _blocks(body: str) -> list[str]:
    """Paragraph-level blocks, a fenced code block (with blank lines inside) kept as one."""
    blocks: list[str] = []
    for part in body.split("\n\n"):
        if blocks and blocks[-1].count("```") % 2:
            blocks[-1] += "\n\n" + part
        else:
            blocks.append(part)
    return [b for b in blocks if b.strip()]


def trim_to(body: str, max_words: int, keep_code: bool = False) -> str:
    """The body cut to whole blocks within `max_words`, in order (the first block always stays, cut on a
    sentence if it alone is too long); with keep_code the first code block stays even past the limit."""
    kept: list[str] = []
    total = 0
    code_kept = False
    for block in _blocks(body):
        n = word_count(block)
        is_code = block.lstrip().startswith("```")
        if keep_code and is_code and not code_kept:
            kept.append(block)
            code_kept = True
            continue
        if total + n > max_words and kept:
            continue
        kept.append(block if n <= max_words else sentence_cut(block, max_words * 6))
        total += n
    return "\n\n".join(kept).strip()


def enforce(new: Draft, goals: Goals, code_example: str = "") -> Draft:
    """The revision made to do what was asked: a code example appended when the writer left it out,
    cut to the word budget when it did not get shorter."""
    body = new.body
    if goals.code and not has_code(body) and code_example:
        body = f"{body}\n\n{code_example.strip()}"
    if goals.max_words and word_count(body) > goals.max_words:
        body = trim_to(body, goals.max_words, keep_code=goals.code)
    return Draft(title=new.title, body=body, excerpt=sentence_cut(new.excerpt, 200), tags=new.tags,
                 slug=new.slug, version=new.version, published=new.published)


def fenced_code(text: str) -> str:
    """The first fenced code block in a model's answer ('' when there is none)."""
    match = re.search(r"```[\w+-]*\n.*?```", text or "", re.S)
    return match.group(0) if match else ""


def has_code(body: str) -> bool:
    return bool(re.search(r"^\s*```", body, re.M))


def code_blocks(body: str) -> int:
    return len(re.findall(r"^\s*```\w*\s*$", body, re.M)) // 2


async def write(model: BaseChatModel, messages: list) -> AsyncIterator[str]:
    """The writer's text as it streams."""
    async for chunk in model.astream(messages):
        text = chunk.content if isinstance(chunk.content, str) else chunk.text
        if text:
            yield text


async def compose(model: BaseChatModel, messages: list, previous: Draft | None = None, goals: Goals | None = None,
                  on_token: Callable[[str], Awaitable[Any]] | None = None) -> Draft | None:
    """Write (streaming each token to `on_token`) and parse a draft; for a revision, make it do what was
    asked (goals). None when the writer produced nothing usable."""
    text = ""
    async for token in write(model, messages):
        text += token
        if on_token is not None:
            await on_token(token)
    parsed = parse_draft(text)
    if parsed is None:
        return None
    draft = previous.revised(parsed) if previous else parsed
    if goals is not None:
        example = ""
        if goals.code and not has_code(draft.body):  # the writer left it out: ask for just that
            example = "".join([t async for t in write(model, code_example_messages(draft))])
        draft = enforce(draft, goals, fenced_code(example))
    return draft


def code_example_messages(draft: Draft) -> list:
    return [HumanMessage(prompts.DRAFT_CODE_EXAMPLE_INPUT.format(title=draft.title, body=draft.body[:1500]))]


def draft_view(banner: str, draft: Draft) -> str:
    """The draft as the owner sees it in the chat: which draft, code marked for review, the text."""
    review = code_blocks(draft.body)
    note = f"\n\n{prompts.DRAFT_CODE_REVIEW.format(count=review)}" if review else ""
    return f"{banner}{note}\n\n---\n\n{draft_markdown(draft)}"


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
        excerpt = sentence_cut(first, 200)
    return Draft(title=title[:200], body=body, excerpt=excerpt, tags=[t[:60] for t in tags])
