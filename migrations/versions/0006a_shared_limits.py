"""state shared by every process: login throttle, rate-limit counters, revoked tokens, token generations

rate_counters is UNLOGGED: counters are cheap to lose in a crash and skip the WAL on every request.

Revision ID: 0006a
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0006a"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("token_generation", sa.Integer, nullable=False, server_default="0"))
    op.execute("""
        CREATE UNLOGGED TABLE rate_counters (
            key VARCHAR(200) NOT NULL,
            window_start BIGINT NOT NULL,
            hits INTEGER NOT NULL,
            expires_at BIGINT NOT NULL,
            CONSTRAINT pk_rate_counters PRIMARY KEY (key, window_start)
        )""")
    op.create_index("ix_rate_counters_expires_at", "rate_counters", ["expires_at"])
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("blocked_until", sa.Double, nullable=False),
        sa.Column("last_at", sa.Double, nullable=False),
    )
    op.create_table(
        "revoked_tokens",
        sa.Column("jti", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.Double, nullable=False),
    )
    op.create_index("ix_revoked_tokens_expires_at", "revoked_tokens", ["expires_at"])


def downgrade() -> None:
    op.drop_table("revoked_tokens")
    op.drop_table("login_throttle")
    op.drop_table("rate_counters")
    op.drop_column("users", "token_generation")
