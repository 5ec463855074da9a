"""The production embeddings path: folio's OpenAI-compatible provider against a REAL infinity-emb
server on CPU, serving the same packaged model as the in-process default."""

import math

import pytest

from data.embeddings.local import packaged_model_path
from data.embeddings.remote import RemoteEmbedder
from launch.composition import open_services
from folio.schemas import ProjectCreate
from testkit.infinity import SERVED_NAME, infinity_server

TEXTS = [
    "Ferrox is an open-loop HTTP load generator written in Rust.",
    "How do you tune hnsw.ef_search in pgvector?",
    "AWS Certified Solutions Architect – Associate (SAA-C03)",
    "ü ß 中文 — unicode survives the trip",
]


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b)) / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


@pytest.fixture(scope="module")
def infinity_url():
    with infinity_server(packaged_model_path()) as url:
        yield url


@pytest.mark.timeout(1500)
@pytest.mark.parametrize("suffix", ["", "/v1"])  # infinity serves without /v1; both base URL forms work
def test_infinity_vectors_equal_the_in_process_ones(infinity_url, embedder, suffix):
    remote = RemoteEmbedder(infinity_url + suffix, SERVED_NAME)
    assert remote.dimensions == embedder.dimensions == 384
    assert remote.model_id == embedder.model_id  # same model: switching provider needs no reindex
    for local_vector, remote_vector in zip(embedder.embed_documents(TEXTS), remote.embed_documents(TEXTS)):
        assert cosine(local_vector, remote_vector) > 0.999
    assert cosine(embedder.embed_query(TEXTS[1]), remote.embed_query(TEXTS[1])) > 0.999


async def test_writes_and_search_through_infinity(infinity_url, db_url, owner, visitor):
    services = open_services(db_url, embedder=RemoteEmbedder(infinity_url, SERVED_NAME))
    try:
        item = await services.projects.create(owner, ProjectCreate(
            title="Glint", summary="A terminal viewer for huge log files, written in Rust with ratatui."))
        assert item.search_pending is False
        hits = await services.search.search(visitor, "browse big logs from the console", legs=("vector",))
        assert [h.slug for h in hits] == ["glint"]
    finally:
        await services.db.dispose()
