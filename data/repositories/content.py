"""All SQL for portfolio content (every kind in folio.kinds). No rules here: services decide."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, delete, exists, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import ColumnElement

from data.models import Base

M = TypeVar("M", bound=Base)


@dataclass
class ListQuery:
    limit: int = 20
    offset: int = 0
    public_only: bool = True
    tag: str | None = None
    # Equality filters on plain columns, e.g. {"featured": True, "status": "draft"}.
    equals: dict[str, Any] = field(default_factory=dict)
    # Array containment filters, e.g. {"tech_stack": "Rust"} (case-insensitive).
    contains: dict[str, str] = field(default_factory=dict)


class ContentRepository(Generic[M]):
    """SQL for one content model. Its `is_public` hybrid gives the public clause; `order` the list order
    (both from the kind's spec, folio.kinds)."""

    def __init__(self, model: type[M], order: Sequence[ColumnElement] = ()):
        self.model = model
        self.order = tuple(order) or (model.created_at.desc(),)

    def _filtered(self, query: ListQuery) -> Select:
        stmt = select(self.model)
        if query.public_only:
            stmt = stmt.where(self.model.is_public)
        contains = dict(query.contains)
        if query.tag:
            contains["tags"] = query.tag
        for column, value in query.equals.items():
            stmt = stmt.where(getattr(self.model, column) == value)
        for column, value in contains.items():
            stmt = stmt.where(self._array_has(column, value))
        return stmt

    def _array_has(self, column: str, value: str):
        """EXISTS (SELECT 1 FROM unnest(col) AS e(v) WHERE lower(e.v) = lower(value))."""
        element = func.unnest(getattr(self.model, column)).table_valued("v").render_derived(name="e")
        return exists(select(1).select_from(element).where(func.lower(element.c.v) == value.lower()))

    async def list(self, session: AsyncSession, query: ListQuery) -> tuple[list[M], int]:
        base = self._filtered(query)
        total = await session.scalar(select(func.count()).select_from(base.subquery()))
        rows = await session.scalars(base.order_by(*self.order).limit(query.limit).offset(query.offset))
        return list(rows), int(total or 0)

    async def all_by_slug(self, session: AsyncSession) -> list[M]:
        return list(await session.scalars(select(self.model).order_by(self.model.slug)))

    async def get_by_slug(self, session: AsyncSession, slug: str) -> M | None:
        return await session.scalar(select(self.model).where(self.model.slug == slug))

    async def read_by_slug(self, conn: AsyncConnection, slug: str) -> M | None:
        """The item on a bare connection, as an object no session tracks (for reading only): the hot path
        of GET by slug, without the ORM session's work per request."""
        table = self.model.__table__
        row = (await conn.execute(select(table).where(table.c.slug == slug))).mappings().first()
        return self.model(**row) if row is not None else None

    async def get_by_id(self, session: AsyncSession, item_id: Any) -> M | None:
        return await session.get(self.model, item_id)

    async def slug_exists(self, session: AsyncSession, slug: str) -> bool:
        return bool(await session.scalar(select(func.count()).where(self.model.slug == slug)))

    async def slugs_like(self, session: AsyncSession, prefix: str) -> set[str]:
        rows = await session.scalars(select(self.model.slug).where(self.model.slug.startswith(prefix)))
        return set(rows)

    async def add(self, session: AsyncSession, values: dict[str, Any]) -> M:
        item = self.model(**values)
        session.add(item)
        await session.flush()
        await session.refresh(item)
        return item

    async def update(self, session: AsyncSession, item: M, values: dict[str, Any]) -> M:
        for key, value in values.items():
            setattr(item, key, value)
        await session.flush()
        await session.refresh(item)
        return item

    async def delete(self, session: AsyncSession, item: M) -> None:
        await session.execute(delete(self.model).where(self.model.id == item.id))

    async def all(self, session: AsyncSession) -> list[M]:
        """Every item, drafts included, oldest first (re-indexing)."""
        return list(await session.scalars(select(self.model).order_by(self.model.created_at, self.model.id)))

    async def count(self, session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(self.model)) or 0)


def repository_for(model: type[Base]) -> ContentRepository:
    return ContentRepository(model)
