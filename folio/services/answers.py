"""Grounding for chat answers: retrieve from the portfolio, judge whether the best match is weak,
and log weak questions for the owner (their to-do list of what the portfolio does not say)."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from data.embeddings import Embedder, EmbedderUnavailable
from folio.actor import Actor
from folio.errors import RateLimited
from folio.services.inbox import InboxService, Origin
from folio.services.search import SearchHit, SearchService

log = logging.getLogger(__name__)

ANSWER_HITS = 4  # items handed to the model: small models have small context windows
# Cosine similarity between the question and the best hit's title + snippet below which the match is
# weak. Measured with all-MiniLM-L6-v2 on the demo portfolio: questions it answers score 0.44-0.65,
# unrelated ones 0.0-0.30 (see benchmarks/weak_match.py). Other embedding models need their own value.
DEFAULT_MIN_RELEVANCE = 0.35
# Below this, the message is not about the portfolio at all (greetings, homework, "capital of France":
# 0.0-0.08 on the demo): nothing is logged for the owner.
OFF_TOPIC_BELOW = 0.12


@dataclass(frozen=True)
class Retrieval:
    hits: list[SearchHit] = field(default_factory=list)
    weak: bool = True
    relevance: float | None = None  # None: not measured (no embedder)
    logged: bool = False  # the question went to the owner's inbox

    @property
    def off_topic(self) -> bool:
        return not self.hits or (self.relevance is not None and self.relevance < OFF_TOPIC_BELOW)


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return sum(x * y for x, y in zip(a, b)) / norm if norm else 0.0


def weak_by_legs(hits: list[SearchHit]) -> bool:
    """Without an embedder: only full-text hits exist, and any of them counts as a match."""
    return not hits


class AnswerService:
    def __init__(self, search: SearchService, inbox: InboxService, embedder: Embedder | None = None,
                 min_relevance: float = DEFAULT_MIN_RELEVANCE, hits: int = ANSWER_HITS):
        self.search = search
        self.inbox = inbox
        self.embedder = embedder
        self.min_relevance = min_relevance
        self.hits = hits

    async def relevance(self, question: str, hits: list[SearchHit]) -> float | None:
        """How close the best hit is to the question in meaning (RRF scores have no absolute scale)."""
        if not hits or self.embedder is None:
            return None
        try:
            vectors = await self.embedder.aembed_documents([question, *(f"{h.title}. {h.snippet}" for h in hits)])
        except EmbedderUnavailable as exc:
            log.warning("relevance not measured: %s", exc)
            return None
        return max(_cosine(vectors[0], v) for v in vectors[1:])

    async def retrieve(self, actor: Actor, question: str, *, kind: str | None = None,
                       origin: Origin = Origin()) -> Retrieval:
        hits = await self.search.search(actor, question, limit=self.hits, kind=kind)
        relevance = await self.relevance(question, hits)
        weak = weak_by_legs(hits) if relevance is None else relevance < self.min_relevance
        logged = False
        if weak and actor.is_visitor and hits and (relevance is None or relevance >= OFF_TOPIC_BELOW):
            try:
                _, logged = await self.inbox.record_question(question, origin,
                                                             best_match=hits[0].url if hits else None)
            except RateLimited as exc:  # the answer still comes; only the log entry is refused
                log.info("unanswered question not logged: %s", exc.message)
        return Retrieval(hits, weak, relevance, logged)
