"""The embedder's small cache: a visitor's question is embedded once per chat turn (search, then the
relevance check), with the real in-process model."""

from data.embeddings.base import CACHED_BATCH
from data.embeddings.local import LocalEmbedder


class CountingEmbedder(LocalEmbedder):
    """The real model; records which texts reached it."""

    def __init__(self):
        super().__init__()
        self.computed: list[list[str]] = []

    def _embed(self, texts):
        self.computed.append(list(texts))
        return super()._embed(texts)


async def test_a_question_searched_then_checked_is_embedded_once():
    model = CountingEmbedder()
    question = "Which projects use Rust?"
    searched = await model.aembed_query(question)
    checked = await model.aembed_documents([question, "Glint. A terminal log viewer in Rust."])
    assert model.computed == [[question], ["Glint. A terminal log viewer in Rust."]]
    assert checked[0] == searched and len(searched) == 384
    again = await model.aembed_documents([question, "Glint. A terminal log viewer in Rust."])
    assert again == checked and len(model.computed) == 2  # all from the cache, no model call

    again[0][0] = 42.0  # a caller changing its copy does not change the cache
    assert model.embed_query(question)[0] == searched[0] != 42.0


async def test_bulk_batches_bypass_the_cache():
    model = CountingEmbedder()
    texts = [f"chunk number {i}" for i in range(CACHED_BATCH + 1)]
    first = await model.aembed_documents(texts)
    await model.aembed_documents(texts)
    assert model.computed == [texts, texts] and len(first) == len(texts)
    alone = await model.aembed_query(texts[0])  # computed: the bulk batch was not cached
    assert len(model.computed) == 3 and sum(a * b for a, b in zip(alone, first[0])) > 0.9999


def test_small_batches_are_encoded_on_one_thread_with_the_same_vectors():
    """A question is encoded on one torch thread (no intra-op threads to stall on a busy machine), the
    vectors are those of a multi-threaded encode, and the process's thread setting is left as it was."""
    import torch

    model = LocalEmbedder()
    seen: list[int] = []
    encode = model.model.encode

    def recording(*args, **kwargs):
        seen.append(torch.get_num_threads())
        return encode(*args, **kwargs)

    before = torch.get_num_threads()
    model.model.encode = recording
    try:
        question = model._embed(["Which projects use Rust?"])[0]
        bulk = model._embed(["Which projects use Rust?"] + [f"chunk number {i}" for i in range(40)])[0]
    finally:
        del model.model.encode
    assert seen == [1, before] and torch.get_num_threads() == before
    assert max(abs(a - b) for a, b in zip(question, bulk)) < 1e-4
