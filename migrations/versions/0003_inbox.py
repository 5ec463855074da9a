"""the owner's inbox: unanswered questions and contact requests left in the chat

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _common() -> list[sa.Column]:
    return [
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "unanswered_questions",
        *_common(),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("best_match", sa.String(500)),
        sa.Column("thread_id", sa.String(100)),
        sa.Column("visitor_id", sa.String(100)),
    )
    op.create_table(
        "contact_requests",
        *_common(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("message", sa.Text, nullable=False, server_default=""),
        sa.Column("thread_id", sa.String(100)),
        sa.Column("visitor_id", sa.String(100)),
    )
    op.create_index("ix_unanswered_questions_created_at", "unanswered_questions", ["created_at"])
    op.create_index("ix_contact_requests_created_at", "contact_requests", ["created_at"])


def downgrade() -> None:
    op.drop_table("contact_requests")
    op.drop_table("unanswered_questions")
