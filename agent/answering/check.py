"""Check every sentence the model wrote against the fact sheet, whatever its language: each item it
names, number, and link must come from the facts or the passages. A sentence that fails is dropped
(never replaced); a list keeps every item the facts list; when nothing survives, the facts are shown."""

from __future__ import annotations

import re
import unicodedata

from agent.answering.facts import Facts
from folio.services.catalogue import Record

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w])")
_URL = re.compile(r"https?://[^\s)\]>\"']+")
_SENTENCE = re.compile(r"(?<=[.!?。])\s+|\n+")


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _numbers(text: str) -> set[str]:
    return {n.replace(",", ".").rstrip("0").rstrip(".") if "." in n or "," in n else n.lstrip("0") or "0"
            for n in _NUMBER.findall(text)}


def _titles_in(sentence: str, records: list[Record]) -> list[Record]:
    s = f" {fold(sentence)} "
    return [r for r in records if len(r.title) > 2 and re.search(rf"(?<!\w){re.escape(fold(r.title))}(?!\w)", s)]


def sentence_ok(sentence: str, facts: Facts, catalogue: list[Record], material_numbers: set[str],
                material_text: str) -> bool:
    allowed = {r.key for r in facts.items}
    if any(r.key not in allowed for r in _titles_in(sentence, catalogue)):
        return False
    if not _numbers(sentence) <= material_numbers:
        return False
    return all(url.rstrip(".,;") in material_text for url in _URL.findall(sentence))


def check(answer: str, facts: Facts, catalogue: list[Record], must_name: list[Record]) -> tuple[str, int]:
    """The answer with unsupported sentences dropped and missing listed items added; and how many
    sentences were dropped. Empty when nothing survives."""
    material = facts.material()
    numbers, dropped, kept = _numbers(material), 0, []
    for part in _SENTENCE.split(answer.strip()):
        if not part.strip():
            continue
        if sentence_ok(part, facts, catalogue, numbers, material):
            kept.append(part.strip())
        else:
            dropped += 1
    text = "\n".join(kept) if any(k.startswith(("-", "*", "1")) for k in kept) else " ".join(kept)
    if not text.strip():
        return "", dropped
    named = fold(text)
    missing = [r for r in must_name if fold(r.title) not in named]
    if missing:
        text += "\n" + "\n".join(f"- {r.title}" for r in missing)
    return text, dropped


class RepetitionGuard:
    """Stops a generation that loops: the same run of words seen `times` times."""

    def __init__(self, n: int = 6, times: int = 3):
        self.n, self.times = n, times
        self.words: list[str] = []
        self.seen: dict[tuple[str, ...], int] = {}
        self._partial = ""

    def feed(self, token: str) -> bool:
        """True when the text so far repeats itself."""
        self._partial += token
        *done, self._partial = re.split(r"\s+", self._partial)
        for word in done:
            if not word:
                continue
            self.words.append(word.lower())
            if len(self.words) >= self.n:
                gram = tuple(self.words[-self.n:])
                self.seen[gram] = self.seen.get(gram, 0) + 1
                if self.seen[gram] >= self.times:
                    return True
        return False
