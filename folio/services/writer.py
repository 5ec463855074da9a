"""The writing assistant, one for REST and the chat: it drafts or improves portfolio text with a chat
model, streamed. REST (POST /api/v1/ai/write) drafts or improves any kind's text; the owner's chat
drafts and revises blog posts in a fixed Markdown layout (folio.services.draft_text) and makes each
revision do what was asked (shorter, with a code example). Every instruction is in folio.prompts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any, Literal

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
from folio.services.draft_text import Goals, draft_markdown, enforce, fenced_code, goals_of, has_code, parse_draft
from folio.services.drafts import Draft
from folio.services.search import SearchHit

NOTE_CHARS = 240  # of each portfolio note a new post is written from


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


def writer_messages_new(topic: str, hits: list[SearchHit]) -> list:
    """Chat: a new post about `topic`, from what the portfolio says about it."""
    notes = "\n".join(f"- {h.title}: {h.snippet[:NOTE_CHARS]}" for h in hits) or prompts.DRAFT_NO_NOTES
    return [SystemMessage(prompts.DRAFT_WRITER_SYSTEM_PROMPT),
            HumanMessage(prompts.DRAFT_NEW_INPUT.format(notes=notes, topic=topic))]


def writer_messages_revise(draft: Draft, instruction: str, goals: Goals | None = None) -> list:
    """Chat: the draft revised as the owner asks, with what that measurably means spelled out."""
    goals = goals or goals_of(instruction, draft)
    musts = []
    if goals.max_words:
        musts.append(prompts.DRAFT_MUST_SHORTER.format(words=goals.max_words))
    if goals.code:
        musts.append(prompts.DRAFT_MUST_CODE)
    request = instruction + ("\n" + "\n".join(musts) if musts else "")
    return [SystemMessage(prompts.DRAFT_WRITER_SYSTEM_PROMPT),
            HumanMessage(prompts.DRAFT_REVISE_INPUT.format(draft=draft_markdown(draft), instruction=request))]


def code_example_messages(draft: Draft) -> list:
    return [HumanMessage(prompts.DRAFT_CODE_EXAMPLE_INPUT.format(title=draft.title, body=draft.body[:1500]))]


async def write(model: BaseChatModel, messages: list) -> AsyncIterator[str]:
    """The writer's text as it streams."""
    async for chunk in model.astream(messages):
        text = chunk.content if isinstance(chunk.content, str) else chunk.text
        if text:
            yield text


async def compose(model: BaseChatModel, messages: list, previous: Draft | None = None, goals: Goals | None = None,
                  on_token: Callable[[str], Awaitable[Any]] | None = None) -> Draft | None:
    """Write (streaming each token to `on_token`) and parse a draft; for a revision, make it do what was
    asked (goals). None when the writer produced nothing usable."""
    text = ""
    async for token in write(model, messages):
        text += token
        if on_token is not None:
            await on_token(token)
    parsed = parse_draft(text)
    if parsed is None:
        return None
    draft = previous.revised(parsed) if previous else parsed
    if goals is not None:
        example = ""
        if goals.code and not has_code(draft.body):  # the writer left it out: ask for just that
            example = "".join([t async for t in write(model, code_example_messages(draft))])
        draft = enforce(draft, goals, fenced_code(example))
    return draft


class WriterService:
    """The writing assistant. REST streams through `stream`; the owner's chat, which brings its own
    model, drafts through `new_post` and `revise_post`."""

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

    async def new_post(self, model: BaseChatModel, topic: str, hits: list[SearchHit],
                       on_token: Callable[[str], Awaitable[Any]] | None = None) -> Draft | None:
        return await compose(model, writer_messages_new(topic, hits), on_token=on_token)

    async def revise_post(self, model: BaseChatModel, draft: Draft, instruction: str,
                          on_token: Callable[[str], Awaitable[Any]] | None = None) -> Draft | None:
        goals = goals_of(instruction, draft)
        return await compose(model, writer_messages_revise(draft, instruction, goals), draft, goals, on_token)
