"""/api/v1/ai/write: the writing assistant, streamed as server-sent events."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import orjson
from fastapi import APIRouter
from sse_starlette import EventSourceResponse

from api.deps import SignedInDep, WriterDep
from api.errors import COMMON, UNAVAILABLE, ErrorBody
from folio.errors import DomainError
from folio.services.writer import WriteRequest

log = logging.getLogger("folio.api")
router = APIRouter(prefix="/ai", tags=["ai"], responses=COMMON)

STREAM_DOC = """Server-sent events:

- `event: delta`, `data: {"text": "next piece"}`: repeated while the model writes;
- `event: done`, `data: {"text": "the whole answer"}`: once, at the end;
- `event: error`, `data: {"code": "unavailable", "message": "..."}`: instead of `done` when the model
  fails mid-stream.

A model that cannot be reached at all is a 503 JSON error before any event."""


def _event_variant(name: str, description: str, example: dict) -> dict:
    return {"type": "object", "required": ["event", "data"], "description": description,
            "properties": {"event": {"const": name, "description": "The event type"},
                           "data": {"type": "string", "contentMediaType": "application/json",
                                    "description": "JSON", "examples": [orjson.dumps(example).decode()]}}}


# OpenAPI 3.1: for text/event-stream, `schema` describes one event.
EVENT_SCHEMA = {"oneOf": [
    _event_variant("delta", "The next piece of text", {"text": "Why "}),
    _event_variant("done", "The whole text; the last event", {"text": "Why I moved to pgvector..."}),
    _event_variant("error", "The model failed mid-stream; the last event",
                   {"code": "unavailable", "message": "the chat model failed"}),
]}


def _event(name: str, payload: dict) -> dict:
    return {"event": name, "data": orjson.dumps(payload).decode()}


async def _events(first: str | None, rest: AsyncIterator[str]) -> AsyncIterator[dict]:
    parts: list[str] = []
    try:
        if first is not None:
            parts.append(first)
            yield _event("delta", {"text": first})
        async for piece in rest:
            parts.append(piece)
            yield _event("delta", {"text": piece})
    except DomainError as exc:
        yield _event("error", {"code": exc.code, "message": exc.message})
        return
    except Exception:  # the headers are sent: report in-band, never a traceback
        log.exception("writing assistant stream failed")
        yield _event("error", {"code": "internal_error", "message": "the writing assistant failed"})
        return
    yield _event("done", {"text": "".join(parts)})


@router.post(
    "/write", operation_id="write", summary="Draft or improve text (owner), streamed",
    description=STREAM_DOC, response_class=EventSourceResponse,
    responses={
        200: {"description": "The stream of events",
              "content": {"text/event-stream": {"schema": EVENT_SCHEMA,
                                                "example": 'event: delta\r\ndata: {"text": "Why "}\r\n\r\n'
                                                           'event: done\r\ndata: {"text": "Why ..."}\r\n\r\n'}}},
        401: {"model": ErrorBody, "description": "Not logged in"},
        403: {"model": ErrorBody, "description": "Only the owner may use the writing assistant"},
        **UNAVAILABLE,
    },
)
async def write(body: WriteRequest, actor: SignedInDep, writer: WriterDep) -> EventSourceResponse:
    stream = writer.stream(actor, body)
    # Pull the first piece before answering, so that refusals and an unreachable model are plain
    # JSON errors with the right status rather than an event inside a 200.
    try:
        first: str | None = await anext(stream)
    except StopAsyncIteration:
        first = None
    return EventSourceResponse(_events(first, stream), ping=15)
