"""insights: every visitor question recorded (anonymised) for the owner's insights, leads with a status,
the profile's booking link and CV switch, and the owner's drafting briefs

Revision ID: 0020
Revises: 0019

- visitor_questions: one row per visitor question: when, a hashed conversation id and a hashed visitor
  id (never an address, never the raw ids), the question, how it was answered ('data', 'model',
  'unanswered'; off-topic and greetings are 'ignored'), the items cited ("kind:slug"), the question's
  embedding (topics are clusters of them) and whether a drafting brief already covers it.
- question_days: the aggregate counts per day, all that is kept of questions older than the retention
  (FOLIO_INSIGHTS_KEEP_DAYS).
- contact_requests.status: 'new', 'replied' or 'archived'.
- profiles.booking_url (https only, '' for none) and profiles.cv_enabled (the /cv pages and answers).
- owner_briefs: a brief the insights page hands to the owner's chat ("draft an answer"), used once.
"""
import sqlalchemy as sa
from alembic import op
from pgvector.sqlalchemy import Vector
from sqlalchemy.dialects import postgresql

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "visitor_questions",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("conversation", sa.String(32), nullable=False),
        sa.Column("visitor", sa.String(32)),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("items", postgresql.ARRAY(sa.String(200)), nullable=False, server_default="{}"),
        sa.Column("embedding", Vector(), nullable=True),
        sa.Column("briefed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.CheckConstraint("outcome IN ('data', 'model', 'unanswered', 'ignored')", name="outcome"),
    )
    op.create_index("ix_visitor_questions_created_at", "visitor_questions", ["created_at"])
    op.create_table(
        "question_days",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("conversations", sa.Integer, nullable=False, server_default="0"),
        sa.Column("questions", sa.Integer, nullable=False, server_default="0"),
        sa.Column("from_data", sa.Integer, nullable=False, server_default="0"),
        sa.Column("by_model", sa.Integer, nullable=False, server_default="0"),
        sa.Column("unanswered", sa.Integer, nullable=False, server_default="0"),
    )
    op.add_column("contact_requests", sa.Column("status", sa.String(12), nullable=False, server_default="new"))
    op.create_check_constraint("status", "contact_requests", "status IN ('new', 'replied', 'archived')")
    op.add_column("profiles", sa.Column("booking_url", sa.String(500), nullable=False, server_default=""))
    op.add_column("profiles", sa.Column("cv_enabled", sa.Boolean, nullable=False, server_default=sa.true()))
    op.create_table(
        "owner_briefs",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("owner_key", sa.String(320), nullable=False),
        sa.Column("brief", sa.Text, nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("owner_briefs")
    op.drop_column("profiles", "cv_enabled")
    op.drop_column("profiles", "booking_url")
    op.drop_constraint("ck_contact_requests_status", "contact_requests")
    op.drop_column("contact_requests", "status")
    op.drop_table("question_days")
    op.drop_table("visitor_questions")
