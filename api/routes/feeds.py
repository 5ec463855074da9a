"""Feeds for the owner's own site: /feed.xml (Atom, published posts), /sitemap.xml (every public page),
and schema.org JSON-LD at /api/v1/profile/jsonld and /api/v1/{projects,posts,certifications}/{slug}/jsonld."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request, Response

from api.deps import ServicesDep
from api.errors import COMMON, READ
from folio.kinds import KINDS
from folio.schemas import SLUG_PATTERN
from folio.services.feeds import FeedService, Owner, SiteLinks, links_for
from folio.settings import Settings

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
CACHE = "public, max-age=300"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot carry

router = APIRouter(include_in_schema=True, tags=["feeds"])
jsonld_router = APIRouter(tags=["feeds"], responses=COMMON)
PLURALS = {spec.plural: name for name, spec in KINDS.items()}
Plural = Literal[tuple(PLURALS)]  # type: ignore[valid-type]


async def feed_service(services, settings: Settings) -> FeedService:
    """The owner is the profile's; FOLIO_OWNER_NAME/_HEADLINE (else the site title) while there is none."""
    owner = Owner.of(await services.profile.find(), settings.owner_name or settings.site_title,
                     settings.owner_headline)
    return FeedService({k: services.content(k) for k in KINDS}, owner)


def site_links(request: Request) -> SiteLinks:
    settings: Settings = request.app.state.settings
    return links_for(settings.site_url, settings.site_path_pattern, str(request.base_url))


def _text(parent: ET.Element, tag: str, value: Any, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = _NOT_XML.sub("", str(value))
    return element


def _stamp(value: datetime | None) -> str:
    return (value or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _xml(root: ET.Element, media_type: str) -> Response:
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type=media_type, headers={"Cache-Control": CACHE})


@router.get("/feed.xml", summary="Atom feed of published posts", response_class=Response,
            responses={200: {"content": {"application/atom+xml": {}}}})
async def atom_feed(request: Request, services: ServicesDep) -> Response:
    settings: Settings = request.app.state.settings
    feeds, links = await feed_service(services, settings), site_links(request)
    posts = await feeds.recent_posts()
    feed = ET.Element("feed", {"xmlns": ATOM})
    _text(feed, "id", links.home())
    _text(feed, "title", settings.site_title)
    _text(feed, "updated", _stamp(max((p.updated_at for p in posts), default=None)))
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml",
                                 "href": str(request.url_for("atom_feed"))})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": links.home()})
    author = ET.SubElement(feed, "author")
    _text(author, "name", feeds.owner.name)
    _text(feed, "generator", "folio")
    for post in posts:
        entry = ET.SubElement(feed, "entry")
        url = links.item(KINDS["post"], post.slug)
        _text(entry, "id", f"urn:uuid:{post.id}")  # stays the same when the slug or site changes
        _text(entry, "title", post.title)
        # An imported post's entry points at where it was first published (its canonical page).
        ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": post.canonical_url or url})
        _text(entry, "published", _stamp(post.published_at))
        _text(entry, "updated", _stamp(post.updated_at))
        if post.excerpt:
            _text(entry, "summary", post.excerpt)
        _text(entry, "content", post.body, type="text")
        for tag in post.tags or []:
            ET.SubElement(entry, "category", {"term": _NOT_XML.sub("", tag)})
    return _xml(feed, "application/atom+xml; charset=utf-8")


@router.get("/sitemap.xml", summary="Sitemap of the owner's home page and every published item",
            response_class=Response, responses={200: {"content": {"application/xml": {}}}})
async def sitemap(request: Request, services: ServicesDep) -> Response:
    pages = await (await feed_service(services, request.app.state.settings)).pages(site_links(request))
    urlset = ET.Element("urlset", {"xmlns": SITEMAP})
    for page in pages:
        url = ET.SubElement(urlset, "url")
        _text(url, "loc", page.url)
        if page.updated is not None:
            _text(url, "lastmod", _stamp(page.updated))
    return _xml(urlset, "application/xml; charset=utf-8")


JSONLD = "application/ld+json"


def script_safe_json(doc: dict[str, Any]) -> bytes:
    """JSON that can be inlined in a <script type="application/ld+json"> (as owners do): <, > and & as
    \\u003c, \\u003e, \\u0026 (the same JSON value), so no title can close the script element."""
    import orjson

    return (orjson.dumps(doc).replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026"))


def _jsonld(doc: dict[str, Any]) -> Response:
    return Response(script_safe_json(doc), media_type=JSONLD, headers={"Cache-Control": CACHE})


@jsonld_router.get("/profile/jsonld", summary="The owner as schema.org Person (JSON-LD)", response_class=Response,
                   operation_id="profileJsonLd", responses={200: {"content": {JSONLD: {}}}})
async def profile_jsonld(request: Request, services: ServicesDep) -> Response:
    feeds = await feed_service(services, request.app.state.settings)
    return _jsonld(await feeds.profile_jsonld(site_links(request)))


@jsonld_router.get("/{plural}/{slug}/jsonld", summary="One published item as schema.org CreativeWork (JSON-LD)",
                   response_class=Response, operation_id="itemJsonLd",
                   responses={**READ, 200: {"content": {JSONLD: {}}}})
async def item_jsonld(request: Request, services: ServicesDep,
                      plural: Annotated[Plural, Path()],
                      slug: Annotated[str, Path(min_length=1, max_length=120, pattern=SLUG_PATTERN)]) -> Response:
    feeds = await feed_service(services, request.app.state.settings)
    return _jsonld(await feeds.item_jsonld(PLURALS[plural], slug, site_links(request)))
