"""Split portfolio items into chunks that fit the embedding model's window.

A short item becomes one chunk (title, summary, tags and body). A long one becomes a "card" chunk
(title, summary, tags) plus heading-aware, overlapping windows over the Markdown body, each prefixed
with the item title and its section heading so that it can be understood (and found) on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=[\"'(\[*`A-Z0-9-])")
FENCE = re.compile(r"^\s*(```|~~~)")

# Room kept for the [CLS]/[SEP] tokens and for tokenizer differences between providers.
RESERVED_TOKENS = 8
OVERLAP_FRACTION = 0.15


@dataclass(frozen=True)
class Document:
    """What the chunker needs to know about an item."""

    title: str
    lead: str = ""  # summary, excerpt or description
    keywords: tuple[str, ...] = ()  # tags, tech stack, issuer, credential id
    body: str = ""  # Markdown


@dataclass(frozen=True)
class Chunk:
    ordinal: int
    heading: str
    text: str  # what is embedded and indexed for full text


TokenCounter = Callable[[str], int]


def chunk_document(doc: Document, count_tokens: TokenCounter, max_tokens: int = 256) -> list[Chunk]:
    budget = max(32, max_tokens - RESERVED_TOKENS)
    card = _join(doc.title, doc.lead, ", ".join(k for k in doc.keywords if k))
    body = doc.body.strip()
    whole = _join(card, body)
    if count_tokens(whole) <= budget:
        return [Chunk(0, "", whole)]
    chunks = [Chunk(0, "", _fit(card, count_tokens, budget))]
    for heading, passage in _windows(body, doc.title, count_tokens, budget):
        chunks.append(Chunk(len(chunks), heading, passage))
    return chunks


def _join(*parts: str) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _fit(text: str, count_tokens: TokenCounter, budget: int) -> str:
    """Cut text at a word boundary so that it fits the budget (a very long summary)."""
    if count_tokens(text) <= budget:
        return text
    words = text.split()
    lo, hi = 1, len(words)
    while lo < hi:  # the longest prefix that fits
        mid = (lo + hi + 1) // 2
        if count_tokens(" ".join(words[:mid])) <= budget:
            lo = mid
        else:
            hi = mid - 1
    return " ".join(words[:lo])


def sections(body: str) -> list[tuple[str, str]]:
    """(heading path, text) for each Markdown section; headings inside code fences are text."""
    out: list[tuple[str, str]] = []
    path: list[tuple[int, str]] = []  # (level, heading) from the outermost section in
    lines: list[str] = []
    in_fence = False

    def flush():
        text = "\n".join(lines).strip()
        if text:
            out.append((" > ".join(h for _, h in path), text))
        lines.clear()

    for line in body.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else HEADING.match(line)
        if match:
            flush()
            level = len(match.group(1))
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, match.group(2).strip()))
            continue
        lines.append(line)
    flush()
    return out


def _units(text: str) -> list[str]:
    """Sentences (and list items, code lines) in order: the smallest pieces a window is built from."""
    units: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if FENCE.match(paragraph) or paragraph.lstrip().startswith(("-", "*", "|", ">")):
            units.extend(line for line in paragraph.splitlines() if line.strip())
        else:
            units.extend(s for s in SENTENCE_END.split(" ".join(paragraph.split())) if s)
    return units


def _split_long(unit: str, count_tokens: TokenCounter, budget: int) -> list[str]:
    words, out = unit.split(), []
    while words:
        piece = _fit(" ".join(words), count_tokens, budget)
        out.append(piece)
        words = words[len(piece.split()):]
    return out


def _windows(body: str, title: str, count_tokens: TokenCounter, budget: int):
    overlap = int(budget * OVERLAP_FRACTION)
    for heading, text in sections(body) or [("", body)]:
        prefix = f"{title} — {heading}" if heading else title
        room = budget - count_tokens(prefix) - 1
        units: list[str] = []
        for unit in _units(text):
            units.extend(_split_long(unit, count_tokens, room) if count_tokens(unit) > room else [unit])
        window: list[str] = []
        size = 0
        emitted = 0  # units of the current window already emitted in an earlier chunk
        for unit in units:
            n = count_tokens(unit) + 1
            if window and size + n > room:
                yield heading, _join(prefix, _text(window))
                # Carry the tail of this window into the next one (overlap), whole units only.
                carry: list[str] = []
                carried = 0
                for prev in reversed(window):
                    c = count_tokens(prev) + 1
                    if carried + c > overlap or carried + c + n > room:
                        break
                    carry.insert(0, prev)
                    carried += c
                window, size = carry, carried
                emitted = len(carry)
            window.append(unit)
            size += n
        if window and len(window) > emitted:
            yield heading, _join(prefix, _text(window))


def _text(units: list[str]) -> str:
    """Sentences run on; list items, table rows and code lines keep their own line."""
    out = ""
    for unit in units:
        starts_line = unit.lstrip().startswith(("-", "*", "|", ">", "```", "~~~")) or unit.startswith("    ")
        out += ("\n" if starts_line and out else " " if out else "") + unit
    return out
