"""A new post, top to bottom:

    interview  the brief is read under a grammar: is the post about the owner's own experience, and does
               it already give their reasons, numbers, problems and audience? If it is theirs, the owner
               is asked for what is missing (2-4 questions; "just draft it" skips them)
    outline    title, excerpt, tags and section headings, streamed (the title shows within seconds)
    sections   each section written on its own, streamed, under its own token budget; a repetition
               guard stops a loop; metadata lines, repeats and a cut-off sentence are removed (clean.py)

The facts are the owner's brief and answers and the portfolio's notes on the topic (search hits), kept
with the draft so that later revisions, and the review of claims, rest on the same words."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel

from agent.drafting import schemas
from agent.drafting.clean import Seen, clean_paragraphs, clean_tags, clean_title, looping, words
from agent.drafting.stream import stream_structured
from agent.reading import ReadFailed, read_structured
from folio import prompts
from folio.services.drafts import Draft, Section, sentence_cut
from folio.services.search import SearchHit

log = logging.getLogger(__name__)

Show = Callable[[str], Awaitable[None]]  # the visible text so far (it only grows while one step streams)
QUESTIONS = ("reasons", "numbers", "problems", "audience")
CANCEL = re.compile(r"^\W*(no|nope|never ?mind|cancel|forget (it|that)|stop|leave it)\W*$", re.I)
SKIP = re.compile(r"^\W*(ok(ay)?,?\s+)?(just\s+)?(draft|write)\s+it\b|^\W*(skip|no questions|go ahead)\b", re.I)
# "just draft it" said in the brief itself (the same words as a skipped interview, anywhere in the brief)
SKIP_IN_BRIEF = re.compile(r"\bjust (draft|write) it\b|\bno questions\b", re.I)
SECTION_WORDS = 90
SECTION_TOKENS = 300  # a section's JSON: its paragraphs and their quoting
OUTLINE_TOKENS = 220
OUTLINE_TRIES = 2
NOTE_CHARS = 240
MAX_TAGS = 4


@dataclass(frozen=True)
class Interview:
    """What to ask before drafting (empty: draft at once)."""
    questions: tuple[str, ...] = ()


async def interview(reader: BaseChatModel, brief: str) -> Interview:
    """The questions only the owner can answer, for a post about their own experience."""
    try:
        read = await read_structured(reader, prompts.DRAFT_BRIEF_SYSTEM, prompts.DRAFT_BRIEF_INPUT.format(
            brief=brief[:2000]), "post_brief", schemas.BRIEF)
    except ReadFailed:
        return Interview()
    if read.get("own_experience") is not True or quoted(read.get("skip"), brief) or SKIP_IN_BRIEF.search(brief):
        return Interview()
    given = {q: quoted(read.get(q), brief, digits=q == "numbers") for q in QUESTIONS}
    return Interview(tuple(q for q in QUESTIONS if not given[q]))


def quoted(quote: object, brief: str, digits: bool = False) -> bool:
    """The reading's quote is the brief's own words (each comma-separated part of it, as written), so the
    brief does give it; a reading that paraphrases or invents gives nothing. Numbers must hold a digit."""
    parts = [p for p in re.split(r"[,;]\s*", _plain(str(quote or ""))) if p]
    if not parts or (digits and not re.search(r"\d", str(quote))):
        return False
    return all(p in _plain(brief) for p in parts)


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w%.,;:'-]+", " ", text.lower()).split()).strip(" .")


def answers_of(reply: str) -> str:
    """The owner's reply to the interview, as answers ('' when they skip it: "just draft it")."""
    return "" if SKIP.match(reply) else reply.strip()


def facts_of(brief: str, answers: str, hits: list[SearchHit]) -> str:
    notes = "\n".join(f"- {h.title}: {h.snippet[:NOTE_CHARS]}" for h in hits) or prompts.DRAFT_NO_NOTES
    said = prompts.DRAFT_ANSWERS.format(answers=answers.strip()) if answers.strip() else ""
    return prompts.DRAFT_OUTLINE_INPUT.format(brief=brief.strip(), answers=said, notes=notes)


class Visible:
    """The text shown while a draft streams: what earlier steps streamed, plus the step under way (it only
    grows; the cleaned draft replaces it when the step is done)."""

    def __init__(self, show: Show | None):
        self.show, self.done = show, ""

    async def step(self, text: str) -> None:
        if self.show is not None:
            await self.show(self.done + text)

    def finish(self, text: str) -> None:
        self.done += text


