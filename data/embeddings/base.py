"""The embedding interface. It is a LangChain `Embeddings`, so the same object serves folio's indexer
and any LangChain component; folio adds the model identity, its dimensions and its token window."""

from __future__ import annotations

import asyncio
import math
from abc import abstractmethod

from langchain_core.embeddings import Embeddings


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


class Embedder(Embeddings):
    """An embedding model. `model_id` is recorded with every stored vector; search uses only vectors
    whose model_id matches the active embedder's."""

    #: Tokens the model reads per text; longer texts are cut, so the chunker keeps below it.
    max_tokens: int = 256

    def __init__(self, name: str, dimensions: int | None = None):
        self.name = name
        self.truncate_to = dimensions

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
        return [truncate(v, self.truncate_to) for v in self._embed(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
        return await asyncio.to_thread(self.embed_documents, texts)

    async def aembed_query(self, text: str) -> list[float]:
        return (await self.aembed_documents([text]))[0]

    def warm_up(self) -> None:
        """Load the model now (start-up) instead of on the first request."""
        self.native_dimensions()
