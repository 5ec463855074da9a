"""Search on a real PostgreSQL + pgvector with the real in-process embedding model."""

import pytest
from prometheus_client import REGISTRY

from data.embeddings.local import LocalEmbedder
from data.embeddings.remote import RemoteEmbedder
from data.repositories.search import NewChunk, SearchRepository
from folio.errors import ValidationFailed
from launch.composition import open_services
from folio.schemas import CertificationCreate, PostCreate, PostUpdate, ProjectCreate, ProjectUpdate
from folio.services.evaluation import evaluate, load_questions
from folio.services.indexing import SearchIndexer
from testkit.procs import free_port


async def test_exact_words_win_through_full_text_and_drafts_stay_hidden(services, owner, visitor):
    await services.projects.create(owner, ProjectCreate(
        title="Ferrox", summary="A Rust HTTP load tester", tech_stack=["Rust", "tokio"]))
    await services.posts.create(owner, PostCreate(title="Tokio internals", body="How the tokio scheduler works"))
    await services.certifications.create(owner, CertificationCreate(
        name="AWS Solutions Architect", issuer="Amazon", description="Passed exam SAA-C03."))

    hits = await services.search.search(visitor, "tokio")
    assert [(h.type, h.slug) for h in hits] == [("project", "ferrox")]  # the draft post is hidden
    assert hits[0].url == "/api/v1/projects/ferrox" and "text" in hits[0].legs
    owner_hits = await services.search.search(owner, "tokio")
    assert {h.slug for h in owner_hits} == {"ferrox", "tokio-internals"}
    assert [h.slug for h in await services.search.search(owner, "tokio", kind="post")] == ["tokio-internals"]
    cert = await services.search.search(visitor, "SAA-C03")
    assert cert[0].slug == "aws-solutions-architect" and "text" in cert[0].legs


async def test_write_is_searchable_by_meaning_at_once(services, owner, visitor):
    item = await services.projects.create(owner, ProjectCreate(
        title="Tidewater", summary="Streams shop clickstream events through Kafka to count visits per minute."))
    assert item.search_pending is False
    hits = await services.search.search(visitor, "real-time analytics of website traffic")
    assert hits and hits[0].slug == "tidewater" and "vector" in hits[0].legs
    assert "clickstream" in hits[0].snippet


async def test_update_replaces_the_indexed_text(services, owner):
    await services.posts.create(owner, PostCreate(title="Notes", body="Zanzibar is an authorization system."))
    assert [h.slug for h in await services.search.search(owner, "Zanzibar", legs=("text",))] == ["notes"]
    await services.posts.update(owner, "notes", PostUpdate(body="Kestrel is a web server."))
    assert await services.search.search(owner, "Zanzibar", legs=("text",)) == []
    assert [h.slug for h in await services.search.search(owner, "Kestrel", legs=("text",))] == ["notes"]
    await services.posts.delete(owner, "notes")
    assert await services.search.search(owner, "Kestrel") == []


async def test_unpublishing_hides_from_visitors_at_once(services, owner, visitor):
    await services.projects.create(owner, ProjectCreate(title="Quokka", summary="A quokka tracker."))
    await services.posts.create(owner, PostCreate(title="Quokka diary", body="Quokkas all day.", status="published"))
    assert {h.slug for h in await services.search.search(visitor, "quokka")} == {"quokka", "quokka-diary"}
    await services.projects.update(owner, "quokka", ProjectUpdate(published=False))
    await services.posts.update(owner, "quokka-diary", PostUpdate(status="draft"))
    assert await services.search.search(visitor, "quokka") == []
    assert {h.slug for h in await services.search.search(owner, "quokka")} == {"quokka", "quokka-diary"}


async def test_off_topic_questions_find_nothing(demo_services, visitor):
    assert await demo_services.search.search(visitor, "banana bread recipe") == []


async def test_embedder_down_saves_marks_pending_and_reindex_heals(db_url, services, owner, visitor):
    down = RemoteEmbedder(f"http://127.0.0.1:{free_port()}", "all-MiniLM-L6-v2", timeout=2)
    offline = open_services(db_url, embedder=down)
    errors = {"embedder": "RemoteEmbedder"}
    before = REGISTRY.get_sample_value("folio_embedding_errors_total", errors) or 0
    try:
        item = await offline.projects.create(owner, ProjectCreate(
            title="Pelican", summary="Static site generator plugin for Jupyter notebooks."))
        assert item.search_pending is True  # saved, and the caller is told
        assert REGISTRY.get_sample_value("folio_embedding_errors_total", errors) > before  # /metrics counts it
        assert (await offline.projects.get(owner, "pelican")).title == "Pelican"
        hits = await offline.search.search(visitor, "Jupyter notebooks")  # full text still finds it
        assert [(h.slug, h.legs) for h in hits] == [("pelican", ("text",))]
    finally:
        await offline.db.dispose()

    # Back up: search has no vector for it yet, and reindex embeds it.
    assert await services.indexer.pending_count(services.db) > 0
    report = await services.indexer.reindex(services.db)
    assert report.items == 1 and report.embedded >= 1
    assert await services.indexer.pending_count(services.db) == 0
    hits = await services.search.search(visitor, "turning data-science notebooks into a blog", legs=("vector",))
    assert hits[0].slug == "pelican"


