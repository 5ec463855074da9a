"""What a draft's text must never hold, checked in code after every step: metadata lines ("Tags: …")
in the body, a paragraph or sentence said twice, a sentence cut off mid-way, a title that is really the
owner's instruction. Pure functions over text; the writing steps (write.py, revise.py) call them."""

from __future__ import annotations

import re

# A line that is post metadata, not prose: "Tags: a, b", "## Excerpt: …", "**Title:** …".
_METADATA = re.compile(r"^\s*(?:#+\s*)?[*_]*\s*(title|tags?|excerpt|summary|slug|categor(?:y|ies)|keywords|"
                       r"meta description|reading time)\s*[*_]*\s*:", re.I)
_END = re.compile(r"""[.!?:…](?:["'”’)\]*_`]*)$""")
_SENTENCE_END = re.compile(r"""[.!?…](?:["'”’)\]*_`]*)(?=\s|$)""")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
# The owner's instruction taken for a title: "Draft a blog post about why …" -> "Why …".
_INSTRUCTION = re.compile(r"^\s*(?:please\s+)?(?:can you\s+)?(?:draft|write|create|compose|make|generate|prepare)\s+"
                          r"(?:me\s+)?(?:an?|the|my)?\s*(?:\w+\s+)?(?:blog\s+)?(?:post|article|piece|entry|draft)"
                          r"\s+(?:about|on|explaining|describing|covering|of)\s+", re.I)
