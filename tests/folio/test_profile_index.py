"""The profile in the search index: saved when the embedding model is down (found by full text at once),
embedded by `folio reindex`, never dropped by it as an orphan."""

from testkit.procs import free_port

from data.embeddings.remote import RemoteEmbedder
from launch.composition import open_services
from folio.schemas_profile import ProfileIn

PROFILE = ProfileIn(name="Ada Quill", headline="Geospatial backend engineer",
                    bio="I map tide gauges and harbour sensors onto PostGIS.", location="Aberdeen")


async def test_embedder_down_saves_the_profile_and_reindex_embeds_it(db_url, services, owner, visitor):
    down = RemoteEmbedder(f"http://127.0.0.1:{free_port()}", "all-MiniLM-L6-v2", timeout=2)
    offline = open_services(db_url, embedder=down)
    try:
        saved = await offline.profile.put(owner, PROFILE)
        assert saved.search_pending is True and (await offline.profile.find()).name == "Ada Quill"
        hits = await offline.search.search(visitor, "Aberdeen PostGIS")
        assert [(h.type, h.slug, h.legs) for h in hits] == [("profile", "me", ("text",))]
    finally:
        await offline.db.dispose()
    assert await services.indexer.pending_count(services.db) > 0
    report = await services.indexer.reindex(services.db)
    assert report.items == 1 and report.orphans_removed == 0
    assert await services.indexer.pending_count(services.db) == 0
    hits = await services.search.search(visitor, "who maps coastal sensors with a spatial database", legs=("vector",))
    assert hits and hits[0].type == "profile" and hits[0].url == "/api/v1/profile"
