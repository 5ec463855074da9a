"""A revision as checked edits: the owner's message is read under a grammar into up to three edits
(schemas.ACTIONS), each naming the part of the draft it changes; each edit is done by code or by one
model call for just that part, then checked in code:

    shorter         each named section rewritten to its share of the target length (60% of the words, or
                    the count the owner gave); checked against the target (never cut mid-sentence)
    end_with X      a closing section written to be X; checked: it is the last section
    more_technical, simpler, longer, rewrite
                    the named sections rewritten; checked: they changed (longer: they grew)
    add_code        one code example, added to the section it belongs to; checked: the body has it
    title, tags     set in code from the owner's own words (a title is written only when none was given)
    remove          the section dropped
    undo            back to the previous version (the chat keeps the versions)

Sections the edits do not name stay exactly as they were."""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel

from agent.drafting import schemas
from agent.drafting.clean import Seen, blocks, clean_paragraphs, clean_tags, clean_title, is_code, sentences, words
from agent.drafting.review import code_blocks
from agent.drafting.stream import stream_structured
from agent.drafting.write import MAX_TAGS, SECTION_TOKENS, SECTION_WORDS, Show, Visible, paragraphs_of, write_section
from agent.reading import ReadFailed, read_structured
from folio import prompts
from folio.services.drafts import Draft, Section

SHORTER_SHARE = 0.6  # "shorter" with no number: at most this share of the words
MIN_SECTION_WORDS = 25
CLOSING_WORDS = 80
CODE_TOKENS = 350
CLOSING = re.compile(r"\b(conclusions?|summary|wrap(ping)?[- ]up|final thoughts|closing|in short|takeaways?)\b", re.I)
UNDO = re.compile(r"^\W*(undo( that| it| the last (change|edit|revision))?|revert( that| it)?|go back)\W*$", re.I)


@dataclass(frozen=True)
class Edit:
    action: str
    section: str = schemas.WHOLE
    value: str = ""


@dataclass
class Revision:
    draft: Draft | None = None  # the new version; None when nothing changed
    done: list[str] = field(default_factory=list)  # each edit done and checked, in words for the owner
    failed: list[str] = field(default_factory=list)  # each edit that could not be done or did not check out
    undo: bool = False


def _said(value: str, message: str) -> bool:
    def fold(text: str) -> str:
        return " ".join(re.findall(r"\w+", text.lower()))
    return bool(fold(value)) and fold(value) in fold(message)


def _quoted_title(message: str) -> str:
    """A title the owner wrote in quotes, or after a final "to" ("change the title to X")."""
    quoted = re.findall(r"[\"“'‘]([^\"”'’]{3,120})[\"”'’]", message)
    if quoted:
        return quoted[-1]
    after = re.search(r"\bto\s*:?\s+(.{3,120}?)\s*[.!]?$", message.strip(), re.I)
    return after.group(1) if after else ""


async def read_edits(reader: BaseChatModel, draft: Draft, message: str) -> list[Edit]:
    headings = [s.heading for s in draft.sections if s.heading]
    try:
        data = await read_structured(reader, prompts.DRAFT_EDITS_SYSTEM, prompts.DRAFT_EDITS_INPUT.format(
            outline=" | ".join(headings) or "(one section)", title=draft.title, message=message[:1500]),
            "draft_edits", schemas.edits(headings))
    except ReadFailed:
        return [Edit("rewrite", schemas.WHOLE, message)]
    edits: list[Edit] = []
    for item in data.get("edits") or []:
        if isinstance(item, dict) and item.get("action") in schemas.ACTIONS:
            edit = Edit(item["action"], str(item.get("section") or schemas.WHOLE), str(item.get("value") or ""))
            if not any((e.action, e.section) == (edit.action, edit.section) for e in edits):  # a reading's repeat
                edits.append(edit)
    return edits or [Edit("rewrite", schemas.WHOLE, message)]


def _targets(draft: Draft, part: str, default_whole: bool = True) -> list[int]:
    if part == schemas.LAST:
        return [len(draft.sections) - 1] if draft.sections else []
    named = [i for i, s in enumerate(draft.sections) if s.heading == part]
    if named:
        return named
    return list(range(len(draft.sections))) if default_whole else []


def body_words(sections: list[Section]) -> int:
    return sum(len(words(s.text)) for s in sections)


