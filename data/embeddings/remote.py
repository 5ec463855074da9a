"""An OpenAI-compatible embeddings server (infinity-emb in production) through langchain-openai."""

from __future__ import annotations

import threading

import openai
from langchain_openai import OpenAIEmbeddings

from data.embeddings.base import Embedder, EmbedderUnavailable



def candidate_base_urls(base_url: str) -> list[str]:
    """infinity serves /embeddings without /v1 unless started with --url-prefix /v1: accept both forms
    by trying the URL as given first, then the other form."""
    base = base_url.rstrip("/")
    other = base[: -len("/v1")] if base.endswith("/v1") else base + "/v1"
    return [base, other]


class RemoteEmbedder(Embedder):
    def __init__(self, base_url: str, name: str, api_key: str = "not-needed", dimensions: int | None = None,
                 timeout: float = 30.0, max_retries: int = 1):
        super().__init__(name, dimensions)
        self.base_url = base_url
        self._clients = [
            OpenAIEmbeddings(base_url=url, model=name, api_key=api_key, check_embedding_ctx_length=False,
                             timeout=timeout, max_retries=max_retries)
            for url in candidate_base_urls(base_url)
        ]
        self._native: int | None = None
        self._lock = threading.Lock()

    def native_dimensions(self) -> int:
        if self._native is None:
            self._embed(["dimension probe"])
        return self._native  # type: ignore[return-value]

    def _embed(self, texts: list[str]) -> list[list[float]]:
        last: Exception | None = None
        for i, client in enumerate(self._clients):
            try:
                vectors = client.embed_documents(texts)
            except openai.NotFoundError as exc:  # wrong prefix: try the other URL form
                last = exc
                continue
            except openai.APIError as exc:  # unreachable, timed out, 5xx, rate limited, refused
                raise EmbedderUnavailable(f"embeddings server {self.base_url} is unavailable: {exc}") from exc
            if i:  # remember the form that worked
                with self._lock:
                    self._clients.insert(0, self._clients.pop(i))
            self._native = len(vectors[0])
            return vectors
        raise EmbedderUnavailable(f"embeddings server {self.base_url} has no /embeddings endpoint: {last}")