def outline_text(value: dict[str, Any], complete: bool) -> str:
    """The outline as it streams: the title as it is written, then each heading once it is whole."""
    title = str(value.get("title") or "")
    if not title:
        return ""
    text = f"# {title}"
    headings = [str(h) for h in value.get("sections") or [] if isinstance(h, str)]
    if not complete:
        headings = headings[:-1]  # the last one may still be growing
    if headings:
        text += "\n\n" + prompts.DRAFT_OUTLINE_SHOWN.format(outline=" · ".join(headings))
    return text


def paragraphs_of(value: dict[str, Any]) -> list[str]:
    return [str(p) for p in value.get("paragraphs") or [] if isinstance(p, str)]


async def write_section(writer: BaseChatModel, system: str, message: str, heading: str, seen: Seen,
                        visible: Visible, schema: dict[str, Any]) -> Section:
    """One section, streamed under `visible`, cleaned against what the draft already says."""
    lead = f"\n\n## {heading}\n\n" if heading else "\n\n"

    async def on_value(value: dict[str, Any]) -> None:
        await visible.step(lead + "\n\n".join(paragraphs_of(value)))

    try:
        streamed = await stream_structured(writer, system, message, "post_section", schema, on_value,
                                           stop=lambda v: looping(" ".join(paragraphs_of(v))))
    except ReadFailed:
        return Section(heading, "")
    kept = clean_paragraphs(paragraphs_of(streamed.value), seen, cut_off=streamed.cut_off)
    visible.finish(lead + "\n\n".join(paragraphs_of(streamed.value)))  # as streamed: the next step extends it
    return Section(heading, "\n\n".join(kept))


async def _outline(writer: BaseChatModel, facts: str,
                   visible: Visible) -> tuple[dict[str, Any], str, list[str]] | None:
    """The outline, its clean title and headings; asked once more when the model's reply has no title or
    no section (a sampled reply cut at its budget, or unreadable), since without one there is no draft."""

    async def on_outline(value: dict[str, Any]) -> None:
        await visible.step(outline_text(value, complete=False))

    for _ in range(OUTLINE_TRIES):
        try:
            outline = (await stream_structured(writer.bind(max_completion_tokens=OUTLINE_TOKENS),
                                               prompts.DRAFT_OUTLINE_SYSTEM, facts, "post_outline", schemas.OUTLINE,
                                               on_outline)).value
        except ReadFailed:
            continue
        title = clean_title(str(outline.get("title") or ""))
        headings = list(dict.fromkeys(clean_title(str(h)) for h in outline.get("sections") or [] if str(h).strip()))
        headings = [h for h in headings if h][:schemas.MAX_SECTIONS]
        if title and headings:
            visible.finish(outline_text(outline, complete=True))  # as streamed; the final view: the clean title
            return outline, title, headings
        log.info("outline without a title or sections: asked again")
    return None


async def write_post(writer: BaseChatModel, brief: str, answers: str, hits: list[SearchHit],
                     show: Show | None = None) -> Draft | None:
    """The outline first, then each section; None when the model gave nothing usable."""
    facts = facts_of(brief, answers, hits)
    visible = Visible(show)
    planned = await _outline(writer, facts, visible)
    if planned is None:
        return None
    outline, title, headings = planned
    seen, sections = Seen(), []
    section_writer = writer.bind(max_completion_tokens=SECTION_TOKENS)
    for number, heading in enumerate(headings, 1):
        message = prompts.DRAFT_SECTION_INPUT.format(
            title=title, outline=" | ".join(headings), facts=facts, number=number, count=len(headings),
            heading=heading, words=SECTION_WORDS,
            ending=prompts.DRAFT_SECTION_LAST if number == len(headings) else "")
        section = await write_section(section_writer, prompts.DRAFT_SECTION_SYSTEM, message, heading, seen,
                                      visible, schemas.section(2))
        if section.text:
            sections.append(section)
    if not sections:
        return None
    excerpt = " ".join(str(outline.get("excerpt") or "").split())
    if not excerpt or len(words(excerpt)) < 4:
        excerpt = sentence_cut(sections[0].text, 200)
    return Draft(title=title, sections=sections, excerpt=sentence_cut(excerpt, 200),
                 tags=clean_tags([str(t) for t in outline.get("tags") or []], MAX_TAGS), facts=facts)
