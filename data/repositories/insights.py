"""All SQL of the owner's insights: recorded visitor questions, their daily counts (live rows plus the
aggregates kept beyond the retention), leads and their status, thumbs-down answers, drafting briefs."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import ARRAY, BigInteger, Integer, Text, func, select, text, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import ContactRequest, OwnerBrief, VisitorQuestion

# pg_advisory_xact_lock key for the roll-up of old questions into daily counts ("insight" in ASCII).
ROLLUP_LOCK_KEY = 0x696E7369676874

DAYS_SQL = text("""
WITH live AS (
    SELECT (created_at AT TIME ZONE 'UTC')::date AS day,
           count(DISTINCT conversation) AS conversations, count(*) AS questions,
           count(*) FILTER (WHERE outcome = 'data') AS from_data,
           count(*) FILTER (WHERE outcome = 'model') AS by_model,
           count(*) FILTER (WHERE outcome = 'unanswered') AS unanswered
    FROM visitor_questions WHERE created_at >= (CAST(:since AS date) AT TIME ZONE 'UTC')
    GROUP BY 1
)
SELECT day, sum(conversations)::int AS conversations, sum(questions)::int AS questions,
       sum(from_data)::int AS from_data, sum(by_model)::int AS by_model, sum(unanswered)::int AS unanswered
FROM (SELECT * FROM live
      UNION ALL
      SELECT day, conversations, questions, from_data, by_model, unanswered FROM question_days
      WHERE day >= CAST(:since AS date)) AS both_kinds
GROUP BY day ORDER BY day""")

TOTALS_SQL = text("""
SELECT (SELECT count(DISTINCT conversation) FROM visitor_questions WHERE created_at >= (CAST(:since AS date) AT TIME ZONE 'UTC'))
         + (SELECT coalesce(sum(conversations), 0) FROM question_days WHERE day >= CAST(:since AS date))
         AS conversations,
       (SELECT count(DISTINCT visitor) FROM visitor_questions WHERE created_at >= (CAST(:since AS date) AT TIME ZONE 'UTC'))
         AS visitors""")

ROLLUP_SQL = text("""
INSERT INTO question_days (day, conversations, questions, from_data, by_model, unanswered)
SELECT (created_at AT TIME ZONE 'UTC')::date, count(DISTINCT conversation), count(*),
       count(*) FILTER (WHERE outcome = 'data'), count(*) FILTER (WHERE outcome = 'model'),
       count(*) FILTER (WHERE outcome = 'unanswered')
FROM visitor_questions WHERE created_at < (CAST(:cutoff AS date) AT TIME ZONE 'UTC')
GROUP BY 1
ON CONFLICT (day) DO UPDATE SET
    conversations = question_days.conversations + EXCLUDED.conversations,
    questions = question_days.questions + EXCLUDED.questions,
    from_data = question_days.from_data + EXCLUDED.from_data,
    by_model = question_days.by_model + EXCLUDED.by_model,
    unanswered = question_days.unanswered + EXCLUDED.unanswered""")

ASKED_SQL = text("""
WITH picked AS (
    SELECT id, created_at, question, lower(question) AS key, items, embedding FROM visitor_questions
    WHERE created_at >= :since AND outcome = ANY(:outcomes) AND (NOT :unbriefed OR NOT briefed)
), wordings AS (
    SELECT key, min(question) AS question, count(*)::int AS n, max(created_at) AS last,
           (array_agg(id ORDER BY id DESC))[1:200] AS ids,
           (array_agg(embedding ORDER BY id DESC) FILTER (WHERE embedding IS NOT NULL))[1] AS embedding
    FROM picked GROUP BY key ORDER BY last DESC LIMIT :limit
), cited AS (
    SELECT p.key, jsonb_object_agg(c.item, c.n) AS items
    FROM (SELECT key, item, count(*)::int AS n FROM picked, unnest(items) AS item GROUP BY key, item) AS c
    JOIN wordings p ON p.key = c.key GROUP BY p.key
)
SELECT w.question, w.n, w.ids, w.embedding, coalesce(c.items, '{}'::jsonb) AS items
FROM wordings w LEFT JOIN cited c ON c.key = w.key ORDER BY w.last DESC""").columns(
    question=Text(), n=Integer(), ids=ARRAY(BigInteger()), embedding=Vector(), items=JSONB())

# The owner's thumbs-down (Chainlit's feedback value 0) with the question asked just before the answer.
THUMBS_DOWN_SQL = text("""
SELECT asked.output AS question, answer."createdAt" AS at
FROM chainlit.feedbacks f
JOIN chainlit.steps answer ON answer.id = f."forId"
JOIN LATERAL (
    SELECT u.output FROM chainlit.steps u
    WHERE u."threadId" = answer."threadId" AND u.type = 'user_message' AND u."createdAt" <= answer."createdAt"
    ORDER BY u."createdAt" DESC LIMIT 1) AS asked ON true
