"""The embedding interface. It is a LangChain `Embeddings`, so the same object serves folio's indexer
and any LangChain component; folio adds the model identity, its dimensions and its token window."""

from __future__ import annotations

import asyncio
import math
import threading
from abc import abstractmethod
from collections import OrderedDict

from langchain_core.embeddings import Embeddings
from prometheus_client import Counter

#: Served at /metrics with folio's other metrics (folio/metrics.py); defined here since data never imports folio.
EMBEDDING_ERRORS = Counter("folio_embedding_errors", "Embedding calls that failed (model unreachable or not "
                           "loaded), by embedder class", ["embedder"])


class EmbedderUnavailable(RuntimeError):
    """The embedding model cannot be reached or loaded right now."""


def truncate(vector: list[float], dims: int | None) -> list[float]:
    """Matryoshka-style truncation: keep the first `dims` values and renormalise to unit length."""
    if dims is None or dims >= len(vector):
        return list(vector)
    head = list(vector[:dims])
    norm = math.sqrt(sum(v * v for v in head)) or 1.0
    return [v / norm for v in head]


def estimate_tokens(text: str) -> int:
    """About 4 characters a token, never fewer tokens than words (for providers without a tokenizer)."""
    return max(len(text.split()), math.ceil(len(text) / 4))


#: Vectors kept per embedder, most recently used first out last: a visitor's question is embedded for
#: search and again for the chat's relevance check, and the best matches' snippets recur across questions.
CACHE_SIZE = 1024
#: Batches larger than this (indexing, `folio reindex`) neither read nor fill the cache.
CACHED_BATCH = 16


class Embedder(Embeddings):
    """An embedding model. `model_id` is recorded with every stored vector; search uses only vectors
    whose model_id matches the active embedder's."""

    #: Tokens the model reads per text; longer texts are cut, so the chunker keeps below it.
    max_tokens: int = 256

    def __init__(self, name: str, dimensions: int | None = None):
        self.name = name
        self.truncate_to = dimensions
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return self.name if self.truncate_to is None else f"{self.name}@{self.truncate_to}"

    @property
    def dimensions(self) -> int:
        native = self.native_dimensions()
        return native if self.truncate_to is None else min(native, self.truncate_to)

    @abstractmethod
    def native_dimensions(self) -> int: ...

    @abstractmethod
    def _embed(self, texts: list[str]) -> list[list[float]]: ...

    def count_tokens(self, text: str) -> int:
        """Providers with the model's tokenizer count exactly; others estimate."""
        return estimate_tokens(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        if len(texts) > CACHED_BATCH:
            return [truncate(v, self.truncate_to) for v in self._embed_counted(list(texts))]
        vectors = self._cached(texts)
        missing = [i for i, v in enumerate(vectors) if v is None]
        if missing:
            fresh = [truncate(v, self.truncate_to) for v in self._embed_counted([texts[i] for i in missing])]
            with self._cache_lock:
                for i, vector in zip(missing, fresh):
                    vectors[i] = vector
                    self._cache[texts[i]] = list(vector)
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return vectors

    def _embed_counted(self, texts: list[str]) -> list[list[float]]:
        try:
            return self._embed(texts)
        except EmbedderUnavailable:
            EMBEDDING_ERRORS.labels(type(self).__name__).inc()
            raise

    def forget(self, text: str) -> None:
        """Drop one text's cached vector (benchmarks measure a new visitor's question)."""
        with self._cache_lock:
            self._cache.pop(text, None)

    def forget_all(self) -> None:
        """Drop every cached vector (benchmarks compare two writes of the same texts)."""
        with self._cache_lock:
            self._cache.clear()

    def _cached(self, texts: list[str]) -> list[list[float] | None]:
        with self._cache_lock:
            found = [self._cache.get(t) for t in texts]
            for t, vector in zip(texts, found):
                if vector is not None:
                    self._cache.move_to_end(t)
        return [list(v) if v is not None else None for v in found]  # copies: callers may change theirs

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
        if texts and len(texts) <= CACHED_BATCH:
            vectors = self._cached(texts)
            if all(v is not None for v in vectors):  # no thread hop when nothing is left to compute
                return vectors
        return await asyncio.to_thread(self.embed_documents, texts)

    async def aembed_query(self, text: str) -> list[float]:
        return (await self.aembed_documents([text]))[0]

    def warm_up(self) -> None:
        """Load the model now (start-up) instead of on the first request."""
        self.native_dimensions()
