"""Blog feeds served over HTTP on 127.0.0.1 (testkit.fake_http) from tests/testkit/feeds: RSS 2.0 with
an atom:link rel="next" page, Atom, JSON Feed with next_url, and an HTML page (not a feed)."""

from __future__ import annotations

from pathlib import Path

from testkit.fake_http import Answer, FakeHTTP

FEEDS = Path(__file__).with_name("feeds")
TYPES = {".xml": "application/xml; charset=utf-8", ".json": "application/feed+json; charset=utf-8",
         ".html": "text/html; charset=utf-8"}
RSS_TYPE = "application/rss+xml; charset=utf-8"


class FakeFeeds(FakeHTTP):
    def __init__(self):
        super().__init__()
        self.files: dict[str, tuple[str, bytes]] = {}
        for path in FEEDS.iterdir():
            kind = RSS_TYPE if path.name.startswith("rss") else TYPES[path.suffix]
            self.files["/" + path.name] = (kind, path.read_bytes())
        self.routes = [self._file]

    def put(self, path: str, body: str | bytes, content_type: str = "application/xml; charset=utf-8") -> None:
        self.files[path] = (content_type, body.encode() if isinstance(body, str) else body)

    def _file(self, path: str, query: dict, headers: dict) -> Answer | None:
        found = self.files.get(path)
        if found is None:
            return None
        return Answer(200, found[1], {"Content-Type": found[0]})
