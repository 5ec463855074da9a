"""The owner's insights over recorded visitor questions (real PostgreSQL, real embedding model): counts per
day and per outcome, hashed ids, topics by meaning, gaps that leave the list once briefed, leads' status,
the roll-up that keeps only daily counts beyond the retention, and the owner-only rule."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from folio.errors import NotFound, PermissionDenied, ValidationFailed
from folio.services.inbox import Origin
from folio.services.insights import brief_text, outcome_of


async def _at(services, when: datetime) -> None:
    """Date every question recorded so far at `when` (the recording itself stamps now())."""
    async with services.db.unit_of_work() as session:
        await session.execute(text("UPDATE visitor_questions SET created_at = :when WHERE created_at > now() - "
                                   "interval '1 minute'"), {"when": when})


async def test_counts_outcomes_topics_and_gaps(services, owner, visitor):
    ins = services.insights
    rust = ["Do you write Rust?", "Have you used Rust in production?", "Which Rust crates do you like?"]
    for n, q in enumerate(rust):
        await ins.record(q, Origin(f"thread-{n % 2}", "visitor-a", "203.0.113.9"), "data", ["project:ferrox"])
    await ins.record("¿Usas Rust?", Origin("thread-2", "visitor-b"), "model", ["project:ferrox"])
    await ins.record("Do you know Haskell?", Origin("thread-2", "visitor-b"), "unanswered")
    await ins.record("Have you ever written Haskell code?", Origin("thread-3", "visitor-c"), "unanswered")
    await ins.record("hello, I'm Bo: bo.x@example.com", Origin("thread-3", "visitor-c"), "ignored")
    yesterday = datetime.now(UTC) - timedelta(days=1)
    await _at(services, yesterday)
    await ins.record("What is your favourite database?", Origin("thread-4", "visitor-d"), "unanswered")

    with pytest.raises(PermissionDenied):
        await ins.insights(visitor)
    with pytest.raises(ValidationFailed):
        await ins.insights(owner, days_back=12)
    found = await ins.insights(owner, days_back=30)
    assert len(found.days) == 30 and found.days[-1].day == datetime.now(UTC).date()
    day_before, today = found.days[-2], found.days[-1]
    assert (day_before.conversations, day_before.questions, day_before.from_data, day_before.by_model,
            day_before.unanswered, day_before.other) == (4, 7, 3, 1, 2, 1)
    assert (today.conversations, today.questions, today.unanswered) == (1, 1, 1)
    assert (found.conversations, found.visitors, found.questions) == (5, 4, 8)

    # Anonymised: no raw ids, no address.
    async with services.db.read() as session:
        stored = (await session.execute(text("SELECT conversation, visitor FROM visitor_questions"))).all()
        columns = {r[0] for r in await session.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'visitor_questions'"))}
    assert not {"visitor-a", "thread-0"} & {v for row in stored for v in row}
    assert ins.anonymous("visitor-a") in {row[1] for row in stored}
    assert not any("address" in c or "ip" == c for c in columns)
    async with services.db.read() as session:
        assert "hello, I'm Bo: [email]" in {r[0] for r in await session.execute(text("SELECT question FROM visitor_questions"))}

    top = found.topics[0]  # the Rust questions, in English and Spanish, grouped by meaning
    assert top.size == 4 and top.items == [("project:ferrox", 4)] and "Do you write Rust?" in top.examples
    haskell = found.gaps[0]
    assert haskell.size == 2 and set(haskell.questions) == {"Do you know Haskell?", "Have you ever written Haskell code?"}

    brief = await ins.brief_for(owner, haskell.ids)
    assert brief == brief_text(["Do you know Haskell?", "Have you ever written Haskell code?"])
    with pytest.raises(PermissionDenied):
        await ins.brief_for(visitor, haskell.ids)
    with pytest.raises(NotFound):
        await ins.brief_for(owner, [10**9])
    assert [g.questions for g in (await ins.insights(owner)).gaps] == [["What is your favourite database?"]]
    assert await ins.take_brief(visitor) is None
    assert await ins.take_brief(owner) == brief
    assert await ins.take_brief(owner) is None  # used once


async def test_leads_status_changes_only_by_the_owner(services, owner, visitor):
    entry = await services.inbox.leave_contact("Grace", "grace@example.com", "Let's talk", Origin("t", "v"))
    found = await services.insights.insights(owner)
    assert [(lead.name, lead.status) for lead in found.leads] == [("Grace", "new")]
    assert found.lead_counts == {"new": 1, "replied": 0, "archived": 0}
    with pytest.raises(PermissionDenied):
        await services.insights.set_lead_status(visitor, entry.id, "replied")
    with pytest.raises(ValidationFailed):
        await services.insights.set_lead_status(owner, entry.id, "deleted")
    with pytest.raises(NotFound):
        await services.insights.set_lead_status(owner, "not-a-uuid", "replied")
    assert (await services.insights.set_lead_status(owner, entry.id, "replied")).status == "replied"
    assert (await services.insights.insights(owner)).lead_counts == {"new": 0, "replied": 1, "archived": 0}


async def test_only_daily_counts_outlive_the_retention(services, owner):
    ins = services.insights
    ins.keep_days = 5
    for n in range(3):
        await ins.record(f"Old question {n} about Kotlin?", Origin(f"old-{n}", "v"), "unanswered" if n else "data")
    old = datetime.now(UTC) - timedelta(days=7)
    await _at(services, old)
    await ins.record("A recent question about Go?", Origin("new", "v"), "data")
    found = await ins.insights(owner, days_back=30)  # folds the old day into its counts first
    async with services.db.read() as session:
        kept = [r[0] for r in await session.execute(text("SELECT question FROM visitor_questions"))]
        days = (await session.execute(text("SELECT day, conversations, questions, from_data, unanswered "
                                           "FROM question_days"))).all()
    assert kept == ["A recent question about Go?"]
    assert days == [(old.date(), 3, 3, 1, 2)]
    assert (found.questions, found.conversations, found.total("unanswered")) == (4, 4, 2)
    assert not found.gaps  # the old questions' words are gone
    assert await ins.roll_up() == 0


def test_outcome_of_a_turn():
    assert outcome_of("greeting", True, False) == "ignored"
    assert outcome_of("list", False, True) == "unanswered"
    assert outcome_of("list", True, True) == "model"
    assert outcome_of("count", True, False) == "data"
