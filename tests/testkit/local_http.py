"""A small real HTTP server on 127.0.0.1, served from a daemon thread: the one base of the test doubles that
speak HTTP (the scripted LLM, the fake GitHub API and blog feeds, the webhook receiver). A subclass gives
its request handler class; start() opens the port, stop() closes it (start() again reopens the same port
when one was given), and a with block does both."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # many clients at once (benchmarks/chat_load.py): the default backlog is 5


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that keeps test output quiet and answers in one call."""

    def log_message(self, *args):
        pass

    def send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class LocalHTTPServer:
    port: int = 0  # 0: any free port, chosen at each start
    _server: ThreadingHTTPServer | None = None

    def handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    @property
    def bound_port(self) -> int:
        assert self._server is not None, "not started"
        return self._server.server_address[1]

    def start(self):
        self._server = _Server(("127.0.0.1", self.port), self.handler())
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
