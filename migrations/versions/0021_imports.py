"""imports: what folio imported from GitHub and blog feeds, so a re-import never overwrites the owner

Revision ID: 0021
Revises: 0020

- import_sources: one row per source ("github:USER", "feed:URL"): the validators (ETag / Last-Modified)
  of every URL it was read from, so an unchanged source costs one 304; when it was last read.
- imported_items: one row per imported repository or feed entry: the item it became (kind, id), the
  value each field had at the source when it was last applied (the base of the three-way merge), the
  source's newer values that clash with the owner's edits (conflicts, waiting for accept or ignore), and
  when the source stopped listing it (reported, never deleted).
- posts.canonical_url: where an imported post was first published (its page and the Atom feed point there).
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_sources",
        sa.Column("key", sa.String(600), primary_key=True),
        sa.Column("validators", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("synced_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "imported_items",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True),
        sa.Column("source_key", sa.String(600), sa.ForeignKey("import_sources.key", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("external_id", sa.String(1000), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("item_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("source_values", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("conflicts", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("removed_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("source_key", "external_id", name="uq_imported_items_source_external"),
    )
    op.create_index("ix_imported_items_item", "imported_items", ["kind", "item_id"])
    op.add_column("posts", sa.Column("canonical_url", sa.String(500)))


def downgrade() -> None:
    op.drop_column("posts", "canonical_url")
    op.drop_index("ix_imported_items_item", table_name="imported_items")
    op.drop_table("imported_items")
    op.drop_table("import_sources")
