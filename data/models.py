"""SQLAlchemy models: folio's own tables."""

from __future__ import annotations

import math
import uuid
from datetime import date, datetime

from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import (ARRAY, BigInteger, Boolean, CheckConstraint, Computed, Date, DateTime, Double, Identity,
                        Integer, MetaData, String, Text, func)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR, UUID
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql import true

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

WORDS_PER_MINUTE = 220


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Timestamped:
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class Searchable:
    #: Not a column: set on the object a write returns, True when its search vectors wait for the
    #: embedding model (saved, found by full text meanwhile).
    search_pending = False


class User(Timestamped, Base):
    __tablename__ = "users"
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(100))
    is_owner: Mapped[bool] = mapped_column(Boolean, default=False)
    # Tokens (REST and chat) carry the generation they were issued in; raising it (a password change,
    # `folio create-owner --reset`) ends every session of the account at once (migration 0006a).
    token_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Project(Timestamped, Searchable, Base):
    __tablename__ = "projects"
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(60)), default=list)
    tech_stack: Mapped[list[str]] = mapped_column(ARRAY(String(60)), default=list)
    repo_url: Mapped[str | None] = mapped_column(String(500))
    live_url: Mapped[str | None] = mapped_column(String(500))
    image_url: Mapped[str | None] = mapped_column(String(500))
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    started_on: Mapped[date | None] = mapped_column(Date)
    finished_on: Mapped[date | None] = mapped_column(Date)

    @hybrid_property
    def is_public(self) -> bool:
        """Visible to visitors: one rule, read on a row in Python and as the SQL clause of queries."""
        return self.published


class Post(Timestamped, Searchable, Base):
    __tablename__ = "posts"
    __table_args__ = (CheckConstraint("status IN ('draft', 'published')", name="status"),)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    excerpt: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(60)), default=list)
    cover_image_url: Mapped[str | None] = mapped_column(String(500))
    # Where the post was first published (an imported blog post): its page and the Atom feed point there.
    canonical_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def reading_time(self) -> int:
        """Minutes to read the body, at least one."""
        return max(1, math.ceil(len((self.body or "").split()) / WORDS_PER_MINUTE))

    @hybrid_property
    def is_public(self) -> bool:
        """Visible to visitors (Python on a row, SQL in queries)."""
        return self.status == "published"


class Certification(Timestamped, Searchable, Base):
    __tablename__ = "certifications"
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    issuer: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    credential_id: Mapped[str | None] = mapped_column(String(200))
    credential_url: Mapped[str | None] = mapped_column(String(500))
    badge_image_url: Mapped[str | None] = mapped_column(String(500))
    featured: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def title(self) -> str:
        return self.name

    @hybrid_property
    def is_public(self) -> bool:
        """Always visible (Python on a row, SQL in queries)."""
        return True

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls):
        return true()


class Experience(Timestamped, Searchable, Base):
    """A role in the owner's work history (migration 0017_experience). Months are stored as the first
    day of the month; no end month means the role is current."""

    __tablename__ = "experiences"
    organisation: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    location: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    highlights: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    tech: Mapped[list[str]] = mapped_column(ARRAY(String(60)), default=list)
    published: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def current(self) -> bool:
        return self.ended_on is None

    @hybrid_property
    def is_public(self) -> bool:
        """Visible to visitors (Python on a row, SQL in queries)."""
        return self.published


class PendingChange(Base):
    """A write the owner's agent proposed and the owner has not confirmed yet (one-time, expiring)."""

    __tablename__ = "pending_changes"
    __table_args__ = (
        CheckConstraint("action IN ('create', 'update', 'delete', 'publish')", name="action"),
        CheckConstraint("status IN ('pending', 'applying', 'applied', 'cancelled', 'failed')", name="status"),
    )
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    owner_key: Mapped[str] = mapped_column(String(320))
    thread_id: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    target_slug: Mapped[str | None] = mapped_column(String(120))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    preview: Mapped[dict[str, Any]] = mapped_column(JSONB)
    base_version: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    result_slug: Mapped[str | None] = mapped_column(String(120))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SearchChunk(Base):
    """A piece of a project, post or certification as the search sees it (migration 0002).

    The vector column's dimensions follow the active embedding model (`folio reindex` changes them),
    so the model declares no fixed size."""

    __tablename__ = "search_chunks"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    item_type: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    ordinal: Mapped[int] = mapped_column(Integer)
    public: Mapped[bool] = mapped_column(Boolean)
    heading: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text)
    tsv = mapped_column(TSVECTOR, Computed("to_tsvector('english', content)", persisted=True))
    model: Mapped[str | None] = mapped_column(String(200))
    embedding = mapped_column(Vector(), nullable=True)