MAX_TITLE_WORDS = 14
LOOP_SHINGLE = 8  # words in a row that, seen a third time, mean the model is looping
MIN_DUPLICATE_WORDS = 6  # shorter paragraphs ("Thanks for reading.") may repeat
MIN_SENTENCE_WORDS = 3  # a repeated sentence this long or longer is a repeat


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _key(text: str) -> str:
    return " ".join(words(text))


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, each with its end punctuation."""
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        out.append(text[start:match.end()].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return [s for s in out if s]


def is_list(paragraph: str) -> bool:
    lines = [ln for ln in paragraph.splitlines() if ln.strip()]
    return bool(lines) and all(_BULLET.match(ln) for ln in lines)


def is_code(paragraph: str) -> bool:
    return paragraph.lstrip().startswith("```")


_FENCE = re.compile(r"^\s*(`{3,})")


def blocks(text: str) -> list[str]:
    """A section's paragraphs: split at blank lines, except inside a fenced code block, which stays whole
    (an example with a blank line in it is one block, never prose and a cut fence)."""
    out: list[str] = []
    current: list[str] = []
    fence = ""
    for line in text.split("\n"):
        opened = _FENCE.match(line)
        if fence:
            current.append(line)
            if opened and opened.group(1).startswith(fence) and not line.strip()[len(opened.group(1)):]:
                fence = ""
            continue
        if not line.strip():
            if current:
                out.append("\n".join(current))
                current = []
            continue
        if opened:
            fence = opened.group(1)
        current.append(line)
    if current:
        out.append("\n".join(current))
    return out


def finished(paragraph: str) -> bool:
    """Prose ends on a sentence end; a list or a code block ends as it is."""
    text = paragraph.strip()
    return bool(text) and (is_code(text) or is_list(text) or bool(_END.search(text)))


def finish(paragraph: str, cut_off: bool) -> str:
    """A paragraph that ends on a whole sentence: the cut-off tail dropped (or, when the model simply left
    out the final full stop of a complete answer, the stop added); '' when nothing whole is left."""
    text = paragraph.strip()
    if not text or finished(text) and not (cut_off and is_list(text)):
        return text
    if is_list(text):  # a cut-off list: its last item goes
        return "\n".join(text.splitlines()[:-1]).strip()
    whole = sentences(text)
    if whole and not _END.search(whole[-1]):
        if not cut_off and len(words(whole[-1])) >= 4:
            return text.rstrip(",;- ") + "."
        whole = whole[:-1]
    return " ".join(whole).strip()


def strip_metadata(paragraph: str) -> str:
    """The paragraph without metadata lines or stray Markdown headings (the draft has its own fields)."""
    kept = [ln for ln in paragraph.splitlines()
            if not _METADATA.match(ln) and not re.match(r"^\s*#{1,6}\s", ln)]
    return "\n".join(kept).strip()


def has_metadata(text: str) -> bool:
    return any(_METADATA.match(line) for line in text.splitlines())


class Seen:
    """Paragraphs and sentences already in the draft, so that none is said twice."""

    def __init__(self) -> None:
        self.paragraphs: set[str] = set()
        self.sentences: set[str] = set()

    def add(self, paragraph: str) -> None:
        self.paragraphs.add(_key(paragraph))
        self.sentences.update(_key(s) for s in sentences(paragraph) if len(words(s)) >= MIN_SENTENCE_WORDS)

    def novel(self, paragraph: str) -> str:
        """The paragraph without the sentences already said ('' when it is a repeat)."""
        if is_code(paragraph):
            return "" if _key(paragraph) in self.paragraphs else paragraph
        if _key(paragraph) in self.paragraphs and len(words(paragraph)) >= MIN_DUPLICATE_WORDS:
            return ""
        if is_list(paragraph):
            return paragraph
        fresh = [s for s in sentences(paragraph) if len(words(s)) < MIN_SENTENCE_WORDS or _key(s) not in self.sentences]
        kept: list[str] = []
        for sentence in fresh:  # a sentence repeated inside the paragraph itself
            if len(words(sentence)) < MIN_SENTENCE_WORDS or _key(sentence) not in {_key(k) for k in kept}:
                kept.append(sentence)
        return " ".join(kept).strip()


def clean_paragraphs(paragraphs: list[str], seen: Seen, cut_off: bool = False) -> list[str]:
    """Paragraphs as a section may hold them: no metadata, nothing said before, every sentence whole.
    `cut_off`: the last one was stopped by the token budget or the repetition guard."""
    out = []
    for n, raw in enumerate(paragraphs):
        text = raw if is_code(raw) else strip_metadata(raw)
        text = finish(text, cut_off and n == len(paragraphs) - 1)
        text = seen.novel(text)
        if text and (is_code(text) or is_list(text) or len(words(text)) >= 3):
            text = finish(text, False)
            if text:
                seen.add(text)
                out.append(text)
    return out


def looping(text: str) -> bool:
    """The model repeats itself: a sentence said twice, or the same words in a row a third time."""
    said = [_key(s) for s in sentences(text) if len(words(s)) >= MIN_SENTENCE_WORDS and _END.search(s)]
    if len(said) != len(set(said)):
        return True
    tokens = words(text)
    counts: dict[tuple[str, ...], int] = {}
    for i in range(len(tokens) - LOOP_SHINGLE + 1):
        shingle = tuple(tokens[i:i + LOOP_SHINGLE])
        counts[shingle] = counts.get(shingle, 0) + 1
        if counts[shingle] >= 3:
            return True
    return False


def clean_title(title: str) -> str:
    """A title, never the instruction it came from: no leading "Write a post about", no Markdown, no
    closing full stop, capitalised."""
    text = " ".join(title.replace("#", " ").replace("*", " ").split()).strip(" \"'“”")
    text = re.sub(r"^title\s*:\s*", "", text, flags=re.I)
    text = _INSTRUCTION.sub("", text).rstrip(" .")
    if len(text.split()) > MAX_TITLE_WORDS:  # a headline, not a paragraph: its first part, when it has one
        head = re.split(r"\s*[:–—]\s+|\s+-\s+", text)[0]
        text = head if 3 <= len(head.split()) <= MAX_TITLE_WORDS else text
    return text[:1].upper() + text[1:] if text else text


def clean_tags(tags: list[str], limit: int) -> list[str]:
    out: list[str] = []
    for tag in tags:
        tag = re.sub(r"[^\w+#.-]+", "-", tag.strip().strip("#").lower()).strip("-.")
        if tag and tag not in out and len(tag) <= 40:
            out.append(tag)
    return out[:limit]
