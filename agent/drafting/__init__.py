"""Drafting the owner's posts in the chat: which step the owner asked for is read with every other
request (agent/requests); this package writes and revises the draft.

    write.py    interview (what only the owner knows) -> outline -> sections, each streamed
    revise.py   a revision read as checked edits; only the parts named change; undo
    clean.py    no metadata lines, repeats or cut-off sentences in a draft, a title that is a title
    review.py   claims the owner did not make, code the model wrote: marked for review
    view.py     the draft as the chat shows it, with the word-level diff from the previous version

Every model call is JSON under a schema (schemas.py), streamed and read as it arrives (stream.py)."""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel

from agent.drafting.revise import UNDO, Revision, Reviser
from agent.drafting.view import draft_markdown, draft_view
from agent.drafting.write import CANCEL, Interview, Show, answers_of, interview, write_post
from folio.actor import Actor
from folio.errors import DomainError
from folio.llm import ChatEndpoint, chat_model
from folio.services import Services
from folio.services.drafts import Draft, Section

READ_TOKENS = 200  # the brief's and a revision's reading
NOTES = 3  # portfolio search hits given to the writer as background
WRITER_TEMPERATURE = 0.4


@dataclass
class Drafter:
    services: Services
    reader: BaseChatModel  # temperature 0, grammar-constrained readings
    writer: BaseChatModel  # streamed writing

    async def interview(self, brief: str) -> Interview:
        return await interview(self.reader, brief)

    async def write(self, actor: Actor, brief: str, answers: str = "", show: Show | None = None) -> Draft | None:
        try:
            hits = await self.services.search.search(actor, f"{brief} {answers}"[:1000], limit=NOTES)
        except DomainError:
            hits = []
        return await write_post(self.writer, brief, answers, hits, show)

    async def revise(self, draft: Draft, message: str, show: Show | None = None) -> Revision:
        return await Reviser(self.reader, self.writer).revise(draft, message, show)


def make_drafter(services: Services, endpoint: ChatEndpoint) -> Drafter:
    return Drafter(services, chat_model(endpoint, temperature=0.0, max_tokens=READ_TOKENS, streaming=False),
                   chat_model(endpoint, temperature=WRITER_TEMPERATURE))


__all__ = ["CANCEL", "Draft", "Drafter", "Interview", "Revision", "Section", "UNDO", "answers_of", "draft_markdown",
           "draft_view", "make_drafter"]
