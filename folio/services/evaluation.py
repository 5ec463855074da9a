"""Retrieval quality on a labelled question set: recall@5, MRR@10 and nDCG@10 for vector-only,
full-text-only and hybrid search, as a visitor sees it (`folio eval`, and the floor in the tests)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from folio.actor import VISITOR
from folio.services.search import SearchService

EVAL_FILE = Path(__file__).resolve().parents[2] / "data" / "demo" / "eval_questions.json"
MODES: dict[str, tuple[str, ...]] = {"vector": ("vector",), "text": ("text",), "hybrid": ("vector", "text")}
DEPTH = 10


@dataclass(frozen=True)
class Question:
    question: str
    expected: frozenset[str]  # "kind:slug"
    kind: str  # keyword | paraphrase | topic


@dataclass(frozen=True)
class Scores:
    recall_at_5: float
    mrr_at_10: float
    ndcg_at_10: float
    questions: int


def load_questions(path: Path = EVAL_FILE) -> list[Question]:
    return [Question(q["question"], frozenset(q["expected"]), q.get("kind", "")) for q in json.loads(path.read_text())]


def recall_at(ranked: list[str], expected: frozenset[str], k: int) -> float:
    return len(expected & set(ranked[:k])) / len(expected)


def reciprocal_rank(ranked: list[str], expected: frozenset[str], k: int) -> float:
    return next((1.0 / (i + 1) for i, key in enumerate(ranked[:k]) if key in expected), 0.0)


def ndcg_at(ranked: list[str], expected: frozenset[str], k: int) -> float:
    dcg = sum(1.0 / math.log2(i + 2) for i, key in enumerate(ranked[:k]) if key in expected)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(expected), k)))
    return dcg / ideal


def score(runs: list[tuple[list[str], frozenset[str]]]) -> Scores:
    n = len(runs)
    return Scores(sum(recall_at(r, e, 5) for r, e in runs) / n,
                  sum(reciprocal_rank(r, e, DEPTH) for r, e in runs) / n,
                  sum(ndcg_at(r, e, DEPTH) for r, e in runs) / n, n)


async def evaluate(search: SearchService, questions: list[Question],
                   progress: Callable[[], None] | None = None) -> dict[str, Scores]:
    """Scores per mode (vector, text, hybrid) over the questions."""
    runs: dict[str, list[tuple[list[str], frozenset[str]]]] = {mode: [] for mode in MODES}
    for q in questions:
        for mode, legs in MODES.items():
            hits = await search.search(VISITOR, q.question, limit=DEPTH, legs=legs)
            runs[mode].append(([f"{h.type}:{h.slug}" for h in hits], q.expected))
        if progress:
            progress()
    return {mode: score(r) for mode, r in runs.items()}
