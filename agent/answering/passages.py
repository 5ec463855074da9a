"""The passages of one item's whole text that best answer a question: the text split at paragraphs
(long ones at sentences), ranked by meaning (the embedding model) and shared words."""

from __future__ import annotations

import math
import re

from data.embeddings import Embedder
from data.embeddings.base import EmbedderUnavailable
from folio.services.catalogue import Record

PASSAGE_CHARS = 500
TOP = 2
_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def split(text: str) -> list[str]:
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        para = " ".join(line.strip() for line in para.splitlines() if not line.strip().startswith("```"))
        para = para.strip()
        if not para:
            continue
        if len(para) <= PASSAGE_CHARS:
            out.append(para)
            continue
        chunk = ""
        for sentence in _SENTENCE.split(para):
            if chunk and len(chunk) + len(sentence) > PASSAGE_CHARS:
                out.append(chunk)
                chunk = ""
            chunk = f"{chunk} {sentence}".strip()
        if chunk:
            out.append(chunk)
    return out


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    na, nb = math.sqrt(sum(x * x for x in a)), math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


def _overlap(question: str, passage: str) -> float:
    q = {w for w in _WORD.findall(question.lower()) if len(w) > 3}
    if not q:
        return 0.0
    return len(q & set(_WORD.findall(passage.lower()))) / len(q)


class PassageFinder:
    def __init__(self, embedder: Embedder | None):
        self.embedder = embedder
        self._kept: dict[tuple[str, str], tuple[list[str], list[list[float]] | None]] = {}

    async def _split(self, record: Record) -> tuple[list[str], list[list[float]] | None]:
        key = (record.key, str(record.values.get("updated_at")))
        if key not in self._kept:
            parts = split("\n\n".join(p for p in (record.summary, record.body,
                                                  "\n\n".join(record.values.get("highlights", []))) if p))
            vectors = None
            if self.embedder is not None and parts:
                try:
                    vectors = await self.embedder.aembed_documents(parts)
                except EmbedderUnavailable:
                    vectors = None
            if len(self._kept) > 500:
                self._kept.clear()
            self._kept[key] = (parts, vectors)
        return self._kept[key]

    async def best(self, record: Record, question: str) -> list[str]:
        parts, vectors = await self._split(record)
        if not parts:
            return [record.summary] if record.summary else []
        scores = [_overlap(question, part) for part in parts]
        if vectors is not None:
            try:
                qv = await self.embedder.aembed_query(question)
                scores = [s * 0.5 + _cosine(qv, v) for s, v in zip(scores, vectors, strict=True)]
            except EmbedderUnavailable:
                pass
        ranked = sorted(range(len(parts)), key=lambda i: -scores[i])[:TOP]
        return [parts[i] for i in sorted(ranked)]


# Words that say what kind of question it is, not what it is about.
_ASKING = set("what which whom whose when where why how many much does did do done have has had the this that these "
              "those with from into about for her his she they them their there used uses using use make made "
              "value number amount recommend recommended recommends setting settings time long take takes took "
              "size tell yourself herself himself themself".split())


def supported(phrase: str, record: Record, passages: list[str]) -> bool:
    """Whether the passages speak of what the phrase (the question's English subject) asks, beyond the item
    itself: one of its content words (by their first five letters) is in them. "GitHub stars of X" when X's
    text never mentions stars: not supported, so not answered with X's passages. (Two thirds of the words
    refused passages that hold the answer in other words: "the disk warning threshold" answered by "warns
    when free space drops under 10%".)"""
    own = {w[:5] for w in _WORD.findall(f"{record.title} {record.slug}".lower().replace("-", " "))}
    wanted = {w[:5] for w in _WORD.findall(phrase.lower().replace("-", " "))
              if len(w) > 3 and w not in _ASKING and not w.isdigit()} - own
    if not wanted:
        return True
    have = {w[:5] for w in _WORD.findall(" ".join(passages).lower().replace("-", " "))}
    return bool(wanted & have)
