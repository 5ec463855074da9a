"""Citations that exist: links in an answer must come from this turn's tool results.

After the final answer of a turn that used tools:
- a markdown link whose url no tool returned this turn is turned into plain text (no invented links);
- the first plain mention of a source's title becomes a link to it (small models rarely link).
Only items the answer names are cited: sources it does not use are not appended (a "Sources:" list
under "I don't know" claimed support the answer did not have).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.messages import AIMessage, ToolMessage

from agent.state import turn_tool_results
from folio import prompts

_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\]\(([^)\s]+)\)")
CANNED = {prompts.TOOL_NOT_AVAILABLE, prompts.NO_ANSWER_AFTER_TOOLS}


def _sources(results: Sequence[ToolMessage]) -> tuple[list[dict[str, str]], bool]:
    """(sources the tools showed, in order, de-duplicated; whether a search said the match was weak)."""
    seen: dict[str, dict[str, str]] = {}
    weak = False
    for message in results:
        artifact: Any = message.artifact
        if isinstance(artifact, dict):
            weak = weak or bool(artifact.get("weak"))
            artifact = artifact.get("sources", [])
        for source in artifact or []:
            if isinstance(source, dict) and source.get("url"):
                seen.setdefault(source["url"], source)
    return list(seen.values()), weak


def _link_first_mention(text: str, source: dict[str, str]) -> str:
    """Small models name items without linking them: link the first plain mention of a source's title."""
    if source["url"] in {m.group(2) for m in _LINK.finditer(text)}:
        return text
    title = re.compile(r"(?<![\w\[])" + re.escape(source["title"]) + r"(?![\w\]])")
    pieces, last = [], 0
    for link in _LINK.finditer(text):  # never inside an existing link
        pieces.append((text[last:link.start()], True))
        pieces.append((link.group(0), False))
        last = link.end()
    pieces.append((text[last:], True))
    for index, (piece, plain) in enumerate(pieces):
        if plain and (match := title.search(piece)):
            linked = f"{piece[:match.start()]}[{match.group(0)}]({source['url']}){piece[match.end():]}"
            pieces[index] = (linked, False)
            return "".join(p for p, _ in pieces)
    return text


def ground_links(answer: str, results: Sequence[ToolMessage]) -> str:
    sources, _ = _sources(results)
    known = {s["url"] for s in sources}
    tool_text = "\n".join(m.content for m in results if isinstance(m.content, str))

    def keep_or_unlink(match: re.Match) -> str:
        url = match.group(2)
        return match.group(0) if url in known or url in tool_text else match.group(1)

    grounded = _LINK.sub(keep_or_unlink, answer)
    for source in sorted(sources, key=lambda s: -len(s["title"])):
        grounded = _link_first_mention(grounded, source)
    return grounded


class CitationGuard(AgentMiddleware):
    async def awrap_model_call(self, request: ModelRequest,
                               handler: Callable[[ModelRequest], Awaitable[ModelResponse]]) -> ModelResponse:
        response = await handler(request)
        results = turn_tool_results(request.state["messages"])
        last = response.result[-1] if response.result else None
        if (not results or not isinstance(last, AIMessage) or last.tool_calls or not isinstance(last.content, str)
                or last.content in CANNED):
            return response
        grounded = ground_links(last.content, results)
        if grounded == last.content:
            return response
        fixed = last.model_copy(update={"content": grounded})
        return ModelResponse(result=[*response.result[:-1], fixed], structured_response=response.structured_response)
