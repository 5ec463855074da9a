"""What answers are read against: the catalogue of items an actor may see (folio.services.catalogue), and
how close a search hit is to a question in meaning (the embedding model), with the weak-match rule MCP's
search reports."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Sequence

from data.embeddings import Embedder, EmbedderUnavailable
from folio.actor import Actor
from folio.services.catalogue import Catalogue
from folio.services.profile import ProfileService
from folio.services.content import ContentService
from folio.services.inbox import InboxService, Origin
from folio.services.search import SearchHit, SearchService

log = logging.getLogger(__name__)

ANSWER_HITS = 4  # items handed to the model: small models have small context windows
# Cosine similarity between the question and the best hit's title + snippet below which the match is
# weak, unless a distinctive word of the question appears in a hit (rare names: "HdrHistogram",
# "SetFit" score low in meaning). Tuned with all-MiniLM-L6-v2 on the demo portfolio's labelled
# questions (benchmarks/weak_match.py); other embedding models need their own value.
DEFAULT_MIN_RELEVANCE = 0.30
# Below this, the message is not about the portfolio at all (greetings, homework, "capital of France":
# 0.0-0.08 on the demo): nothing is logged for the owner.
OFF_TOPIC_BELOW = 0.12


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return sum(x * y for x, y in zip(a, b)) / norm if norm else 0.0


# Words that say nothing about what is asked for (English function words, portfolio vocabulary).
GENERIC_WORDS = frozenset("""
about above after again also anything any are because been before being both build built but can certification
certifications could did does doing done during each else ever every experience few for from had has have having
here how into its just know like made make many more most much must not now off once only other our out over own
portfolio post posts project projects same should some something such than that the their them then there these
they this those through too under until use used uses using very was way were what when where which while who
whom why will with work worked working would write written wrote you your yours developer tell please thanks
""".split())
_WORD = re.compile(r"[a-z][a-z0-9+#.\-]*[a-z0-9+#]")


def distinctive_words(question: str) -> set[str]:
    return {w for w in _WORD.findall(question.lower()) if len(w) >= 3 and w not in GENERIC_WORDS}


def mentions(question: str, hits: list[SearchHit]) -> bool:
    """A distinctive word of the question appears, as a word, in a hit's title or snippet."""
    words = distinctive_words(question)
    if not words:
        return False
    for hit in hits:
        found = set(_WORD.findall(f"{hit.title} {hit.snippet}".lower()))
        if words & found:
            return True
    return False


def weak_by_legs(hits: list[SearchHit]) -> bool:
    """Without an embedder: only full-text hits exist, and any of them counts as a match."""
    return not hits


class AnswerService:
    def __init__(self, search: SearchService, inbox: InboxService, embedder: Embedder | None = None,
                 min_relevance: float = DEFAULT_MIN_RELEVANCE, hits: int = ANSWER_HITS,
                 content: Callable[[str], ContentService] | None = None, profile: ProfileService | None = None,
                 catalogue: Catalogue | None = None):
        self.search = search
        self._catalogue = catalogue  # every item an actor may see, as evidence
        self.profile = profile  # who the owner is: questions about them are answered from it
        self._content = content
        self.inbox = inbox
        self.embedder = embedder
        self.min_relevance = min_relevance
        self.hits = hits

    def content(self, kind: str) -> ContentService:
        if self._content is None:
            raise RuntimeError("AnswerService was built without the content services")
        return self._content(kind)

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            raise RuntimeError("AnswerService was built without the catalogue")
        return self._catalogue

    async def relevance(self, question: str, hits: list[SearchHit]) -> float | None:
        """How close the best hit is to the question in meaning (RRF scores have no absolute scale)."""
        scores = await self.scores(question, hits)
        return max(scores) if scores else None

    async def scores(self, question: str, hits: list[SearchHit]) -> list[float] | None:
        """Each hit's closeness to the question in meaning (cosine of question and title + snippet)."""
        if not hits or self.embedder is None:
            return None
        try:
            # The stripped question is the text search embedded a moment ago: the embedder's cache
            # answers it (and the snippets of matches it has seen before) without the model.
            vectors = await self.embedder.aembed_documents([question.strip(),
                                                            *(f"{h.title}. {h.snippet}" for h in hits)])
        except EmbedderUnavailable as exc:
            log.warning("relevance not measured: %s", exc)
            return None
        return [_cosine(vectors[0], v) for v in vectors[1:]]
