"""Blog feeds (RSS 2.0, Atom, JSON Feed) as post candidates, read with feedparser (XML) or as JSON
(JSON Feed 1.x). Pages are followed through <link rel="next"> (RFC 5005, Atom or RSS with atom:link)
and JSON Feed's next_url. Each page is requested with the ETag / Last-Modified of the last read, so an
unchanged feed costs one 304. An HTML page (not a feed), a bad URL or a network error is a clear error."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx
import orjson

from folio.errors import NotFound, Unavailable, ValidationFailed
from folio.services.importing.mapping import post_values
from folio.services.importing.records import Candidate, Fetched, Progress, tell

TIMEOUT_S = 30.0
MAX_PAGES = 50
MAX_BYTES = 20 * 1024 * 1024
JSON_FEED = "https://jsonfeed.org/version/"


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationFailed(f"“{url}” is not a feed address: give an http:// or https:// URL (feed:https://…)")
    return url.strip()


def _stamp(parsed) -> datetime | None:
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None


def _iso(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _xml_entries(parsed) -> list[dict[str, Any]]:
    out = []
    for e in parsed.entries:
        content = e.get("content") or []
        html = next((c.get("value") for c in content if "html" in (c.get("type") or "")), None)
        html = html or (content[0].get("value") if content else None)
        out.append({"id": e.get("id") or e.get("link") or e.get("title"), "title": e.get("title"),
                    "link": e.get("link"), "summary": e.get("summary"), "content": html,
                    "published": _stamp(e.get("published_parsed") or e.get("updated_parsed")),
                    "tags": [t.get("term") for t in e.get("tags") or [] if t.get("term")]})
    return out


def _xml_next(parsed, base: str) -> str | None:
    for link in parsed.feed.get("links") or []:
        if link.get("rel") == "next" and link.get("href"):
            return urljoin(base, link["href"])
    return None


def _json_entries(doc: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for item in doc.get("items") or []:
        if not isinstance(item, dict):
            continue
        out.append({"id": str(item.get("id") or item.get("url") or item.get("title")), "title": item.get("title"),
                    "link": item.get("url") or item.get("external_url"), "summary": item.get("summary"),
                    "content": item.get("content_html") or (item.get("content_text") or "").replace("\n", "<br>"),
                    "published": _iso(item.get("date_published") or item.get("date_modified")),
                    "tags": [str(t) for t in item.get("tags") or []]})
    return out


class FeedSource:
    def __init__(self, client: httpx.AsyncClient | None = None):
        self.client = client
        self.requests = 0

    async def fetch(self, url: str, validators: dict[str, Any], progress: Progress = None) -> Fetched:
        url = check_url(url)
        self.requests = 0
        async with (httpx.AsyncClient(timeout=TIMEOUT_S, follow_redirects=True,
                                      headers={"User-Agent": "folio-import/1"})
                    if self.client is None else _borrowed(self.client)) as client:
            entries, fresh, page_url, pages = [], {}, url, 0
            while page_url and pages < MAX_PAGES:
                last = validators.get(page_url) if pages == 0 else None
                response = await self._get(client, page_url, last)
                if response.status_code == 304:
                    return Fetched(None, validators, self.requests)
                if pages == 0:
                    fresh[page_url] = {k: v for k, v in (("etag", response.headers.get("etag")),
                                                         ("last_modified", response.headers.get("last-modified")))
                                       if v}
                found, next_url = self._parse(response, page_url)
                entries += found
                pages += 1
                await tell(progress, len(entries), None, f"page {pages}: {len(found)} entries")
                page_url = next_url if next_url and next_url not in fresh else None
        seen, candidates = set(), []
        for entry in entries:
            if not entry["id"] or entry["id"] in seen:
                continue
            seen.add(entry["id"])
            candidates.append(Candidate(external_id=str(entry["id"])[:1000], kind="post", values=post_values(entry),
                                        url=entry.get("link")))
        return Fetched(candidates, fresh, self.requests)

    async def _get(self, client: httpx.AsyncClient, url: str, last: dict | None) -> httpx.Response:
        headers = {"Accept": "application/atom+xml, application/rss+xml, application/feed+json, "
                             "application/json;q=0.9, application/xml;q=0.9, */*;q=0.1"}
        if last and last.get("etag"):
            headers["If-None-Match"] = last["etag"]
        if last and last.get("last_modified"):
            headers["If-Modified-Since"] = last["last_modified"]
        self.requests += 1
        try:
            response = await client.get(url, headers=headers)
        except httpx.InvalidURL as exc:
            raise ValidationFailed(f"“{url}” is not a valid address: {exc}") from None
        except httpx.HTTPError as exc:
            raise Unavailable(f"the feed at {url} cannot be read: {type(exc).__name__} {exc}".strip()) from None
        if response.status_code == 404 or response.status_code == 410:
            raise NotFound(f"there is no feed at {url} (HTTP {response.status_code})")
        if response.status_code >= 400:
            raise Unavailable(f"the feed at {url} answered HTTP {response.status_code}")
        if len(response.content) > MAX_BYTES:
            raise ValidationFailed(f"the feed at {url} is larger than {MAX_BYTES // (1024 * 1024)} MB")
        return response

    def _parse(self, response: httpx.Response, url: str) -> tuple[list[dict[str, Any]], str | None]:
        kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
        body = response.content
        if kind.endswith("json") or body.lstrip()[:1] == b"{":
            try:
                doc = orjson.loads(body)
            except orjson.JSONDecodeError:
                raise ValidationFailed(f"{url} is not a feed: its JSON cannot be read") from None
            if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(JSON_FEED):
                raise ValidationFailed(f"{url} is JSON but not a JSON Feed (no jsonfeed.org version)")
            next_url = doc.get("next_url")
            return _json_entries(doc), urljoin(url, next_url) if isinstance(next_url, str) else None
        parsed = feedparser.parse(body, response_headers={"content-location": url,
                                                          "content-type": response.headers.get("content-type", "")})
        if not parsed.get("version"):
            if kind == "text/html" or body.lstrip()[:200].lower().find(b"<html") >= 0 or b"<!doctype html" in \
                    body[:200].lower():
                raise ValidationFailed(f"{url} is a web page, not a feed: give the address of its RSS, Atom or "
                                       f"JSON feed (often /feed, /rss.xml, /atom.xml or /index.xml)")
            raise ValidationFailed(f"{url} is not an RSS, Atom or JSON feed")
        return _xml_entries(parsed), _xml_next(parsed, url)


class _borrowed:
    """A caller's client used as a context manager without closing it."""

    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    async def __aenter__(self) -> httpx.AsyncClient:
        return self.client

    async def __aexit__(self, *exc) -> None:
        return None
