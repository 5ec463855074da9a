"""experience: the roles of the owner's work history, searchable and citable like every kind

Revision ID: 0018
Revises: 0017

- experiences: organisation, title (the role), slug, started_on / ended_on (months, stored as their first
  day; no end: current), location, summary, highlights, tech, published.
- search_chunks.item_type may be 'experience'; folio_search() learns the item type 'experience' (public
  when published; its title "<role> at <organisation>", as folio.kinds.experience labels it). The
  function is 0017's with that one leg added; the downgrade puts 0017's back and drops the roles' chunks.
"""
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def _migration(file: str):
    path = Path(__file__).with_name(file)
    spec = importlib.util.spec_from_file_location(f"folio_migration_{file[:4]}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _search_function_0017() -> str:
    return _migration("0017_search_speed.py").SEARCH_FUNCTION


ITEM_TYPE_CHECK = "ck_search_chunks_ck_search_chunks_item_type"  # 0002's name, as 0016 rewrote it


PROFILE_LEG = """        SELECT 'me'::varchar, pr.name FROM profiles pr
         WHERE i.item_type = 'profile' AND pr.id = i.item_id) v"""
EXPERIENCE_LEG = """        SELECT 'me'::varchar, pr.name FROM profiles pr
         WHERE i.item_type = 'profile' AND pr.id = i.item_id
        UNION ALL
        SELECT ex.slug, (ex.title || ' at ' || ex.organisation)::varchar FROM experiences ex
         WHERE i.item_type = 'experience' AND ex.id = i.item_id AND (ex.published OR NOT public_only)) v"""

TYPES_0016 = "'project', 'post', 'certification', 'profile'"


def search_function_with_experience() -> str:
    old = _search_function_0017()
    assert PROFILE_LEG in old, "0017's folio_search changed: update 0018's edit of it"
    return old.replace(PROFILE_LEG, EXPERIENCE_LEG)


def upgrade() -> None:
    op.create_table(
        "experiences",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("slug", sa.String(120), nullable=False),
        sa.Column("started_on", sa.Date, nullable=False),
        sa.Column("ended_on", sa.Date),
        sa.Column("location", sa.String(200), nullable=False, server_default=""),
        sa.Column("summary", sa.Text, nullable=False, server_default=""),
        sa.Column("highlights", postgresql.ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("tech", postgresql.ARRAY(sa.String(60)), nullable=False, server_default="{}"),
        sa.Column("published", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("slug", name="uq_experiences_slug"),
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ck_experiences_dates"),
    )
    op.execute(f"ALTER TABLE search_chunks DROP CONSTRAINT IF EXISTS {ITEM_TYPE_CHECK}")
    op.execute(f"ALTER TABLE search_chunks ADD CONSTRAINT {ITEM_TYPE_CHECK} "
               f"CHECK (item_type IN ({TYPES_0016}, 'experience'))")
    op.execute(search_function_with_experience())


def downgrade() -> None:
    op.execute("DELETE FROM search_chunks WHERE item_type = 'experience'")
    op.execute(f"ALTER TABLE search_chunks DROP CONSTRAINT IF EXISTS {ITEM_TYPE_CHECK}")
    op.execute(f"ALTER TABLE search_chunks ADD CONSTRAINT {ITEM_TYPE_CHECK} CHECK (item_type IN ({TYPES_0016}))")
    op.execute(_search_function_0017())
    op.drop_table("experiences")