def fit(sections: list[Section], indexes: list[int], limit: int) -> None:
    """Backstop for "shorter": whole sentences dropped from the end of the longest named sections until
    they fit (each keeps its first sentence); never a cut inside a sentence."""
    while sum(len(words(sections[i].text)) for i in indexes) > limit:
        longest = max(indexes, key=lambda i: len(words(sections[i].text)))
        paragraphs = blocks(sections[longest].text)
        prose = [n for n, p in enumerate(paragraphs) if not is_code(p)]
        if not prose:
            return
        last = prose[-1]
        said = sentences(paragraphs[last])
        if len(said) > 1:
            paragraphs[last] = " ".join(said[:-1])
        elif len(prose) > 1:
            del paragraphs[last]
        else:
            return
        sections[longest] = Section(sections[longest].heading, "\n\n".join(paragraphs))


_FILLER = {"the", "a", "an", "my", "our", "any", "all", "at", "about", "of", "that", "this", "it", "mention", "post"}
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}


def _mentions(sentence: str, terms: list[str]) -> bool:
    folded = " ".join(words(sentence))
    return any((t in sentence) if re.match(r"\d", t) else re.search(rf"\b{re.escape(t)}\b", folded) for t in terms)


def _count(text: str) -> int | None:
    for word in words(text):
        if word.isdigit() and 1 < int(word) < 12:
            return int(word)
        if word in _NUMBERS:
            return _NUMBERS[word]
    return None


def _closest(draft: Draft, what: str) -> int:
    """The section with most words in common with `what` (on a tie, the one after the opening)."""
    wanted = set(words(what))
    return max(range(len(draft.sections)),
               key=lambda i: (len(wanted & set(words(draft.sections[i].text))), -abs(i - 1)))


def _split_point(draft: Draft) -> tuple[int | None, str, str]:
    """The section to split in two, and its two halves: the one with most paragraphs, else most sentences."""
    best, parts = None, 1
    for i, section in enumerate(draft.sections):
        paragraphs = [p for p in blocks(section.text) if p.strip()]
        if len(paragraphs) > parts:
            best, parts = i, len(paragraphs)
    if best is not None:
        paragraphs = [p for p in blocks(draft.sections[best].text) if p.strip()]
        half = (len(paragraphs) + 1) // 2
        return best, "\n\n".join(paragraphs[:half]), "\n\n".join(paragraphs[half:])
    said = {i: sentences(s.text) for i, s in enumerate(draft.sections) if not is_code(s.text)}
    best = max(said, key=lambda i: len(said[i]), default=None)
    if best is None or len(said[best]) < 4:
        return None, "", ""
    half = (len(said[best]) + 1) // 2
    return best, " ".join(said[best][:half]), " ".join(said[best][half:])


_PREVIOUS_WORDS: ContextVar[int] = ContextVar("previous_words", default=1 << 30)  # the revised version's length


