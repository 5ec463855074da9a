"""What the owner's own site syndicates: published posts for a feed, every public page for a sitemap,
and schema.org descriptions (JSON-LD) of the owner and of each item.

Links point at the owner's site: FOLIO_SITE_URL + FOLIO_SITE_PATH_PATTERN (e.g. "/{plural}/{slug}/");
without FOLIO_SITE_URL they point at folio's own address. Only what a visitor may see is ever listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from folio.actor import VISITOR
from folio.errors import ValidationFailed
from folio.kinds import KINDS, KindSpec
from folio.services.content import MAX_PAGE, ContentService

FEED_ENTRIES = 50  # newest published posts in the feed
SITEMAP_MAX = 50_000  # the sitemap protocol's limit per file


@dataclass(frozen=True)
class SiteLinks:
    """Page addresses on the owner's site."""

    base: str  # scheme://host[/prefix], no trailing slash
    pattern: str = "/{plural}/{slug}/"

    def home(self) -> str:
        return self.base + "/"

    def item(self, spec: KindSpec, slug: str) -> str:
        path = self.pattern.replace("{kind}", spec.name).replace("{plural}", spec.plural)
        return self.base + path.replace("{slug}", slug)


API_PATTERN = "/api/v1/{plural}/{slug}"


def links_for(site_url: str | None, path_pattern: str, folio_base: str) -> SiteLinks:
    """Pages on the owner's site; without one, folio's own addresses (the chat, the REST item), which exist."""
    if site_url:
        return SiteLinks(site_url.rstrip("/"), path_pattern)
    return SiteLinks(folio_base.rstrip("/"), API_PATTERN)


@dataclass(frozen=True)
class Page:
    """One sitemap entry."""

    url: str
    updated: datetime | None


@dataclass(frozen=True)
class Owner:
    name: str
    headline: str | None = None
    location: str | None = None
    links: tuple[str, ...] = ()

    @classmethod
    def of(cls, profile: Any, fallback_name: str, fallback_headline: str | None = None) -> Owner:
        """The owner as the profile says; the configured name and headline while there is no profile."""
        if profile is None:
            return cls(fallback_name, fallback_headline)
        return cls(profile.name, profile.headline or None, profile.location or None,
                   tuple(link["url"] for link in profile.links or [] if link["url"].startswith("http")))


def _modified(item: Any) -> datetime:
    return item.updated_at or item.created_at or datetime.now(UTC)


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


class FeedService:
    def __init__(self, content: dict[str, ContentService], owner: Owner):
        self.content = content
        self.owner = owner

    async def _public(self, kind: str, at_most: int) -> list[Any]:
        """Published items of one kind in the list order (posts: newest first), as a visitor sees them."""
        service, items, offset = self.content[kind], [], 0
        while len(items) < at_most:
            page = await service.list(VISITOR, limit=min(MAX_PAGE, at_most - len(items)), offset=offset)
            items += page.items
            offset += len(page.items)
            if not page.items or offset >= page.total:
                break
        return items

    async def recent_posts(self, limit: int = FEED_ENTRIES) -> list[Any]:
        return await self._public("post", limit)

    async def pages(self, links: SiteLinks) -> list[Page]:
        """The home page, then every published item."""
        found: list[tuple[KindSpec, Any]] = []
        for kind, spec in KINDS.items():
            found += [(spec, item) for item in await self._public(kind, SITEMAP_MAX)]
        newest = max((_modified(item) for _, item in found), default=None)
        return [Page(links.home(), newest), *(Page(links.item(spec, item.slug), _modified(item))
                                             for spec, item in found)]

    # ---- schema.org ----------------------------------------------------------------------------
    def person(self, links: SiteLinks) -> dict[str, Any]:
        person = {"@context": "https://schema.org", "@type": "Person", "name": self.owner.name,
                  "url": links.home()}
        if self.owner.headline:
            person["description"] = self.owner.headline
        if self.owner.location:
            person["homeLocation"] = {"@type": "Place", "name": self.owner.location}
        if self.owner.links:
            person["sameAs"] = list(self.owner.links)
        return person

    async def profile_jsonld(self, links: SiteLinks) -> dict[str, Any]:
        """The owner as a schema.org Person, with their published work."""
        person = self.person(links)
        for kind, spec in KINDS.items():
            person.setdefault(spec.person_property, []).extend(
                self._work(spec, item, links, nested=True) for item in await self._public(kind, SITEMAP_MAX))
        return person

    async def item_jsonld(self, kind: str, slug: str, links: SiteLinks) -> dict[str, Any]:
        """One published item as a schema.org CreativeWork (NotFound for drafts, as for visitors)."""
        spec = KINDS.get(kind)
        if spec is None:
            raise ValidationFailed(f"kind must be one of {', '.join(KINDS)}")
        item = await self.content[kind].get(VISITOR, slug)
        return self._work(spec, item, links, nested=False)

    def _work(self, spec: KindSpec, item: Any, links: SiteLinks, *, nested: bool) -> dict[str, Any]:
        doc: dict[str, Any] = {} if nested else {"@context": "https://schema.org"}
        doc.update({"@type": spec.schema_type, "@id": links.item(spec, item.slug),
                    "url": links.item(spec, item.slug), "name": spec.title_of(item),
                    "dateModified": _date(_modified(item))})
        author = None if nested else {k: v for k, v in self.person(links).items() if k != "@context"}
        for key, value in spec.jsonld(item, author).items():
            doc[key] = _date(value) if isinstance(value, date | datetime) else value
        return {k: v for k, v in doc.items() if v not in (None, "", [])}
