"""Blog feeds -> posts, served over HTTP on 127.0.0.1: RSS 2.0 (with a rel="next" page), Atom and JSON Feed
(with next_url) each; drafts with the original page kept as the canonical URL; an unchanged feed
costs one 304; an HTML page, a bad URL and a network error are clear errors."""

from __future__ import annotations

import pytest

from folio import schemas
from folio.errors import NotFound, Unavailable, ValidationFailed


async def _import(imports, owner, source, **kw):
    preview = await imports.preview(owner, source)
    return preview, await imports.apply(owner, preview.id, **kw)


async def test_rss_with_a_next_page(imports, services, feeds, owner, visitor):
    preview, report = await _import(imports, owner, f"feed:{feeds.url}/rss.xml")
    assert [p.candidate.title for p in preview.planned] == [
        "Tuning autovacuum on a busy queue table", "A smaller Docker image for a Go service",
        "Reading flame graphs without fear"]  # the third from rss-page2.xml (atom:link rel="next")
    assert len(report.created) == 3
    slug = "tuning-autovacuum-on-a-busy-queue-table"
    post = await services.posts.get(owner, slug)
    assert post.status == "draft" and post.published_at is None
    with pytest.raises(NotFound):
        await services.posts.get(visitor, slug)
    assert post.canonical_url == "https://blog.example.dev/posts/autovacuum-queue/"
    assert post.tags == ["postgres", "performance"]
    assert post.excerpt == "Why a queue table bloats and the two settings that fixed it."
    assert post.body.startswith("## The symptom")
    assert "**jobs**" in post.body and "- autovacuum_vacuum_scale_factor = 0.01" in post.body
    assert "[bloat chart](https://blog.example.dev/img/bloat.png)" in post.body and "<img" not in post.body
    flame = await services.posts.get(owner, "reading-flame-graphs-without-fear")
    assert flame.body == "The widest frame is where the time goes; the tallest is only deep."

    hits = await services.search.search(owner, "autovacuum bloat on a jobs table", limit=3)
    assert hits and hits[0].slug == slug


async def test_atom_published_when_chosen(imports, services, feeds, owner, visitor):
    _, report = await _import(imports, owner, f"feed:{feeds.url}/atom.xml", publish=True)
    assert [s for _, s, _ in report.created] == ["property-tests-found-the-off-by-one", "notes-on-consistent-hashing"]
    post = await services.posts.get(visitor, "property-tests-found-the-off-by-one")  # published, as chosen
    assert post.published_at.isoformat() == "2024-07-02T10:00:00+00:00", "the feed's date, not today's"
    assert post.canonical_url == "https://notes.example.org/2024/property-tests"
    assert post.tags == ["testing", "rust"]
    assert "[the ring buffer](https://notes.example.org/code/ring)" in post.body and "`proptest`" in post.body


async def test_json_feed_with_next_url(imports, services, feeds, owner):
    _, report = await _import(imports, owner, f"{feeds.url}/feed.json")  # a bare URL is a feed
    assert [s for _, s, _ in report.created] == ["plugins-in-webassembly-with-wasmtime",
                                                 "sqlite-in-wal-mode-on-a-raspberry-pi"]
    wasm = await services.posts.get(owner, "plugins-in-webassembly-with-wasmtime")
    assert wasm.excerpt == "Sandboxed plugins for a Rust host, with fuel limits."
    assert wasm.body == "The host gives each plugin **10 million units of fuel** per call."
    assert wasm.tags == ["rust", "webassembly"] and wasm.canonical_url == "https://bytes.example.net/wasm-plugins"
    sqlite = await services.posts.get(owner, "sqlite-in-wal-mode-on-a-raspberry-pi")
    assert sqlite.body.startswith("WAL mode let readers")


async def test_unchanged_feed_costs_one_304_and_a_changed_entry_keeps_owner_edits(imports, services, feeds, owner):
    await _import(imports, owner, f"feed:{feeds.url}/atom.xml")
    feeds.reset_counts()
    preview, report = await _import(imports, owner, f"feed:{feeds.url}/atom.xml")
    assert preview.not_modified and report.created == [] and report.requests == 1
    assert [(r.path, r.status) for r in feeds.requests] == [("/atom.xml", 304)]

    slug = "notes-on-consistent-hashing"
    await services.posts.update(owner, slug, schemas.PostUpdate(title="Consistent hashing, explained"))
    atom = feeds.files["/atom.xml"][1].decode()
    feeds.put("/atom.xml", atom.replace("Notes on consistent hashing", "Consistent hashing notes (2nd ed.)")
              .replace("Virtual nodes smooth the load", "Virtual nodes even out the load"))
    _, report = await _import(imports, owner, f"feed:{feeds.url}/atom.xml")
    post = await services.posts.get(owner, slug)
    assert post.title == "Consistent hashing, explained"
    assert post.excerpt == "Virtual nodes even out the load when a cache node leaves."
    assert [(c.field, c.theirs) for c in report.conflicts] == [("title", "Consistent hashing notes (2nd ed.)")]


async def test_clear_feed_errors(imports, feeds, owner, services):
    await _import(imports, owner, f"feed:{feeds.url}/feed.json")
    with pytest.raises(ValidationFailed, match="is a web page, not a feed"):
        await imports.preview(owner, f"feed:{feeds.url}/blog.html")
    with pytest.raises(ValidationFailed, match="not a feed address"):
        await imports.preview(owner, "feed:ftp://example.org/feed")
    with pytest.raises(NotFound, match="there is no feed at"):
        await imports.preview(owner, f"feed:{feeds.url}/missing.xml")
    feeds.stop()
    with pytest.raises(Unavailable, match="cannot be read: ConnectError"):
        await imports.preview(owner, f"feed:{feeds.url}/rss.xml")
    assert await services.posts.count() == 2, "what was imported before is kept"


async def test_a_published_import_answers_a_visitor_at_once(imports, services, feeds, owner, visitor):
    from agent.answering import PassageFinder, Thread, make_answerer
    from agent.turn import Final

    await _import(imports, owner, f"feed:{feeds.url}/atom.xml", publish=True)
    hits = await services.search.search(visitor, "ring buffer boundary bug proptest", limit=3)
    assert hits and hits[0].slug == "property-tests-found-the-off-by-one" and "vector" in hits[0].legs
    answerer = make_answerer(services, None, PassageFinder(services.answers.embedder))  # read by search
    events = [e async for e in answerer.answer(visitor, "What bug did property testing find in the ring buffer?",
                                               Thread())]
    [final] = [e for e in events if isinstance(e, Final)]
    assert "Property tests found the off-by-one" in final.text
