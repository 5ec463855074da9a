"""A small real HTTP server on 127.0.0.1 for tests of outside services (the GitHub API, blog feeds):
routes answer with status, headers and body; every request is recorded; GETs carry an ETag and a
Last-Modified and answer 304 to a matching If-None-Match / If-Modified-Since, as real servers do."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from testkit.procs import free_port

LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    conditional: bool = True  # ETag / Last-Modified (and 304s) for a 200


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    status: int


Route = Callable[[str, dict[str, list[str]], dict[str, str]], Answer | None]


class FakeHTTP:
    def __init__(self):
        self.port = free_port()
        self.requests: list[Seen] = []
        self.routes: list[Route] = []
        self.before: list[Answer] = []  # answered in turn before any route (a rate limit, an outage)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Answer:
        with self._lock:
            if self.before:
                return self.before.pop(0)
        for route in self.routes:
            found = route(path, query, headers)
            if found is not None:
                return found
        return Answer(404, b'{"message": "Not Found"}', {"Content-Type": "application/json"}, conditional=False)

    def start(self) -> FakeHTTP:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                parts = urlsplit(self.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                got = fake.answer(parts.path, parse_qs(parts.query), headers)
                status, out_headers, body = got.status, dict(got.headers), got.body
                if status == 200 and got.conditional:
                    etag = '"' + hashlib.sha1(body).hexdigest() + '"'
                    out_headers.setdefault("ETag", etag)
                    out_headers.setdefault("Last-Modified", LAST_MODIFIED)
                    if headers.get("if-none-match") == out_headers["ETag"] or (
                            "if-none-match" not in headers and headers.get("if-modified-since") == LAST_MODIFIED):
                        status, body = 304, b""
                with fake._lock:
                    fake.requests.append(Seen("GET", parts.path, parse_qs(parts.query), headers, status))
                self.send_response(status)
                for key, value in out_headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()

    def __enter__(self) -> FakeHTTP:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
