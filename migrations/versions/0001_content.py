"""vector extension, users and the portfolio content tables

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _common() -> list[sa.Column]:
    return [
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    ]


def _array() -> sa.types.TypeEngine:
    return postgresql.ARRAY(sa.String(60))


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.create_table(
        "users",
        *_common(),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("password_hash", sa.String(100), nullable=False),
        sa.Column("is_owner", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "projects",
        *_common(),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("slug", sa.String(120), nullable=False),
        sa.Column("summary", sa.Text, nullable=False, server_default=""),
        sa.Column("body", sa.Text, nullable=False, server_default=""),
        sa.Column("tags", _array(), nullable=False, server_default="{}"),
        sa.Column("tech_stack", _array(), nullable=False, server_default="{}"),
        sa.Column("repo_url", sa.String(500)),
        sa.Column("live_url", sa.String(500)),
        sa.Column("image_url", sa.String(500)),
        sa.Column("featured", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("published", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("started_on", sa.Date),
        sa.Column("finished_on", sa.Date),
        sa.UniqueConstraint("slug", name="uq_projects_slug"),
    )
    op.create_table(
        "posts",
        *_common(),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("slug", sa.String(120), nullable=False),
        sa.Column("excerpt", sa.Text, nullable=False, server_default=""),
        sa.Column("body", sa.Text, nullable=False, server_default=""),
        sa.Column("tags", _array(), nullable=False, server_default="{}"),
        sa.Column("cover_image_url", sa.String(500)),
        sa.Column("status", sa.String(20), nullable=False, server_default="draft"),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("slug", name="uq_posts_slug"),
        sa.CheckConstraint("status IN ('draft', 'published')", name="ck_posts_status"),
    )
    op.create_table(
        "certifications",
        *_common(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("slug", sa.String(120), nullable=False),
        sa.Column("issuer", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("issued_on", sa.Date),
        sa.Column("expires_on", sa.Date),
        sa.Column("credential_id", sa.String(200)),
        sa.Column("credential_url", sa.String(500)),
        sa.Column("badge_image_url", sa.String(500)),
        sa.Column("featured", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("slug", name="uq_certifications_slug"),
    )
    op.create_index("ix_projects_tags", "projects", ["tags"], postgresql_using="gin")
    op.create_index("ix_posts_tags", "posts", ["tags"], postgresql_using="gin")
    op.create_index("ix_posts_status_published_at", "posts", ["status", "published_at"])


def downgrade() -> None:
    op.drop_table("certifications")
    op.drop_table("posts")
    op.drop_table("projects")
    op.drop_table("users")
    op.execute("DROP EXTENSION IF EXISTS vector")
