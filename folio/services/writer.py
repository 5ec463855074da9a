"""The writing assistant of REST (POST /api/v1/ai/write): it drafts or improves any kind's text with a
chat model, streamed. (The owner's chat drafts posts step by step, under JSON schemas: agent/drafting.)
Every instruction is in folio.prompts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, Literal

import httpx
import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from folio import prompts
from folio.actor import Actor
from folio.errors import Unavailable
from folio.kinds import KINDS, KindName
from folio.llm import ChatEndpoint, chat_model
from folio.schemas import PlainText


class WriteRequest(BaseModel):
    """What the writing assistant should do (POST /api/v1/ai/write)."""

    mode: Literal["write", "improve"] = Field(
        "write", description="write: draft new text from a brief; improve: rewrite the given text")
    kind: KindName = Field("post", description="What the text is for")
    text: Annotated[PlainText, StringConstraints(min_length=1, max_length=20_000)] = Field(
        description="write: the brief (topic, key points); improve: the text to improve",
        examples=["A post about moving our search to pgvector HNSW: why, the recall we measured, pitfalls."])
    instructions: Annotated[PlainText, StringConstraints(max_length=2_000)] | None = Field(
        None, description="improve only: what to change", examples=["Shorter, and a friendlier tone."])
    max_tokens: int = Field(800, ge=1, le=4096, description="Upper bound on the length of the answer, in tokens")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"mode": "write", "kind": "post", "text": "Why I moved my side project from Elasticsearch to pgvector."},
        {"mode": "improve", "kind": "project", "text": "Tide gauge are sensor that measure the sea.",
         "instructions": "Fix the grammar."},
    ]})


def writer_messages(request: WriteRequest) -> list:
    """REST: draft (mode write) or improve a text of any kind."""
    kind = KINDS[request.kind].writer_noun
    if request.mode == "write":
        system = prompts.WRITER_SYSTEM_WRITE
        user = prompts.WRITER_USER_WRITE.format(kind=kind, text=request.text)
    else:
        system = prompts.WRITER_SYSTEM_IMPROVE
        extra = (prompts.WRITER_IMPROVE_INSTRUCTIONS.format(instructions=request.instructions)
                 if request.instructions else "")
        user = prompts.WRITER_USER_IMPROVE.format(kind=kind, instructions=extra, text=request.text)
    return [SystemMessage(system), HumanMessage(user)]


async def write(model: BaseChatModel, messages: list) -> AsyncIterator[str]:
    """The writer's text as it streams."""
    async for chunk in model.astream(messages):
        text = chunk.content if isinstance(chunk.content, str) else chunk.text
        if text:
            yield text


class WriterService:
    """The writing assistant. REST streams through `stream`."""

    def __init__(self, endpoint: Callable[[], ChatEndpoint | None] | None = None):
        # Read on every call: the embedded llama-server's URL is known only once it has started.
        self._endpoint = endpoint or (lambda: None)

    async def stream(self, actor: Actor, request: WriteRequest) -> AsyncIterator[str]:
        """Text deltas as the model writes them. Raises Unavailable when the model fails."""
        actor.require_owner()
        endpoint = self._endpoint()
        if endpoint is None:
            raise Unavailable("the chat model is not running", details={"dependency": "llm"})
        model = chat_model(endpoint, temperature=0.4, max_tokens=request.max_tokens)
        try:
            async for piece in write(model, writer_messages(request)):
                yield piece
        except (openai.OpenAIError, httpx.HTTPError) as exc:
            raise Unavailable(f"the chat model failed: {type(exc).__name__}",
                              details={"dependency": "llm"}) from exc
