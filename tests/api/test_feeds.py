"""/feed.xml, /sitemap.xml and JSON-LD: parsed back (feedparser, ElementTree, json) over the real app."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
import pytest
from testkit.api import client_for, running_app

from folio.schemas import PostCreate, PostUpdate
from folio.settings import load_settings

SITE = "https://maya.example.com/blog"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def site_settings(settings):
    return settings.model_copy(update={"site_url": SITE, "site_path_pattern": "/{kind}/{slug}.html",
                                       "site_title": "Maya's work", "owner_name": "Maya Okafor",
                                       "owner_headline": "Backend engineer"})


async def test_atom_feed_lists_published_posts_newest_first_with_site_links(site_settings, api_db_url, accounts):
    async with running_app(site_settings, api_db_url) as app:
        services = app.state.services
        await services.posts.create(accounts.owner, PostCreate(
            title="Newer & <better>", body="Body with a control \x01 character.", excerpt="Short.",
            tags=["rust"], status="published"))
        async with client_for(app) as client:
            response = await client.get("/feed.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Maya's work"
    assert feed.feed.author == "Maya Okafor"
    assert [e.title for e in feed.entries] == ["Newer & <better>", "HNSW in pgvector"]  # no draft
    newest = feed.entries[0]
    assert newest.link == f"{SITE}/post/newer-better.html"
    assert newest.id.startswith("urn:uuid:")
    assert newest.summary == "Short."
    assert "control  character" in newest.content[0].value
    assert [t.term for t in newest.tags] == ["rust"]
    assert newest.published_parsed is not None and newest.updated_parsed is not None


async def test_unpublishing_a_post_removes_it_from_the_feed(app, anon, accounts):
    await app.state.services.posts.update(accounts.owner, "hnsw-in-pgvector", PostUpdate(status="draft"))
    feed = feedparser.parse((await anon.get("/feed.xml")).content)
    assert not feed.bozo
    assert feed.entries == []
    # Without FOLIO_SITE_URL, links point at folio's own address.
    assert feed.feed.link == "http://folio.test/"


async def test_sitemap_lists_home_and_every_published_item_only(site_settings, api_db_url):
    async with running_app(site_settings, api_db_url) as app:
        async with client_for(app) as client:
            response = await client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SM}urlset"
    locs = [u.findtext(f"{SM}loc") for u in root.findall(f"{SM}url")]
    assert locs[0] == f"{SITE}/"
    assert sorted(locs[1:]) == sorted([
        f"{SITE}/project/glint.html", f"{SITE}/project/tide-gauge.html", f"{SITE}/post/hnsw-in-pgvector.html",
        f"{SITE}/certification/aws-solutions-architect.html",
        f"{SITE}/certification/certified-kubernetes-administrator.html"])
    assert all(u.findtext(f"{SM}lastmod") for u in root.findall(f"{SM}url"))
    assert "secret-lab" not in response.text and "draft-notes" not in response.text


async def test_item_jsonld_is_a_creative_work_and_drafts_are_missing(site_settings, api_db_url):
    async with running_app(site_settings, api_db_url) as app:
        async with client_for(app) as client:
            project = await client.get("/api/v1/projects/glint/jsonld")
            post = await client.get("/api/v1/posts/hnsw-in-pgvector/jsonld")
            draft = await client.get("/api/v1/posts/draft-notes/jsonld")
            hidden = await client.get("/api/v1/projects/secret-lab/jsonld")
            bad_kind = await client.get("/api/v1/users/glint/jsonld")
            bad_slug = await client.get("/api/v1/projects/Not%20A%20Slug/jsonld")
    assert project.status_code == 200 and project.headers["content-type"] == "application/ld+json"
    doc = project.json()
    assert doc["@context"] == "https://schema.org" and doc["@type"] == "SoftwareSourceCode"
    assert doc["url"] == f"{SITE}/project/glint.html" and doc["name"] == "Glint"
    assert doc["programmingLanguage"] == ["Rust"]
    assert doc["author"] == {"@type": "Person", "name": "Maya Okafor", "url": f"{SITE}/",
                             "description": "Backend engineer"}
    assert post.json()["@type"] == "BlogPosting" and post.json()["datePublished"]
    assert draft.status_code == 404 and hidden.status_code == 404
    assert bad_kind.status_code in (404, 422) and bad_slug.status_code == 422


async def test_profile_jsonld_is_a_person_with_published_work(site_settings, api_db_url):
    async with running_app(site_settings, api_db_url) as app:
        async with client_for(app) as client:
            doc = (await client.get("/api/v1/profile/jsonld")).json()
    assert doc["@type"] == "Person" and doc["name"] == "Maya Okafor"
    names = {w["name"] for w in doc["workExample"]}
    assert {"Glint", "Tide Gauge", "HNSW in pgvector", "AWS Solutions Architect"} <= names
    assert "Secret Lab" not in names and "Draft notes" not in names


def test_site_settings_are_checked():
    with pytest.raises(Exception, match="FOLIO_SITE_URL"):
        load_settings(site_url="ftp://example.com")
    with pytest.raises(Exception, match="FOLIO_SITE_PATH_PATTERN"):
        load_settings(site_path_pattern="/{plural}/")
    with pytest.raises(Exception, match="FOLIO_SITE_PATH_PATTERN"):
        load_settings(site_path_pattern="/{title}/{slug}")
    assert load_settings(site_url="https://x.dev/").site_url == "https://x.dev"


async def test_without_a_site_url_links_are_folio_addresses_that_exist(anon):
    root = ET.fromstring((await anon.get("/sitemap.xml")).content)
    locs = [u.findtext(f"{SM}loc") for u in root.findall(f"{SM}url")]
    assert locs[0] == "http://folio.test/"
    for loc in locs[1:]:
        assert loc.startswith("http://folio.test/api/v1/")
        assert (await anon.get(loc)).status_code == 200
