"""A post draft as text: what a revision request measurably asks for (shorter, a code example) and
making the revision do it, and the Markdown layout the writer produces, read back into a Draft.
Pure functions, used by the writer service (folio.services.writer)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from folio import prompts
from folio.services.drafts import Draft, sentence_cut

MAX_TAGS = 5


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
