"""search chunks: full text (generated tsvector + GIN) and vectors (HNSW, cosine) per chunk

Revision ID: 0002
Revises: 0005

The vector column is created with the dimensions of the default model (all-MiniLM-L6-v2, 384).
`folio reindex` changes them when another model is configured (data/repositories/search.py).
"""
import sqlalchemy as sa
from alembic import op
from pgvector.sqlalchemy import Vector
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0005"
branch_labels = None
depends_on = None

DEFAULT_DIMENSIONS = 384


def upgrade() -> None:
    op.create_table(
        "search_chunks",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("item_type", sa.String(20), nullable=False),
        sa.Column("item_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("public", sa.Boolean, nullable=False),
        sa.Column("heading", sa.Text, nullable=False, server_default=""),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("tsv", postgresql.TSVECTOR,
                  sa.Computed("to_tsvector('english', content)", persisted=True), nullable=False),
        # NULL model/embedding: waiting to be embedded (the embedder was down, or the model changed).
        sa.Column("model", sa.String(200)),
        sa.Column("embedding", Vector(DEFAULT_DIMENSIONS)),
        sa.UniqueConstraint("item_type", "item_id", "ordinal", name="uq_search_chunks_item_ordinal"),
        sa.CheckConstraint("item_type IN ('project', 'post', 'certification')", name="ck_search_chunks_item_type"),
    )
    # Keep the vector in the row (it does not compress): the text columns are the ones TOASTed.
    op.execute("ALTER TABLE search_chunks ALTER COLUMN embedding SET STORAGE MAIN")
    op.create_index("ix_search_chunks_tsv", "search_chunks", ["tsv"], postgresql_using="gin")
    op.execute("CREATE INDEX ix_search_chunks_embedding ON search_chunks "
               "USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)")
    op.execute("CREATE INDEX ix_search_chunks_pending ON search_chunks (id) WHERE embedding IS NULL")


def downgrade() -> None:
    op.drop_table("search_chunks")
