"""Questions grouped by meaning: a single pass of leader clustering over their embeddings (cosine).

Each question joins the closest group whose first question is at least SIMILAR to it, or starts a new
group. Deterministic, one matrix product per question, so 10,000 questions take a fraction of a second.
A question without an embedding (the embedder was down) is grouped with the same text only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import numpy as np

SIMILAR = 0.5  # all-MiniLM-L6-v2: one topic asked differently ~0.5-0.85; "Go projects" vs "Python projects" 0.48

T = TypeVar("T")


@dataclass
class Group(Generic[T]):
    members: list[T] = field(default_factory=list)
    size: int = 0


def cluster(items: Sequence[T], vectors: Sequence[Sequence[float] | None], texts: Sequence[str],
            similar: float = SIMILAR, weights: Sequence[int] | None = None) -> list[Group[T]]:
    """Groups of `items`, the largest first (by the sum of `weights`, each item 1 without them; ties:
    first seen first)."""
    groups: list[Group[T]] = []
    led: list[Group[T]] = []  # the groups with an embedded first question, in the rows of `leaders`
    leaders: np.ndarray | None = None
    by_text: dict[str, Group[T]] = {}
    for item, vector, said, weight in zip(items, vectors, texts, weights or [1] * len(items), strict=True):
        key = " ".join(said.lower().split())
        group = by_text.get(key)  # the same words: the same group, embedded or not
        if group is None and vector is not None and len(vector) and leaders is not None:
            v = _unit(vector)
            scores = leaders[:len(led)] @ v
            best = int(np.argmax(scores))
            group = led[best] if scores[best] >= similar else None
        if group is None:
            group = Group()
            groups.append(group)
            if vector is not None and len(vector):
                v = _unit(vector)
                if leaders is None:
                    leaders = np.zeros((64, v.shape[0]), dtype=np.float32)
                elif len(led) == leaders.shape[0]:
                    leaders = np.vstack([leaders, np.zeros_like(leaders)])
                leaders[len(led)] = v
                led.append(group)
        group.members.append(item)
        group.size += weight
        by_text[key] = group
    return sorted(groups, key=lambda g: -g.size)


def _unit(vector: Sequence[float]) -> np.ndarray:
    v = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v
