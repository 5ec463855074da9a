"""The request body size limit shared by the two web front ends (REST in api/, the chat mount in chat/):
a pure ASGI receive wrapper, so neither has to import the other."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import Message, Receive

TOO_LARGE = "the request body is too large"


def body_limited(receive: Receive, limit: int, detail: str = TOO_LARGE) -> Receive:
    """A receive that raises 413 once the request body passes `limit` bytes (chunked bodies included);
    FastAPI re-raises HTTPExceptions from body reading and api.errors shapes the 413."""
    received = 0

    async def receive_limited() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise HTTPException(413, detail)
        return message

    return receive_limited