async def test_next_write_heals_pending_items(db_url, services, owner):
    down = RemoteEmbedder(f"http://127.0.0.1:{free_port()}", "all-MiniLM-L6-v2", timeout=2)
    offline = open_services(db_url, embedder=down)
    try:
        await offline.posts.create(owner, PostCreate(title="Offline", body="Written while the model was down."))
    finally:
        await offline.db.dispose()
    assert await services.indexer.pending_count(services.db) == 1
    created = await services.posts.create(owner, PostCreate(title="Online", body="Written with the model up."))
    assert created.search_pending is False
    assert await services.indexer.pending_count(services.db) == 0


async def test_model_switch_via_reindex(db_url, services, embedder, visitor, owner):
    await services.projects.create(owner, ProjectCreate(
        title="Glint", summary="A terminal viewer for huge log files", tech_stack=["Rust", "ratatui"]))
    await services.posts.create(owner, PostCreate(title="Baking", body="Sourdough needs patience.",
                                                  status="published"))
    question = "ratatui"
    small = LocalEmbedder(dimensions=128)  # another vector space: a 128-dimension Matryoshka cut
    switched = open_services(db_url, embedder=small)
    try:
        # Before reindex the column still holds 384-d vectors: search answers by full text only,
        # and writes wait for vectors.
        hits = await switched.search.search(visitor, question)
        assert hits[0].slug == "glint" and hits[0].legs == ("text",)
        item = await switched.certifications.create(owner, CertificationCreate(name="CKAD", issuer="CNCF"))
        assert item.search_pending is True

        report = await switched.indexer.reindex(switched.db)
        assert report.dimensions_changed_to == 128 and report.items == 3
        assert await switched.indexer.pending_count(switched.db) == 0
        hits = await switched.search.search(visitor, question)
        assert hits[0].slug == "glint" and set(hits[0].legs) == {"vector", "text"}
    finally:
        await switched.db.dispose()

    # And back to the default model; the old service's vectors were all replaced.
    report = await services.indexer.reindex(services.db)
    assert report.dimensions_changed_to == 384 and report.embedded >= 3
    hits = await services.search.search(visitor, "an app to browse big logs in the console", legs=("vector",))
    assert hits[0].slug == "glint"


async def test_eval_floor_on_the_demo_portfolio(demo_services):
    """The quality targets of the demo set; `folio eval` prints the full table."""
    scores = await evaluate(demo_services.search, load_questions())
    hybrid = scores["hybrid"]
    assert hybrid.questions >= 40
    assert hybrid.recall_at_5 >= 0.95 and hybrid.mrr_at_10 >= 0.85, scores
    # Hybrid must beat either leg alone.
    assert hybrid.recall_at_5 > max(scores["vector"].recall_at_5, scores["text"].recall_at_5)


@pytest.mark.parametrize("query, limit, kind", [
    ("", 5, None), ("   ", 5, None), ("rust", 0, None), ("rust", 51, None), ("rust", 5, "video"),
    ("a\x00b", 5, None), ("x" * 1001, 5, None), ("rust", True, None), ("rust", "5", None),
])
async def test_bad_search_input_is_a_validation_error(services, visitor, query, limit, kind):
    with pytest.raises(ValidationFailed):
        await services.search.search(visitor, query, limit=limit, kind=kind)


async def test_query_syntax_never_errors(services, owner, visitor):
    await services.projects.create(owner, ProjectCreate(title="Glint", summary="log viewer"))
    for query in ['"unterminated', "-", "!!! ???", "a & b | c", "'; DROP TABLE projects; --", "or or or", "ü ß 中文"]:
        await services.search.search(visitor, query)
    assert (await services.projects.get(owner, "glint")).title == "Glint"


class _UnpublishWhileEmbedding:
    """The real embedder; the first batch `folio reindex` embeds lets the owner write in between its
    read and its write (the race of issue #12, made deterministic)."""

    def __init__(self, real, meanwhile):
        self.real, self.meanwhile, self.fired = real, meanwhile, False

    def __getattr__(self, name):
        return getattr(self.real, name)

    async def aembed_documents(self, texts):
        vectors = await self.real.aembed_documents(texts)
        if not self.fired:
            self.fired = True
            await self.meanwhile()
        return vectors


async def test_reindex_never_publishes_what_was_unpublished_meanwhile(services, embedder, owner, visitor):
    await services.projects.create(owner, ProjectCreate(title="Quokka", summary="A quokka tracker."))
    await services.posts.create(owner, PostCreate(title="Wombat notes", body="Wombats dig.", status="published"))

    async def unpublish() -> None:
        await services.projects.update(owner, "quokka", ProjectUpdate(published=False))

    racing = SearchIndexer(_UnpublishWhileEmbedding(embedder, unpublish))
    report = await racing.reindex(services.db)
    assert racing.embedder.fired and report.skipped == 1  # the item the owner changed was left as written
    assert await services.search.search(visitor, "quokka tracker") == []
    assert [h.slug for h in await services.search.search(owner, "quokka tracker")][:1] == ["quokka"]
    assert [h.slug for h in await services.search.search(visitor, "wombats")] == ["wombat-notes"]


async def test_visitors_never_see_a_draft_even_from_a_stale_public_chunk(services, embedder, owner, visitor):
    """Search checks each item's own published/status when it answers, not only the chunk's flag."""
    draft = await services.posts.create(owner, PostCreate(title="Secret plans", body="Narwhal migration."))
    async with services.db.unit_of_work() as session:  # a chunk left public by some stale writer
        await SearchRepository().replace_item(session, "post", draft.id, True, [NewChunk(
            0, "", "Secret plans\nNarwhal migration.", embedder.embed_documents(["Narwhal migration."])[0])],
            embedder.model_id)
    assert await services.search.search(visitor, "narwhal migration") == []
    assert [h.slug for h in await services.search.search(owner, "narwhal migration")] == ["secret-plans"]
