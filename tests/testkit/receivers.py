"""Real local receivers for owner notifications: an HTTP webhook endpoint and an SMTP server (aiosmtpd)."""

from __future__ import annotations

from dataclasses import dataclass, field

from testkit.local_http import LocalHTTPServer, QuietHandler
from testkit.procs import free_port


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookReceiver(LocalHTTPServer):
    """POSTs to http://127.0.0.1:<port>/hook are recorded; `statuses` are answered in turn (then 200).
    stop() closes the port (a receiver that is down); start() opens it again on the same port."""

    port: int = field(default_factory=free_port)
    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def handler(self) -> type[QuietHandler]:
        receiver = self

        class Handler(QuietHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                self.send(receiver.statuses.pop(0) if receiver.statuses else 200)

        return Handler


class SmtpReceiver:
    """aiosmtpd on 127.0.0.1:<port>, keeping every message it accepts."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list = []
        self._controller = None

    def start(self) -> SmtpReceiver:
        from aiosmtpd.controller import Controller

        receiver = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802
                receiver.messages.append(envelope)
                return "250 OK"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
