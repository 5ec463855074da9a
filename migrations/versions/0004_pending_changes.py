"""pending changes: writes the owner's agent proposed, applied only on the owner's confirmation

Revision ID: 0004
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_changes",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True),
        sa.Column("owner_key", sa.String(320), nullable=False),
        sa.Column("thread_id", sa.String(100)),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("target_slug", sa.String(120)),
        sa.Column("payload", postgresql.JSONB, nullable=False),
        sa.Column("preview", postgresql.JSONB, nullable=False),
        sa.Column("base_version", sa.DateTime(timezone=True)),
        sa.Column("status", sa.String(20), nullable=False, server_default="pending"),
        sa.Column("result_slug", sa.String(120)),
        sa.Column("error", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("action IN ('create', 'update', 'delete', 'publish')", name="ck_pending_changes_action"),
        sa.CheckConstraint("status IN ('pending', 'applying', 'applied', 'cancelled', 'failed')",
                           name="ck_pending_changes_status"),
    )
    op.create_index("ix_pending_changes_owner_thread", "pending_changes", ["owner_key", "thread_id", "created_at"])


def downgrade() -> None:
    op.drop_table("pending_changes")
