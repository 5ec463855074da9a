"""profile: who the portfolio's owner is (one row), searchable and citable

Revision ID: 0016
Revises: 0015

- profiles: a singleton (the CHECK allows only the one fixed id), so two concurrent PUTs upsert the
  same row instead of creating two.
- search_chunks.item_type may be 'profile'; folio_search() learns the item type 'profile' (its slug is 'me', its title the owner's name);
  the downgrade puts back the 0006 function and drops the profile's chunks.
"""
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

PROFILE_ID = "00000000-0000-0000-0000-000000000001"


def _search_function_0006() -> str:
    path = Path(__file__).with_name("0006_search_function.py")
    spec = importlib.util.spec_from_file_location("folio_migration_0006", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SEARCH_FUNCTION


CERTIFICATIONS_LEG = """        SELECT ce.slug, ce.name FROM certifications ce
         WHERE i.item_type = 'certification' AND ce.id = i.item_id) v"""
PROFILE_LEG = """        SELECT ce.slug, ce.name FROM certifications ce
         WHERE i.item_type = 'certification' AND ce.id = i.item_id
        UNION ALL
        SELECT 'me'::varchar, pr.name FROM profiles pr
         WHERE i.item_type = 'profile' AND pr.id = i.item_id) v"""


def search_function_with_profile() -> str:
    old = _search_function_0006()
    assert CERTIFICATIONS_LEG in old, "0006's folio_search changed: update 0016's edit of it"
    return old.replace(CERTIFICATIONS_LEG, PROFILE_LEG)


ITEM_TYPE_CHECK = "ck_search_chunks_ck_search_chunks_item_type"  # 0002's name, as the naming convention made it


def _item_types(types: str) -> None:
    op.execute(f"ALTER TABLE search_chunks DROP CONSTRAINT IF EXISTS {ITEM_TYPE_CHECK}")
    op.execute(f"ALTER TABLE search_chunks ADD CONSTRAINT {ITEM_TYPE_CHECK} CHECK (item_type IN ({types}))")


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True, server_default=sa.text(f"'{PROFILE_ID}'")),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("headline", sa.String(300), nullable=False, server_default=""),
        sa.Column("bio", sa.Text, nullable=False, server_default=""),
        sa.Column("location", sa.String(200), nullable=False, server_default=""),
        sa.Column("links", postgresql.JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("open_to_work", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("availability", sa.String(300), nullable=False, server_default=""),
        sa.Column("contact", sa.String(300), nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(f"id = '{PROFILE_ID}'", name="ck_profiles_singleton"),
    )
    _item_types("'project', 'post', 'certification', 'profile'")
    op.execute(search_function_with_profile())


def downgrade() -> None:
    op.execute("DELETE FROM search_chunks WHERE item_type = 'profile'")
    _item_types("'project', 'post', 'certification'")
    op.execute(_search_function_0006())
    op.drop_table("profiles")
