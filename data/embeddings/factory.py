"""Choose the provider: a server URL means OpenAI-compatible (infinity-emb), none means in process."""

from __future__ import annotations

from data.embeddings.base import Embedder


def make_embedder(base_url: str | None, model: str, api_key: str = "not-needed",
                  dimensions: int | None = None) -> Embedder:
    if base_url:
        from data.embeddings.remote import RemoteEmbedder

        return RemoteEmbedder(base_url, model, api_key=api_key, dimensions=dimensions)
    from data.embeddings.local import LocalEmbedder

    return LocalEmbedder(model, dimensions=dimensions)
