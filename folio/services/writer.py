"""The writing assistant: drafts or improves portfolio text with the configured chat model, streamed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import openai
from langchain_core.messages import HumanMessage, SystemMessage

from folio import prompts
from folio.actor import Actor
from folio.errors import Unavailable
from folio.llm import ChatEndpoint, chat_model
from folio.schemas import WriteRequest

KIND_WORDS = {"post": "blog post", "project": "project description",
              "certification": "certification description"}


def writer_messages(request: WriteRequest) -> list:
    kind = KIND_WORDS[request.kind]
    if request.mode == "write":
        system = prompts.WRITER_SYSTEM_WRITE
        user = prompts.WRITER_USER_WRITE.format(kind=kind, text=request.text)
    else:
        system = prompts.WRITER_SYSTEM_IMPROVE
        extra = (prompts.WRITER_IMPROVE_INSTRUCTIONS.format(instructions=request.instructions)
                 if request.instructions else "")
        user = prompts.WRITER_USER_IMPROVE.format(kind=kind, instructions=extra, text=request.text)
    return [SystemMessage(system), HumanMessage(user)]


class WriterService:
    def __init__(self, endpoint: Callable[[], ChatEndpoint | None]):
        # Read on every call: the embedded llama-server's URL is known only once it has started.
        self._endpoint = endpoint

    async def stream(self, actor: Actor, request: WriteRequest) -> AsyncIterator[str]:
        """Text deltas as the model writes them. Raises Unavailable when the model fails."""
        actor.require_owner()
        endpoint = self._endpoint()
        if endpoint is None:
            raise Unavailable("the chat model is not running", details={"dependency": "llm"})
        model = chat_model(endpoint, temperature=0.4, max_tokens=request.max_tokens)
        try:
            async for chunk in model.astream(writer_messages(request)):
                if isinstance(chunk.content, str) and chunk.content:
                    yield chunk.content
        except (openai.OpenAIError, httpx.HTTPError) as exc:
            raise Unavailable(f"the chat model failed: {type(exc).__name__}",
                              details={"dependency": "llm"}) from exc
