"""The owner's insights: what visitors asked, how it was answered, what went unanswered, who left their
details. Visitors' chats record each question here (anonymised: the conversation and visitor ids are
hashed with the app's secret, no address is kept); only the owner reads the figures.

Questions are kept FOLIO_INSIGHTS_KEEP_DAYS days; older ones are folded into per-day counts
(question_days) and deleted, so only aggregate counts outlive the retention."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.exc import SQLAlchemyError

from data.db import Database
from data.embeddings import Embedder, EmbedderUnavailable
from data.repositories.insights import InsightsRepository
from folio.actor import Actor
from folio.errors import NotFound, PermissionDenied, ValidationFailed
from folio.services.inbox import MAX_QUESTION, Origin
from folio.services.topics import cluster

log = logging.getLogger(__name__)

OUTCOMES = ("data", "model", "unanswered", "ignored")
LEAD_STATUSES = ("new", "replied", "archived")
PERIODS = (7, 30, 90)
DEFAULT_KEEP_DAYS = 90
TOPIC_SAMPLE = 5000  # the most recently asked wordings clustered into topics
GAP_SAMPLE = 2000  # wordings
TOPICS, GAPS, EXAMPLES = 8, 10, 4
LEADS = 50
BRIEF_QUESTIONS = 10
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
BRIEF_TTL = timedelta(hours=1)  # a brief the page handed over waits this long for the chat to open


@dataclass(frozen=True)
class Day:
    day: date
    conversations: int = 0
    questions: int = 0
    from_data: int = 0
    by_model: int = 0
    unanswered: int = 0

    @property
    def other(self) -> int:
        """Greetings and off-topic messages."""
        return self.questions - self.from_data - self.by_model - self.unanswered


@dataclass
class Topic:
    size: int
    examples: list[str]
    items: list[tuple[str, int]]  # ("kind:slug", times cited), most cited first


@dataclass
class Gap:
    size: int
    questions: list[str]
    ids: list[int]  # one recorded question per wording (a brief covers their wordings); none for thumbs-down only
    thumbs_down: int = 0


@dataclass
class Lead:
    id: uuid.UUID
    created_at: datetime
    name: str
    email: str
    message: str
    status: str


@dataclass
class Insights:
    days_back: int
    since: date
    days: list[Day]  # every day of the period, oldest first (zeros included)
    conversations: int
    visitors: int
    topics: list[Topic] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    lead_counts: dict[str, int] = field(default_factory=dict)

    @property
    def questions(self) -> int:
        return sum(d.questions for d in self.days)

    def total(self, name: str) -> int:
        return sum(getattr(d, name) for d in self.days)


def outcome_of(intent: str, answered: bool, phrased: bool) -> str:
    """How a visitor's question was answered: from the data (code), by the model (its phrasing of the
    facts), not at all; greetings and off-topic messages are 'ignored' (no gap for the owner)."""
    if intent in ("greeting", "off_topic"):
        return "ignored"
    if not answered:
        return "unanswered"
    return "model" if phrased else "data"


class InsightsService:
    def __init__(self, db: Database, embedder: Embedder | None = None, secret_key: str | None = None,
                 keep_days: int = DEFAULT_KEEP_DAYS):
        self.db = db
        self.repo = InsightsRepository()
        self.embedder = embedder
        self._key = (secret_key or "folio-insights").encode()
        self.keep_days = keep_days

    def anonymous(self, value: str | None) -> str | None:
        """A visitor's or conversation's id as stored: keyed hash, never the id itself."""
        if not value:
            return None
        return hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()[:24]

    # ---- recording (the visitors' chat) ------------------------------------------------------------
    async def record(self, question: str, origin: Origin, outcome: str, items: list[str] | None = None) -> None:
        """Keep one visitor question for the insights; an email address in it is kept as "[email]" (the
        lead itself, with the address, is in the owner's inbox)."""
        question = _EMAIL.sub("[email]", " ".join((question or "").split())[:MAX_QUESTION].replace("\x00", ""))
        if not question:
            return
        if outcome not in OUTCOMES:
            raise ValidationFailed(f"outcome must be one of {', '.join(OUTCOMES)}")
        vector = await self._embed(question) if outcome != "ignored" else None
        conversation = self.anonymous(origin.thread_id) or self.anonymous(uuid.uuid4().hex)
        try:
            async with self.db.unit_of_work() as session:
                await self.repo.add_question(session, {
                    "conversation": conversation, "visitor": self.anonymous(origin.visitor_id), "question": question,
                    "outcome": outcome, "items": [i[:200] for i in (items or [])][:10], "embedding": vector})
        except SQLAlchemyError as exc:  # the visitor has their answer already: a lost count is only logged
            log.warning("visitor question not recorded for the insights: %s", exc)

    async def _embed(self, question: str) -> list[float] | None:
        if self.embedder is None:
            return None
        try:  # search embedded the same text a moment ago: the embedder's cache answers
            return (await self.embedder.aembed_documents([question.strip()]))[0]
        except EmbedderUnavailable as exc:
            log.warning("question recorded without its embedding: %s", exc)
            return None

    # ---- the owner's figures -----------------------------------------------------------------------
    async def insights(self, actor: Actor, days_back: int = 30, today: date | None = None) -> Insights:
        _require_owner(actor)
        if days_back not in PERIODS:
            raise ValidationFailed(f"days must be one of {', '.join(map(str, PERIODS))}")
        today = today or datetime.now(UTC).date()
        since = today - timedelta(days=days_back - 1)
        await self.roll_up(today)
        start = datetime.combine(since, time(), UTC)
        async with self.db.read() as session:
            rows = {r["day"]: Day(**r) for r in await self.repo.days(session, since)}
            totals = await self.repo.totals(session, since)
            answered = await self.repo.asked(session, start, ("data", "model"), limit=TOPIC_SAMPLE)
            unanswered = await self.repo.asked(session, start, ("unanswered",), limit=GAP_SAMPLE, unbriefed=True)
            thumbs = await self.repo.thumbs_down(session, start, GAP_SAMPLE)
            leads = await self.repo.leads(session, LEADS)
            lead_counts = await self.repo.lead_counts(session)
        days = [rows.get(since + timedelta(days=n), Day(since + timedelta(days=n))) for n in range(days_back)]
        return Insights(days_back, since, days, totals["conversations"], totals["visitors"],
                        topics=_topics(answered), gaps=await self._gaps(unanswered, thumbs),
                        leads=[Lead(lead.id, lead.created_at, lead.name, lead.email, lead.message, lead.status)
                               for lead in leads],
                        lead_counts={s: lead_counts.get(s, 0) for s in LEAD_STATUSES})

    async def _gaps(self, unanswered: list[dict], thumbs: list[dict]) -> list[Gap]:
        """Unanswered wordings and the owner's thumbs-down questions, grouped by meaning."""
        texts = [w["question"] for w in unanswered] + [str(t["question"] or "") for t in thumbs]
        vectors: list = [w["embedding"] for w in unanswered]
        if thumbs:  # the owner's own thumbs-down: few, embedded now (None when the embedder is down)
            vectors += await self._embed_many(texts[len(unanswered):])
        members = [(n, w["ids"]) for n, w in enumerate(unanswered)] + [(len(unanswered) + n, None) for n in range(len(thumbs))]
        weights = [w["n"] for w in unanswered] + [1] * len(thumbs)
        gaps = []
        for group in cluster(members, vectors, texts, weights=weights)[:GAPS]:
            gaps.append(Gap(group.size, list(dict.fromkeys(texts[n] for n, _ in group.members))[:BRIEF_QUESTIONS],
                            [ids[0] for _, ids in group.members if ids][:BRIEF_QUESTIONS],
                            thumbs_down=sum(1 for _, ids in group.members if ids is None)))
        return gaps

    async def _embed_many(self, texts: list[str]) -> list:
        if self.embedder is None:
            return [None] * len(texts)
        try:
            return await self.embedder.aembed_documents(texts)
        except EmbedderUnavailable:
            return [None] * len(texts)

    async def roll_up(self, today: date | None = None) -> int:
        """Fold questions older than the retention into daily counts (at a day's boundary)."""
        cutoff = (today or datetime.now(UTC).date()) - timedelta(days=self.keep_days)
        async with self.db.unit_of_work() as session:
            return await self.repo.roll_up(session, cutoff)

    # ---- leads --------------------------------------------------------------------------------------
    async def set_lead_status(self, actor: Actor, lead_id: str | uuid.UUID, status: str) -> Lead:
        _require_owner(actor)
        if status not in LEAD_STATUSES:
            raise ValidationFailed(f"status must be one of {', '.join(LEAD_STATUSES)}")
        try:
            key = lead_id if isinstance(lead_id, uuid.UUID) else uuid.UUID(str(lead_id))
        except ValueError:
            raise NotFound("no such lead") from None
        async with self.db.unit_of_work() as session:
            lead = await self.repo.set_lead_status(session, key, status)
            if lead is None:
                raise NotFound("no such lead")
            return Lead(lead.id, lead.created_at, lead.name, lead.email, lead.message, lead.status)

    # ---- gaps become content ----------------------------------------------------------------------
    async def brief_for(self, actor: Actor, question_ids: list[int]) -> str:
        """A drafting brief from unanswered questions; they leave the gaps list, and the owner's chat
        picks the brief up when it opens (take_brief)."""
        _require_owner(actor)
        if not question_ids or len(question_ids) > BRIEF_QUESTIONS * 2:
            raise ValidationFailed("name the unanswered questions to draft an answer for")
        async with self.db.unit_of_work() as session:
            questions = [q for q in await self.repo.questions_by_id(session, question_ids) if q.outcome == "unanswered"]
            if not questions:
                raise NotFound("no such unanswered questions")
            said = list(dict.fromkeys(q.question for q in questions))[:BRIEF_QUESTIONS]
            brief = brief_text(said)
            await self.repo.add_brief(session, _owner_key(actor), brief)
            await self.repo.mark_briefed(session, said)
        return brief

    async def take_brief(self, actor: Actor) -> str | None:
        """The brief the insights page handed over in the last hour, once."""
        if not actor.is_owner:
            return None
        async with self.db.unit_of_work() as session:
            entry = await self.repo.take_brief(session, _owner_key(actor), datetime.now(UTC) - BRIEF_TTL)
            return entry.brief if entry is not None else None


BRIEF_HEAD = "Write a post that answers what visitors asked and the portfolio could not answer:"


def brief_text(questions: list[str]) -> str:
    return BRIEF_HEAD + "\n" + "\n".join(f"- {q}" for q in questions)


def _topics(wordings: list[dict]) -> list[Topic]:
    topics = []
    groups = cluster(wordings, [w["embedding"] for w in wordings], [w["question"] for w in wordings],
                     weights=[w["n"] for w in wordings])
    for group in groups[:TOPICS]:
        cited: dict[str, int] = {}
        for w in group.members:
            for item, n in (w["items"] or {}).items():
                cited[item] = cited.get(item, 0) + n
        examples = [w["question"] for w in sorted(group.members, key=lambda w: -w["n"])][:EXAMPLES]
        topics.append(Topic(group.size, examples, sorted(cited.items(), key=lambda kv: (-kv[1], kv[0]))[:5]))
    return topics


def _owner_key(actor: Actor) -> str:
    return str(actor.user_id or actor.email or "owner")


def _require_owner(actor: Actor) -> None:
    if not actor.is_owner:
        raise PermissionDenied("only the portfolio owner can see the insights")
