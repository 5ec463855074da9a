"""The version of a set of tables, in one cheap statement: (rows, sum of the rows' xmin).

Every INSERT, UPDATE or DELETE committed in any process changes it: a new row version carries the
writing transaction's id (newer than every xmin already there), a deleted one takes its xmin away,
and the row count tells inserts from deletes. Unlike max(updated_at) (a transaction's start time), a
write that commits late is never missed. No rules here: services decide what a change means."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import BigInteger, Text, cast, func, literal_column, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import Base


class TableVersions:
    def __init__(self, models: Sequence[type[Base]]):
        xmin = cast(cast(literal_column("xmin"), Text), BigInteger).label("x")
        rows = [select(xmin).select_from(model.__table__) for model in models]
        every = (union_all(*rows) if len(rows) > 1 else rows[0]).subquery()
        self.statement = select(func.count(), func.coalesce(func.sum(every.c.x), 0))

    async def version(self, session: AsyncSession) -> tuple[int, int]:
        count, total = (await session.execute(self.statement)).one()
        return int(count), int(total)
