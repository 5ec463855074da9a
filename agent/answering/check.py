"""Check every sentence the model wrote against the fact sheet, whatever its language: each item it
names, number, and link must come from the facts or the passages. A sentence that fails is dropped
(never replaced); a list keeps every item the facts list; when nothing survives, the facts are shown."""

from __future__ import annotations

import re

from agent.answering.facts import Facts
from agent.reading.language import MONTH_NUMBER
from agent.reading.naming import fold
from folio.services.catalogue import Record

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w])")
_URL = re.compile(r"https?://[^\s)\]>\"']+")
_SENTENCE = re.compile(r"(?<=[.!?。])\s+|\n+")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", ".").rstrip("0").rstrip(".") if "." in n or "," in n else n.lstrip("0") or "0"
            for n in _NUMBER.findall(text)}


_MONTH_YEAR = re.compile(r"([a-z]+)\.?(?:\s+(?:de|of|del|di|du))?,?\s+((?:19|20)\d\d)\b")


def month_years(text: str) -> set[tuple[int, int]]:
    """(month, year) pairs a text names, in any of the languages month names are known for."""
    return {(MONTH_NUMBER[m], int(y)) for m, y in _MONTH_YEAR.findall(fold(text)) if m in MONTH_NUMBER}


def _titles_in(sentence: str, records: list[Record]) -> list[Record]:
    s = f" {fold(sentence)} "
    return [r for r in records if len(r.title) > 2 and re.search(rf"(?<!\w){re.escape(fold(r.title))}(?!\w)", s)]


_CAPITAL = re.compile(r"(?<=\s)[A-ZÀ-Þ][\w-]{3,}")
_RUN = re.compile(r"(?<=\s)[A-ZÀ-Þ][\w-]+(?:\s+(?:de|da|do|del|of|von|van|di|du|la)?\s*[A-ZÀ-Þ][\w-]+)+")


def _names_ok(sentence: str, known: set[str], nouns_capitalised: bool = False) -> bool:
    """Names the facts and the question don't hold are invented ("la Universidad de California, San Diego"):
    a sentence may hold one unknown capitalised word (past its first), not two. Where every noun is
    capitalised (German), only a run of capitalised words counts as a name."""
    text = f" {sentence.strip()}"
    words = [m for run in _RUN.findall(text) for m in run.split()] if nouns_capitalised else _CAPITAL.findall(text)
    unknown = {fold(w) for w in words if len(w) > 3 and fold(w) not in known}
    return len(unknown) < 2


def sentence_ok(sentence: str, facts: Facts, catalogue: list[Record], material_numbers: set[str],
                material_text: str, known: set[str] | None = None, nouns_capitalised: bool = False,
                dates: set[tuple[int, int]] | None = None) -> bool:
    known = known if known is not None else set(re.findall(r"\w+", fold(material_text)))
    if not _names_ok(sentence, known, nouns_capitalised):
        return False
    allowed = {r.key for r in facts.items}
    if any(r.key not in allowed for r in _titles_in(sentence, catalogue)):
        return False
    if not _numbers(sentence) <= material_numbers:
        return False
    if dates is not None and not month_years(sentence) <= dates:  # "left in June 2023" when it was February
        return False
    return all(url.rstrip(".,;") in material_text for url in _URL.findall(sentence))


class Checker:
    """Checks a model's sentences as they come (each item, number and link must be in the facts), keeps
    each sentence once, and at the end adds any listed item the kept text does not name."""

    def __init__(self, facts: Facts, catalogue: list[Record], must_name: list[Record], question: str = "",
                 language: str = "en", lead: Record | None = None):
        """`lead`: the item the answer must name before any other (a superlative's winner): a sentence that
        names other items first is dropped, whatever it claims about them."""
        self.facts, self.catalogue, self.must_name, self.lead = facts, catalogue, must_name, lead
        self.material = facts.material()
        self.known = set(re.findall(r"\w+", fold(f"{self.material} {question}")))  # words a name may use
        self.nouns_capitalised = language == "de"
        self.numbers = _numbers(facts.said())  # not every number of the items' whole text
        self.dates = month_years(facts.said())
        self.seen: set[str] = set()
        self.dropped = 0

    def ok(self, sentence: str) -> bool:
        key = fold(sentence.strip())
        if not key or key in self.seen:  # a sentence said twice is said once
            return False
        self.seen.add(key)
        if sentence_ok(sentence, self.facts, self.catalogue, self.numbers, self.material, self.known,
                       self.nouns_capitalised, self.dates) and self._lead_first(sentence):
            return True
        self.dropped += 1
        return False

    def _lead_first(self, sentence: str) -> bool:
        if self.lead is None:
            return True
        named = {r.key for r in _titles_in(sentence, self.catalogue)}
        if self.lead.key in named:
            self.lead = None  # named: what follows may speak of the others
        return not named or self.lead is None

    def missing(self, text: str) -> str:
        """Bullets for the listed items the text does not name ("" when it names them all)."""
        named = fold(text)
        return "\n".join(f"- {r.title}" for r in self.must_name if fold(r.title) not in named)


def check(answer: str, facts: Facts, catalogue: list[Record], must_name: list[Record]) -> tuple[str, int]:
    """A whole answer checked at once: its supported sentences, plus any listed item it left out; and how
    many sentences were dropped. Empty when nothing survives."""
    checker = Checker(facts, catalogue, must_name)
    kept = [part.strip() for part in _SENTENCE.split(answer.strip()) if part.strip() and checker.ok(part)]
    text = "\n".join(kept) if any(k.startswith(("-", "*")) for k in kept) else " ".join(kept)
    if not text.strip():
        return "", checker.dropped
    if missing := checker.missing(text):
        text += "\n" + missing
    return text, checker.dropped


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
