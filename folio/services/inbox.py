"""The owner's inbox: questions the portfolio could not answer and contact details visitors left.

Visitors (through the chat) add to it; only the owner reads it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from data.db import Database
from data.models import ContactRequest, UnansweredQuestion
from data.repositories import InboxRepository
from folio.actor import Actor
from folio.errors import RateLimited, ValidationFailed
from folio.schemas import ContactCreate
from folio.services.ratelimit import Limit, RateLimiter

MAX_QUESTION = 1000
MAX_PAGE = 100
# One visitor cannot fill the owner's inbox: beyond these totals their entries are refused.
MAX_QUESTIONS_PER_VISITOR = 50
MAX_CONTACTS_PER_VISITOR = 5


@dataclass(frozen=True)
class Origin:
    """Where an inbox entry came from: the chat thread, the visitor's stable id and the client address."""

    thread_id: str | None = None
    visitor_id: str | None = None
    address: str | None = None  # caps contact requests per address (a visitor id is any cookie the client picks)


@dataclass
class InboxPage:
    items: list
    total: int
    limit: int
    offset: int


class InboxService:
    def __init__(self, db: Database, limiter: RateLimiter | None = None, contact_limit: Limit | None = None):
        self.db = db
        self.repo = InboxRepository()
        self.limiter, self.contact_limit = limiter, contact_limit
        # Called with (session, entry) inside the transaction that stores a contact request.
        self.on_contact: list[Callable[[AsyncSession, ContactRequest], Awaitable[None]]] = []

    async def record_question(self, question: str, origin: Origin = Origin(),
                              best_match: str | None = None) -> tuple[UnansweredQuestion | None, bool]:
        """Log a question for the owner; the same question twice in one thread is kept once.

        Returns (entry, created); entry is None when an identical one already exists."""
        question = " ".join((question or "").split())
        if not question:
            raise ValidationFailed("the question must not be empty")
        if len(question) > MAX_QUESTION or "\x00" in question:
            raise ValidationFailed(f"the question must be at most {MAX_QUESTION} characters, without NUL")
        async with self.db.unit_of_work() as session:
            if await self.repo.question_in_thread(session, question, origin.thread_id):
                return None, False
            if origin.visitor_id and await self.repo.count_from_visitor(
                    session, UnansweredQuestion, origin.visitor_id) >= MAX_QUESTIONS_PER_VISITOR:
                raise RateLimited("too many questions logged from this visitor", retry_after=3600)
            item = await self.repo.add(session, UnansweredQuestion, {
                "question": question, "best_match": (best_match or None) and best_match[:500],
                "thread_id": origin.thread_id, "visitor_id": origin.visitor_id})
        return item, True

    async def leave_contact(self, name: str, email: str, message: str = "",
                            origin: Origin = Origin()) -> ContactRequest:
        try:
            data = ContactCreate(name=name, email=email, message=message or "")
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "contact"
            raise ValidationFailed(f"{field}: {first['msg']}") from None
        try:
            address = validate_email(data.email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise ValidationFailed(f"email: {exc}") from None
        if self.limiter is not None and self.contact_limit is not None:  # each one notifies the owner
            await self.limiter.hit((self.contact_limit, origin.address),
                                   message="too many contact requests from this address")
        async with self.db.unit_of_work() as session:
            if origin.visitor_id and await self.repo.count_from_visitor(
                    session, ContactRequest, origin.visitor_id) >= MAX_CONTACTS_PER_VISITOR:
                raise RateLimited("this visitor already left several contact requests", retry_after=3600)
            entry = await self.repo.add(session, ContactRequest, {
                "name": data.name, "email": address, "message": data.message,
                "thread_id": origin.thread_id, "visitor_id": origin.visitor_id})
            for hook in self.on_contact:  # e.g. the notification outbox: written in this same transaction
                await hook(session, entry)
            return entry

    async def questions(self, actor: Actor, *, limit: int = 20, offset: int = 0) -> InboxPage:
        return await self._page(actor, UnansweredQuestion, limit, offset)

    async def contacts(self, actor: Actor, *, limit: int = 20, offset: int = 0) -> InboxPage:
        return await self._page(actor, ContactRequest, limit, offset)

    async def _page(self, actor: Actor, model, limit: int, offset: int) -> InboxPage:
        actor.require_owner()
        if not 1 <= limit <= MAX_PAGE:
            raise ValidationFailed(f"limit must be between 1 and {MAX_PAGE}")
        if offset < 0:
            raise ValidationFailed("offset must not be negative")
        async with self.db.unit_of_work() as session:
            items, total = await self.repo.list(session, model, limit=limit, offset=offset)
        return InboxPage(items, total, limit, offset)
