"""Shared plumbing for tools: domain errors become a short text the model can relay."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool

from folio.errors import on_domain_error

# What a tool hands back: (text for the model, the sources it showed) -- LangChain's content_and_artifact.
# The artifact is a list of {"title", "url"}, or {"sources": [...], "weak": bool} from a search.
ToolResult = tuple[str, list[dict[str, str]] | dict[str, Any]]
MAX_SNIPPET = 300
MAX_BODY = 1200


@dataclass(frozen=True)
class Source:
    title: str
    url: str

    def link(self) -> str:
        return f"[{self.title}]({self.url})"

    def as_artifact(self) -> dict[str, str]:
        return {"title": self.title, "url": self.url}


domain_errors_as_text = on_domain_error(lambda exc: (f"Error: {exc.message}", []))
"""A domain error becomes the tool's text for the model ("Error: ..."), never an exception."""


def structured(coroutine: Callable[..., Awaitable[ToolResult]], args_schema: type, description: str) -> BaseTool:
    """A LangChain tool named after the function, returning (text, sources)."""
    return StructuredTool.from_function(coroutine=coroutine, name=coroutine.__name__, args_schema=args_schema,
                                        description=description, response_format="content_and_artifact")


def shorten(text: str | None, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
