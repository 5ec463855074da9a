"""A scripted OpenAI-compatible chat server for deterministic tests.

The real client code (langchain-openai's ChatOpenAI, the openai SDK) talks to it over HTTP; the test
decides what the "model" answers. Usage:

    with ScriptedLLM() as llm:
        llm.script(reply("Hello"), tool_call("search_portfolio", {"query": "rust"}), ...)
        settings = load_settings(llm_base_url=llm.base_url)
        ...
        assert llm.requests[0]["messages"][-1]["content"] == "hi"

Each incoming /v1/chat/completions request consumes the next scripted Reply (or calls a responder
function given with `llm.respond_with(fn)`, fn(request_json) -> Reply). Streaming and non-streaming
requests are both served from the same Reply.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from testkit.local_http import LocalHTTPServer, QuietHandler


@dataclass
class Reply:
    content: str | None = None
    tool_calls: list[dict[str, Any]] = field(default_factory=list)  # [{"name":..., "arguments": {...}}]
    status: int = 200  # non-200: an HTTP error with `error_message`
    error_message: str = "scripted failure"
    delay: float = 0.0  # seconds before answering
    chunk_size: int = 1  # words per streamed content delta
    fail_after: int | None = None  # streaming: send this many deltas, then an error chunk (as vLLM does)
    raw: bytes | None = None  # streaming: send these bytes as the whole event stream (a broken server)
    finish_reason: str | None = None  # e.g. "length": a reply cut at its token budget


def reply(text: str, **kw) -> Reply:
    """A plain assistant message."""
    return Reply(content=text, **kw)


QUERY_DEFAULTS = {"intent": "describe", "kinds": [], "items": [], "terms": [], "match": "any", "unknown": [],
                  "property": "none", "year": None, "month": None, "order": "none", "language": "en", "search": "", "name": ""}
REQUEST_DEFAULTS = {"operation": "question", "kind": "project", "target": "none", "fields": [], "list": "none",
                    "values": [], "find": "", "replace": ""}


def query(**fields: Any) -> Reply:
    """A visitor question read into a query (agent/answering: the grammar-constrained understand call)."""
    return reply(json.dumps({**QUERY_DEFAULTS, **fields}))


def request(**fields: Any) -> Reply:
    """An owner message read into a request (agent/requests); `fields` as {"name": "value"}."""
    given = dict(fields)
    if isinstance(given.get("fields"), dict):
        given["fields"] = [{"field": k, "value": v} for k, v in given["fields"].items()]
    return reply(json.dumps({**REQUEST_DEFAULTS, **given}))


def draft_step(step: str, asks: str = "") -> Reply:
    """With a draft open, the message read again as a step on it (agent/requests: revise, save_draft,
    publish, discard, new_post or other)."""
    return reply(json.dumps({"asks": asks, "step": step}))


def tool_call(name: str, arguments: dict[str, Any], **kw) -> Reply:
    """A native OpenAI tool call (as vLLM with a tool parser returns)."""
    return Reply(tool_calls=[{"name": name, "arguments": arguments}], **kw)


def json_tool_call(name: str, arguments: dict[str, Any], fenced: bool = False, **kw) -> Reply:
    """A tool call written as JSON in the content (as small local models do)."""
    text = json.dumps({"name": name, "arguments": arguments})
    if fenced:
        text = f"```json\n{text}\n```"
    return Reply(content=text, **kw)


def failure(status: int = 500, message: str = "scripted failure") -> Reply:
    return Reply(status=status, error_message=message)


def broken_stream(text: str, after: int, message: str = "scripted failure mid-stream") -> Reply:
    """A streamed reply that fails after `after` content deltas."""
    return Reply(content=text, fail_after=after, error_message=message)


class ScriptedLLM(LocalHTTPServer):
    def __init__(self, model: str = "scripted", default: Reply | None = None):
        self.model = model
        self.default = default or reply("(no scripted reply left)")
        self.requests: list[dict[str, Any]] = []
        self._queue: deque[Reply] = deque()
        self._responder: Callable[[dict[str, Any]], Reply] | None = None
        self._lock = threading.Lock()

    # ---- scripting --------------------------------------------------------------------------
    def script(self, *replies: Reply) -> ScriptedLLM:
        with self._lock:
            self._queue.extend(replies)
        return self

    def respond_with(self, fn: Callable[[dict[str, Any]], Reply] | None) -> None:
        self._responder = fn

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self.requests.clear()
        self._responder = None

    @property
    def pending(self) -> int:
        return len(self._queue)

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            if self._queue:
                return self._queue.popleft()
        if self._responder is not None:
            return self._responder(body)
        return self.default

    # ---- serving ----------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.bound_port}/v1"

    def handler(self) -> type[QuietHandler]:
        return _handler_for(self)


def _completion_id() -> str:
    return "chatcmpl-" + uuid.uuid4().hex[:16]


def _tool_calls_payload(r: Reply) -> list[dict[str, Any]]:
    return [
        {"id": "call_" + uuid.uuid4().hex[:12], "type": "function",
         "function": {"name": c["name"], "arguments": json.dumps(c["arguments"])}}
        for c in r.tool_calls
    ]


def _handler_for(llm: ScriptedLLM):
    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            self.send(status, json.dumps(payload).encode(), {"Content-Type": "application/json"})

        def do_GET(self):
            if self.path.rstrip("/") in ("/health", "/v1/health"):
                self._json(200, {"status": "ok"})
            elif self.path.rstrip("/") in ("/v1/models", "/models"):
                self._json(200, {"object": "list", "data": [{"id": llm.model, "object": "model"}]})
            else:
                self._json(404, {"error": {"message": "not found"}})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._json(404, {"error": {"message": "not found"}})
                return
            r = llm._next(body)
            if r.delay:
                time.sleep(r.delay)
            if r.status != 200:
                self._json(r.status, {"error": {"message": r.error_message, "type": "server_error"}})
                return
            if body.get("stream"):
                self._stream(body, r)
            else:
                self._complete(body, r)

        def _complete(self, body, r: Reply) -> None:
            message: dict[str, Any] = {"role": "assistant", "content": r.content}
            if r.tool_calls:
                message["tool_calls"] = _tool_calls_payload(r)
            self._json(200, {
                "id": _completion_id(), "object": "chat.completion", "created": int(time.time()),
                "model": body.get("model", llm.model),
                "choices": [{"index": 0, "message": message,
                             "finish_reason": r.finish_reason or ("tool_calls" if r.tool_calls else "stop")}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
            })

        def _stream(self, body, r: Reply) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            cid, created, model = _completion_id(), int(time.time()), body.get("model", llm.model)

            def send(delta: dict[str, Any], finish: str | None = None) -> None:
                chunk = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                         "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()

            if r.raw is not None:
                self.wfile.write(r.raw)
                self.wfile.flush()
                self.close_connection = True
                return
            send({"role": "assistant", "content": ""})
            if r.content:
                words = r.content.split(" ")
                for n, i in enumerate(range(0, len(words), r.chunk_size)):
                    if r.fail_after is not None and n >= r.fail_after:
                        error = {"error": {"message": r.error_message, "type": "server_error", "code": 500}}
                        self.wfile.write(f"data: {json.dumps(error)}\n\n".encode())
                        self.wfile.flush()
                        self.close_connection = True
                        return
                    piece = " ".join(words[i:i + r.chunk_size])
                    send({"content": piece + (" " if i + r.chunk_size < len(words) else "")})
            for index, call in enumerate(_tool_calls_payload(r)):
                send({"tool_calls": [{"index": index, **call}]})
            send({}, r.finish_reason or ("tool_calls" if r.tool_calls else "stop"))
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

    return Handler