class Reviser:
    def __init__(self, reader: BaseChatModel, writer: BaseChatModel):
        self.reader = reader
        self.writer = writer.bind(max_completion_tokens=SECTION_TOKENS)

    async def revise(self, draft: Draft, message: str, show: Show | None = None) -> Revision:
        edits = [Edit("undo")] if UNDO.match(message) else await read_edits(self.reader, draft, message)
        if any(e.action == "undo" for e in edits):
            return Revision(undo=True)
        new = draft.next_version()
        out = Revision()
        visible = Visible(show)
        _PREVIOUS_WORDS.set(body_words(draft.sections))  # per request: one Reviser serves every session
        # "shorter" last: what other edits of the same request add is within the length it sets.
        edits = sorted(edits, key=lambda e: e.action == "shorter")
        for edit in edits:
            handler = getattr(self, f"_{edit.action}")
            note = await handler(new, edit, message, visible)
            (out.done if note[0] else out.failed).append(note[1])
        if new.title == draft.title and new.tags == draft.tags and new.sections == draft.sections:
            return Revision(None, out.done, out.failed or [prompts.DRAFT_NOTHING_CHANGED])
        out.draft = new
        return out

    # ---- the edits: each returns (checked, what happened) ------------------------------------------

    async def _rewrite_section(self, draft: Draft, index: int, change: str, words_limit: int,
                               visible: Visible) -> Section:
        section = draft.sections[index]
        seen = Seen()
        for n, other in enumerate(draft.sections):
            if n != index:
                for paragraph in blocks(other.text):
                    seen.add(paragraph)
        code = [p for p in blocks(section.text) if is_code(p)]
        prose = "\n\n".join(p for p in blocks(section.text) if not is_code(p))
        message = prompts.DRAFT_REWRITE_INPUT.format(title=draft.title, facts=draft.facts, heading=section.heading,
                                                     text=prose, change=change, words=words_limit)
        budget = self.writer.bind(max_completion_tokens=min(SECTION_TOKENS, 40 + words_limit * 2))
        written = await write_section(budget, prompts.DRAFT_REWRITE_SYSTEM, message, section.heading, seen,
                                      visible, schemas.section(1 if words_limit < 60 else 2))
        if not written.text:
            return section  # nothing usable: the section stays
        new = Section(section.heading, "\n\n".join([written.text, *code]))
        draft.sections[index] = new
        return new

    async def _shorter(self, draft: Draft, edit: Edit, message: str, visible: Visible):
        indexes = _targets(draft, edit.section)
        before = sum(len(words(draft.sections[i].text)) for i in indexes)
        if len(indexes) == len(draft.sections):  # the whole post: shorter than the version it revises
            before = min(before, _PREVIOUS_WORDS.get())
        given = re.search(r"\d+", edit.value)
        target = int(given.group()) if given and _said(given.group(), message) else int(before * SHORTER_SHARE)
        if before <= target:
            return True, prompts.DRAFT_DONE_SHORT_ALREADY.format(words=before)
        for i in indexes:
            share = max(MIN_SECTION_WORDS, len(words(draft.sections[i].text)) * target // max(before, 1))
            await self._rewrite_section(draft, i, prompts.DRAFT_CHANGE_SHORTER.format(words=share), share, visible)
        fit(draft.sections, indexes, target)
        after = sum(len(words(draft.sections[i].text)) for i in indexes)
        return after <= target, prompts.DRAFT_DONE_SHORTER.format(before=before, after=after, target=target)

    async def _restyle(self, draft: Draft, edit: Edit, visible: Visible, change: str,
                       grow: bool = False):
        indexes = [i for i in _targets(draft, edit.section) if draft.sections[i].text]
        before = {i: draft.sections[i].text for i in indexes}
        for i in indexes:
            limit = max(SECTION_WORDS, len(words(before[i])) + (40 if grow else 10))
            await self._rewrite_section(draft, i, change, limit, visible)
        moved = [i for i in indexes if draft.sections[i].text != before[i]
                 and (not grow or len(words(draft.sections[i].text)) > len(words(before[i])))]
        names = ", ".join(f"“{draft.sections[i].heading}”" for i in moved) or "—"
        return bool(moved), prompts.DRAFT_DONE_REWRITTEN.format(sections=names)

    async def _more_technical(self, draft, edit, message, visible):
        return await self._restyle(draft, edit, visible, prompts.DRAFT_CHANGE_TECHNICAL)

    async def _simpler(self, draft, edit, message, visible):
        return await self._restyle(draft, edit, visible, prompts.DRAFT_CHANGE_SIMPLER)

    async def _longer(self, draft, edit, message, visible):
        """With something to explain: a section about it (the rest stays); else the sections developed."""
        if edit.value.strip():
            before = body_words(draft.sections)
            done, _ = await self._add_section(draft, edit, message, visible)
            return done and body_words(draft.sections) > before, prompts.DRAFT_DONE_LONGER.format(
                before=before, after=body_words(draft.sections))
        return await self._restyle(draft, edit, visible, prompts.DRAFT_CHANGE_LONGER, grow=True)

    async def _mention(self, draft, edit, message, visible):
        what = edit.value or message
        indexes = _targets(draft, edit.section, default_whole=False) or [_closest(draft, what)]
        await self._rewrite_section(draft, indexes[0], prompts.DRAFT_CHANGE_MENTION.format(what=what),
                                    len(words(draft.sections[indexes[0]].text)) + 30, visible)
        key = [w for w in words(what) if w not in _FILLER]
        found = all(w in words(draft.body) for w in key)
        return found, prompts.DRAFT_DONE_MENTION.format(what=what) if found else prompts.DRAFT_FAILED_MENTION.format(
            what=what)

    async def _leave_out(self, draft, edit, message, visible):
        """Done in code: every sentence that mentions it goes (and with it the numbers only that fact gave),
        from the draft and from the facts later revisions are written from."""
        what = " ".join(w for w in words(edit.value) if w not in _FILLER)
        if not what:
            return False, prompts.DRAFT_FAILED_LEAVE_OUT
        facts = [s for p in draft.facts.splitlines() for s in sentences(p)]
        gone = [s for s in facts if what in " ".join(words(s))]
        kept_facts = " ".join(" ".join(words(s)) for s in facts if s not in gone)
        terms = [what, *{n for s in gone for n in re.findall(r"\d[\d.,]*%?", s) if n not in kept_facts}]
        draft.facts = "\n".join(ln for ln in draft.facts.splitlines()
                                if not any(_mentions(s, terms) for s in sentences(ln)))
        for i, section in enumerate(draft.sections):
            kept = []
            for paragraph in blocks(section.text):
                if is_code(paragraph):
                    kept.append(paragraph)
                    continue
                text = " ".join(s for s in sentences(paragraph) if not _mentions(s, terms))
                if text:
                    kept.append(text)
            if kept != blocks(section.text):
                draft.sections[i] = Section(section.heading, "\n\n".join(kept))
        draft.sections[:] = [s for s in draft.sections if s.text.strip()]
        left = any(_mentions(s, terms) for s in sentences(draft.body))
        return not left, prompts.DRAFT_DONE_LEAVE_OUT.format(what=edit.value)

    async def _add_section(self, draft, edit, message, visible):
        what = edit.value or message
        seen = Seen()
        for paragraph in blocks(draft.body):
            seen.add(paragraph)
        request = prompts.DRAFT_SECTION_NEW_INPUT.format(
            title=draft.title, facts=draft.facts, outline=" | ".join(s.heading for s in draft.sections), what=what,
            words=SECTION_WORDS)
        section = await self._new_section(prompts.DRAFT_SECTION_NEW_SYSTEM, request, seen, visible)
        if section is None:
            return False, prompts.DRAFT_FAILED_SECTION.format(what=what)
        at = len(draft.sections) - 1 if len(draft.sections) > 1 else len(draft.sections)  # before the closing one
        draft.sections.insert(at, section)
        return True, prompts.DRAFT_DONE_SECTION.format(heading=section.heading)

    async def _split(self, draft, edit, message, visible):
        wanted = _count(edit.value) or _count(message) or len(draft.sections) + 1
        wanted = min(wanted, len(draft.sections) + 4)
        while len(draft.sections) < wanted:
            index, head, tail = _split_point(draft)
            if index is None:
                break
            try:
                data = await read_structured(self.writer, prompts.DRAFT_HEADING_SYSTEM, prompts.DRAFT_HEADING_INPUT.format(
                    title=draft.title, outline=" | ".join(s.heading for s in draft.sections), text=tail),
                    "section_heading", schemas.HEADING)
            except ReadFailed:
                break
            heading = clean_title(str(data.get("heading") or ""))
            if not heading:
                break
            draft.sections[index] = Section(draft.sections[index].heading, head)
            draft.sections.insert(index + 1, Section(heading, tail))
            visible.finish(f"\n\n## {heading}")
            await visible.step("")
        return len(draft.sections) >= wanted, prompts.DRAFT_DONE_SPLIT.format(count=len(draft.sections))

    async def _rewrite(self, draft, edit, message, visible):
        return await self._restyle(draft, edit, visible, edit.value or message)

    async def _new_section(self, system: str, request: str, seen: Seen, visible: Visible) -> Section | None:
        """A section the model heads and writes (an ending, an added section), streamed."""
        async def on_value(value: dict[str, Any]) -> None:
            await visible.step(f"\n\n## {value.get('heading') or ''}\n\n" + "\n\n".join(paragraphs_of(value)))

        try:
            streamed = await stream_structured(self.writer, system, request, "post_section", schemas.closing(),
                                               on_value)
        except ReadFailed:
            return None
        raw = streamed.value
        visible.finish(f"\n\n## {raw.get('heading') or ''}\n\n" + "\n\n".join(paragraphs_of(raw)))
        text = "\n\n".join(clean_paragraphs(paragraphs_of(streamed.value), seen, cut_off=streamed.cut_off))
        heading = clean_title(str(streamed.value.get("heading") or ""))
        if not text or not heading:
            return None
        return Section(heading, text)

    async def _end_with(self, draft: Draft, edit: Edit, message: str, visible: Visible):
        what = edit.value or message
        last = draft.sections[-1] if draft.sections else None
        keep = draft.sections[:-1] if last is not None and CLOSING.search(last.heading) else list(draft.sections)
        seen = Seen()
        for section in keep:
            for paragraph in blocks(section.text):
                seen.add(paragraph)
        request = prompts.DRAFT_CLOSING_INPUT.format(
            title=draft.title, facts=draft.facts, outline=" | ".join(s.heading for s in keep),
            last=keep[-1].text if keep else "", what=what, words=CLOSING_WORDS)
        section = await self._new_section(prompts.DRAFT_CLOSING_SYSTEM, request, seen, visible)
        if section is None:
            return False, prompts.DRAFT_FAILED_ENDING.format(what=what)
        draft.sections[:] = [*keep, section]
        return draft.sections[-1] is section, prompts.DRAFT_DONE_ENDING.format(heading=section.heading)

    async def _add_code(self, draft: Draft, edit: Edit, message: str, visible: Visible):
        had = code_blocks(draft.body)
        indexes = _targets(draft, edit.section, default_whole=False)
        if not indexes:  # the section it fits best: most words in common with what it should show
            indexes = [_closest(draft, f"{edit.value} {message}")]
        index = indexes[0]
        section = draft.sections[index]
        request = prompts.DRAFT_CODE_INPUT.format(title=draft.title, heading=section.heading, text=section.text,
                                                  what=edit.value or message)
        try:
            streamed = await stream_structured(self.writer.bind(max_completion_tokens=CODE_TOKENS),
                                               prompts.DRAFT_CODE_SYSTEM, request, "code_example", schemas.CODE)
        except ReadFailed:
            return False, prompts.DRAFT_FAILED_CODE
        code = str(streamed.value.get("code") or "").strip("\n`")
        if streamed.cut_off or len(code.strip()) < 10:
            return False, prompts.DRAFT_FAILED_CODE
        language = str(streamed.value.get("language") or "")
        language = "" if language == "text" else language
        fence = "````" if "```" in code else "```"
        block = f"{fence}{language}\n{code.rstrip()}\n{fence}"
        if code.strip() in draft.body:  # the same example again (a second reading of the same edit)
            return True, prompts.DRAFT_DONE_CODE.format(heading=section.heading)
        draft.sections[index] = Section(section.heading, f"{section.text}\n\n{block}".strip())
        visible.finish(f"\n\n{block}")
        await visible.step("")
        return code_blocks(draft.body) > had, prompts.DRAFT_DONE_CODE.format(heading=section.heading)

    async def _title(self, draft: Draft, edit: Edit, message: str, visible: Visible):
        value = edit.value.strip().strip("\"'“”‘’")
        if not (value and _said(value, message)):
            value = _quoted_title(message).strip("\"'“”‘’")
        if not value:  # the owner asks for a better title without giving one
            try:
                data = await read_structured(self.writer, prompts.DRAFT_TITLE_SYSTEM, prompts.DRAFT_TITLE_INPUT.format(
                    outline=" | ".join(s.heading for s in draft.sections), title=draft.title, what=message[:500]),
                    "post_title", schemas.TITLE)
            except ReadFailed:
                return False, prompts.DRAFT_FAILED_TITLE
            value = str(data.get("title") or "")
        title = clean_title(value)
        if not title:
            return False, prompts.DRAFT_FAILED_TITLE
        draft.title = title
        visible.finish(f"# {title}")
        await visible.step("")
        return True, prompts.DRAFT_DONE_TITLE.format(title=title)

    async def _tags(self, draft: Draft, edit: Edit, message: str, visible: Visible):
        tags = clean_tags([t for t in re.split(r"[,;]", edit.value) if _said(t, message)], MAX_TAGS)
        if not tags:
            return False, prompts.DRAFT_FAILED_TAGS
        draft.tags = tags
        return True, prompts.DRAFT_DONE_TAGS.format(tags=", ".join(tags))

    async def _remove(self, draft: Draft, edit: Edit, message: str, visible: Visible):
        indexes = _targets(draft, edit.section, default_whole=False)
        if not indexes or len(draft.sections) <= 1:
            return False, prompts.DRAFT_FAILED_REMOVE
        heading = draft.sections[indexes[0]].heading
        del draft.sections[indexes[0]]
        return True, prompts.DRAFT_DONE_REMOVED.format(heading=heading)

    async def _undo(self, draft, edit, message, visible):  # handled before any edit runs
        return True, ""
