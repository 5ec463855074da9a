"""Grounding for chat answers: retrieve from the portfolio, judge whether the best match is weak,
and log weak questions for the owner (their to-do list of what the portfolio does not say)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from folio.actor import Actor
from folio.errors import RateLimited
from folio.services.inbox import InboxService, Origin
from folio.services.search import SearchHit, SearchService

log = logging.getLogger(__name__)

ANSWER_HITS = 4  # items handed to the model: small models have small context windows
STRONG_DEPTH = 3  # a strong answer needs one of the first few hits found by every retriever


@dataclass(frozen=True)
class Retrieval:
    hits: list[SearchHit] = field(default_factory=list)
    weak: bool = True
    logged: bool = False  # the question went to the owner's inbox


def is_weak(hits: list[SearchHit]) -> bool:
    """Hybrid search ranks by reciprocal-rank fusion, which has no absolute scale, and its vector leg
    always returns neighbours, however far. An item that both the meaning (vector) and the words
    (full text) of the question lead to is a real match; when none of the first few is, it is weak.
    Without the vector leg (no hit carries it: the embedder is down), a full-text match counts."""
    if not hits:
        return True
    if not any("vector" in hit.legs for hit in hits):
        return False
    return not any({"vector", "text"} <= set(hit.legs) for hit in hits[:STRONG_DEPTH])


class AnswerService:
    def __init__(self, search: SearchService, inbox: InboxService, hits: int = ANSWER_HITS):
        self.search = search
        self.inbox = inbox
        self.hits = hits

    async def retrieve(self, actor: Actor, question: str, *, kind: str | None = None,
                       origin: Origin = Origin()) -> Retrieval:
        hits = await self.search.search(actor, question, limit=self.hits, kind=kind)
        weak = is_weak(hits)
        logged = False
        if weak and actor.is_visitor:
            try:
                _, logged = await self.inbox.record_question(question, origin,
                                                             best_match=hits[0].url if hits else None)
            except RateLimited as exc:  # the answer still comes; only the log entry is refused
                log.info("unanswered question not logged: %s", exc.message)
        return Retrieval(hits, weak, logged)