WHERE f.value = 0 AND answer."createdAt" >= :since
ORDER BY answer."createdAt" DESC LIMIT :limit""")


class InsightsRepository:
    async def add_question(self, session: AsyncSession, values: dict[str, Any]) -> None:
        session.add(VisitorQuestion(**values))
        await session.flush()

    async def days(self, session: AsyncSession, since: date) -> list[dict[str, Any]]:
        rows = await session.execute(DAYS_SQL, {"since": since})
        return [dict(r._mapping) for r in rows]

    async def totals(self, session: AsyncSession, since: date) -> dict[str, int]:
        row = (await session.execute(TOTALS_SQL, {"since": since})).one()
        return {"conversations": int(row.conversations or 0), "visitors": int(row.visitors or 0)}

    async def asked(self, session: AsyncSession, since: datetime, outcomes: Sequence[str], *,
                    limit: int, unbriefed: bool = False) -> list[dict[str, Any]]:
        """The questions with these outcomes, one row per wording (case aside): how often, the ids, the
        newest embedding, the items cited with their counts; the most recently asked first."""
        rows = await session.execute(ASKED_SQL, {"since": since, "outcomes": list(outcomes), "unbriefed": unbriefed,
                                                 "limit": limit})
        return [dict(r._mapping) for r in rows]

    async def questions_by_id(self, session: AsyncSession, ids: Sequence[int]) -> list[VisitorQuestion]:
        return list(await session.scalars(select(VisitorQuestion).where(VisitorQuestion.id.in_(list(ids)))
                                          .order_by(VisitorQuestion.id)))

    async def mark_briefed(self, session: AsyncSession, questions: Sequence[str]) -> None:
        """Every unanswered question asked in these words (case aside) is covered by a brief."""
        await session.execute(update(VisitorQuestion).where(
            func.lower(VisitorQuestion.question).in_([q.lower() for q in questions]),
            VisitorQuestion.outcome == "unanswered").values(briefed=True))

    async def thumbs_down(self, session: AsyncSession, since: datetime, limit: int) -> list[dict[str, Any]]:
        rows = await session.execute(THUMBS_DOWN_SQL, {"since": since.isoformat(), "limit": limit})
        return [dict(r._mapping) for r in rows]

    async def roll_up(self, session: AsyncSession, cutoff: date) -> int:
        """Fold the questions asked before `cutoff` into daily counts and delete them (one process at a time)."""
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ROLLUP_LOCK_KEY})
        before = datetime.combine(cutoff, time(), UTC)
        old = await session.scalar(select(func.count()).select_from(VisitorQuestion)
                                   .where(VisitorQuestion.created_at < before))
        if not old:
            return 0
        await session.execute(ROLLUP_SQL, {"cutoff": cutoff})
        await session.execute(VisitorQuestion.__table__.delete().where(VisitorQuestion.created_at < before))
        return int(old)

    # ---- leads ------------------------------------------------------------------------------------
    async def leads(self, session: AsyncSession, limit: int) -> list[ContactRequest]:
        return list(await session.scalars(select(ContactRequest).order_by(ContactRequest.created_at.desc(),
                                                                          ContactRequest.id).limit(limit)))

    async def lead_counts(self, session: AsyncSession) -> dict[str, int]:
        rows = await session.execute(select(ContactRequest.status, func.count()).group_by(ContactRequest.status))
        return {status: int(n) for status, n in rows}

    async def set_lead_status(self, session: AsyncSession, lead_id: uuid.UUID, status: str) -> ContactRequest | None:
        lead = await session.get(ContactRequest, lead_id, with_for_update=True)
        if lead is not None:
            lead.status = status
            lead.updated_at = func.now()
            await session.flush()
            await session.refresh(lead)
        return lead

    # ---- briefs ------------------------------------------------------------------------------------
    async def add_brief(self, session: AsyncSession, owner_key: str, brief: str) -> OwnerBrief:
        entry = OwnerBrief(owner_key=owner_key, brief=brief)
        session.add(entry)
        await session.flush()
        return entry

    async def take_brief(self, session: AsyncSession, owner_key: str, since: datetime) -> OwnerBrief | None:
        """The newest unused brief of this owner since `since`, marked used (once, whichever process asks)."""
        entry = await session.scalar(select(OwnerBrief).where(
            OwnerBrief.owner_key == owner_key, OwnerBrief.used_at.is_(None), OwnerBrief.created_at >= since)
            .order_by(OwnerBrief.created_at.desc()).limit(1).with_for_update(skip_locked=True))
        if entry is not None:
            entry.used_at = func.now()
            await session.flush()
        return entry
