"""Embedding providers behind one interface (base.Embedder): in-process sentence-transformers and
an OpenAI-compatible server (infinity-emb)."""

from data.embeddings.base import Embedder, EmbedderUnavailable
from data.embeddings.factory import make_embedder

__all__ = ["Embedder", "EmbedderUnavailable", "make_embedder"]
