"""All SQL for the owner's inbox: unanswered questions and contact requests."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import ContactRequest, UnansweredQuestion

M = TypeVar("M", UnansweredQuestion, ContactRequest)


class InboxRepository:
    async def add(self, session: AsyncSession, model: type[M], values: dict[str, Any]) -> M:
        item = model(**values)
        session.add(item)
        await session.flush()
        await session.refresh(item)
        return item

    async def list(self, session: AsyncSession, model: type[M], *, limit: int, offset: int) -> tuple[list[M], int]:
        total = await session.scalar(select(func.count()).select_from(model))
        rows = await session.scalars(select(model).order_by(model.created_at.desc(), model.id)
                                     .limit(limit).offset(offset))
        return list(rows), int(total or 0)

    async def question_in_thread(self, session: AsyncSession, question: str, thread_id: str | None) -> bool:
        stmt = select(func.count()).select_from(UnansweredQuestion).where(
            func.lower(UnansweredQuestion.question) == question.lower())
        stmt = stmt.where(UnansweredQuestion.thread_id == thread_id if thread_id is not None
                          else UnansweredQuestion.thread_id.is_(None))
        return bool(await session.scalar(stmt))

    async def count_from_visitor(self, session: AsyncSession, model: type[M], visitor_id: str) -> int:
        return int(await session.scalar(
            select(func.count()).select_from(model).where(model.visitor_id == visitor_id)) or 0)
