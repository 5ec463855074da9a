"""One chat turn as a stream of UI-neutral events: what the pipelines (agent/answering, agent/requests)
yield and the chat renders (chat/streaming.py). Everything a turn yields for display has been through
agent/safe_markdown.py first: links allowed only to the app's own pages and to URLs the answer's data holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import openai

# The chat model server is down, overloaded or answered with an error.
LLM_ERRORS: tuple[type[BaseException], ...] = (openai.APIError, httpx.HTTPError)


@dataclass(frozen=True)
class Token:
    text: str


@dataclass(frozen=True)
class ToolStart:
    """A step begins (shown at once: the first visible feedback of a turn)."""

    call_id: str
    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class ToolEnd:
    call_id: str
    name: str
    output: str
    is_error: bool = False


@dataclass(frozen=True)
class Final:
    text: str


TurnEvent = Token | ToolStart | ToolEnd | Final