class UnansweredQuestion(Timestamped, Base):
    """A visitor's question the portfolio could not answer well: the owner's to-do list."""

    __tablename__ = "unanswered_questions"
    question: Mapped[str] = mapped_column(Text)
    best_match: Mapped[str | None] = mapped_column(String(500))  # closest item's url, if any
    thread_id: Mapped[str | None] = mapped_column(String(100))
    visitor_id: Mapped[str | None] = mapped_column(String(100))


class ContactRequest(Timestamped, Base):
    """Contact details a visitor left for the owner in the chat."""

    __tablename__ = "contact_requests"
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    message: Mapped[str] = mapped_column(Text, default="")
    thread_id: Mapped[str | None] = mapped_column(String(100))
    visitor_id: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(12), default="new", server_default="new")  # new, replied, archived


class VisitorQuestion(Base):
    """One visitor question as the owner's insights count it (migration 0019): anonymised (hashed
    conversation and visitor ids, no address), how it was answered and the items it cited."""

    __tablename__ = "visitor_questions"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    conversation: Mapped[str] = mapped_column(String(32))
    visitor: Mapped[str | None] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(12))  # data, model, unanswered, ignored
    items: Mapped[list[str]] = mapped_column(ARRAY(String(200)), default=list)
    embedding = mapped_column(Vector(), nullable=True)
    briefed: Mapped[bool] = mapped_column(Boolean, default=False)


class QuestionDay(Base):
    """The counts of one day: what is kept of visitor questions older than the retention."""

    __tablename__ = "question_days"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    conversations: Mapped[int] = mapped_column(Integer, default=0)
    questions: Mapped[int] = mapped_column(Integer, default=0)
    from_data: Mapped[int] = mapped_column(Integer, default=0)
    by_model: Mapped[int] = mapped_column(Integer, default=0)
    unanswered: Mapped[int] = mapped_column(Integer, default=0)


class OwnerBrief(Base):
    """A drafting brief the insights page hands to the owner's chat (used once)."""

    __tablename__ = "owner_briefs"
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    owner_key: Mapped[str] = mapped_column(String(320))
    brief: Mapped[str] = mapped_column(Text)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RateCounter(Base):
    """Hits of one rate-limit key in one fixed window (epoch seconds); shared by every process."""

    __tablename__ = "rate_counters"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[int] = mapped_column(BigInteger)


class LoginThrottle(Base):
    """Login tries counted for one throttle key (a hash of an email, or of an email and an address)."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    blocked_until: Mapped[float] = mapped_column(Double)
    last_at: Mapped[float] = mapped_column(Double)


class RevokedToken(Base):
    """A logged-out token id, kept until the token would have expired anyway."""

    __tablename__ = "revoked_tokens"
    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[float] = mapped_column(Double)


#: The one profile row's id (a singleton: the CHECK in migration 0016 allows no other); also the
#: item_id of its search chunks.
PROFILE_ID = uuid.UUID("00000000-0000-0000-0000-000000000001")


class Profile(Searchable, Base):
    """Who the portfolio's owner is (one row per portfolio, migration 0016_profile)."""

    __tablename__ = "profiles"
    __table_args__ = (CheckConstraint(f"id = '{PROFILE_ID}'", name="singleton"),)
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=PROFILE_ID)
    name: Mapped[str] = mapped_column(String(200))
    headline: Mapped[str] = mapped_column(String(300), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    links: Mapped[list[dict[str, str]]] = mapped_column(JSONB, default=list)
    open_to_work: Mapped[bool] = mapped_column(Boolean, default=False)
    availability: Mapped[str] = mapped_column(String(300), default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    booking_url: Mapped[str] = mapped_column(String(500), default="", server_default="")  # https only
    cv_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")  # /cv, /cv.pdf
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 onupdate=func.now())

    slug = "me"  # its readable page is /p/profile/me
    is_public = True  # every field is written to be read (search chunks are public)
