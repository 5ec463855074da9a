"""A recording HTTP proxy in front of llama-server for benchmarks/ttft_bench.py: passes every request
through unchanged (one request per connection), keeps the JSON body of the last chat completion, when it
was sent, when its first content token came back, and llama-server's `timings` for it."""

from __future__ import annotations

import asyncio
import json
import re
import time
from urllib.parse import urlsplit

CONTENT = re.compile(rb'"content":"[^"]')
TIMINGS = {name: re.compile(rb'"' + name.encode() + rb'":([0-9.]+)')
           for name in ("prompt_n", "cache_n", "predicted_n", "predicted_per_second")}


class RecordingProxy:
    def __init__(self, upstream: str):
        parts = urlsplit(upstream)
        self.host, self.port = parts.hostname, parts.port
        self.last_body: dict | None = None
        self.sent = self.first_byte = 0.0
        self.cpu_sent = self.cpu_first = 0.0  # this process's CPU time (all threads) at those moments
        self.timings: dict[str, float] = {}
        self._server: asyncio.AbstractServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def __aenter__(self) -> RecordingProxy:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc) -> None:
        self._server.close()
        await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            return
        lines = head.decode("latin-1").split("\r\n")
        headers = [h for h in lines[1:] if h and h.split(":", 1)[0].lower() not in ("connection", "keep-alive")]
        length = next((int(h.split(":", 1)[1]) for h in headers if h.lower().startswith("content-length:")), 0)
        body = await reader.readexactly(length)
        chat = "/chat/completions" in lines[0]
        up_reader, up_writer = await asyncio.open_connection(self.host, self.port)
        up_writer.write("\r\n".join([lines[0], *headers, "Connection: close", "", ""]).encode("latin-1") + body)
        if chat:
            self.last_body, self.sent, self.first_byte, self.timings = json.loads(body), time.perf_counter(), 0.0, {}
            self.cpu_sent = time.process_time()
        received = bytearray()
        try:
            while chunk := await up_reader.read(65536):
                if chat and not self.first_byte and CONTENT.search(chunk):
                    self.first_byte = time.perf_counter()
                    self.cpu_first = time.process_time()
                received += chunk
                writer.write(chunk)
                await writer.drain()
        except ConnectionError:
            pass  # the client closed the stream (the benchmark reads a few tokens, then stops)
        finally:
            up_writer.close()
            writer.close()
        if chat:
            for name, pattern in TIMINGS.items():
                if found := pattern.findall(received):
                    self.timings[name] = float(found[-1])
