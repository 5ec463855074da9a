"""chat history: the tables of Chainlit's SQLAlchemy data layer, in their own schema "chainlit"

Chainlit ships no DDL; these follow its documented schema for 2.12 plus the step columns it writes
("autoCollapse", "modes", "icon") and the element columns it reads. The schema keeps its `users`
table apart from folio's; the data layer connects with search_path=chainlit. Feedback has no foreign
key to threads: visitors' thumbs are kept although their threads are not.

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = "chainlit"


def upgrade() -> None:
    op.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    op.execute(f"""
        CREATE TABLE {SCHEMA}.users (
            "id" UUID PRIMARY KEY,
            "identifier" TEXT NOT NULL UNIQUE,
            "metadata" JSONB NOT NULL,
            "createdAt" TEXT
        )""")
    op.execute(f"""
        CREATE TABLE {SCHEMA}.threads (
            "id" UUID PRIMARY KEY,
            "createdAt" TEXT,
            "name" TEXT,
            "userId" UUID REFERENCES {SCHEMA}.users("id") ON DELETE CASCADE,
            "userIdentifier" TEXT,
            "tags" TEXT[],
            "metadata" JSONB
        )""")
    op.execute(f"""
        CREATE TABLE {SCHEMA}.steps (
            "id" UUID PRIMARY KEY,
            "name" TEXT NOT NULL,
            "type" TEXT NOT NULL,
            "threadId" UUID NOT NULL REFERENCES {SCHEMA}.threads("id") ON DELETE CASCADE,
            "parentId" UUID,
            "streaming" BOOLEAN NOT NULL,
            "waitForAnswer" BOOLEAN,
            "isError" BOOLEAN,
            "metadata" JSONB,
            "tags" TEXT[],
            "input" TEXT,
            "output" TEXT,
            "createdAt" TEXT,
            "command" TEXT,
            "start" TEXT,
            "end" TEXT,
            "generation" JSONB,
            "showInput" TEXT,
            "language" TEXT,
            "indent" INT,
            "defaultOpen" BOOLEAN,
            "autoCollapse" BOOLEAN,
            "modes" JSONB,
            "icon" TEXT
        )""")
    op.execute(f"""
        CREATE TABLE {SCHEMA}.elements (
            "id" UUID PRIMARY KEY,
            "threadId" UUID REFERENCES {SCHEMA}.threads("id") ON DELETE CASCADE,
            "type" TEXT,
            "url" TEXT,
            "chainlitKey" TEXT,
            "name" TEXT NOT NULL,
            "display" TEXT,
            "objectKey" TEXT,
            "size" TEXT,
            "page" INT,
            "language" TEXT,
            "forId" UUID,
            "mime" TEXT,
            "props" JSONB,
            "autoPlay" BOOLEAN,
            "playerConfig" JSONB
        )""")
    op.execute(f"""
        CREATE TABLE {SCHEMA}.feedbacks (
            "id" UUID PRIMARY KEY,
            "forId" UUID NOT NULL,
            "threadId" UUID,
            "value" INT NOT NULL,
            "comment" TEXT
        )""")
    op.execute(f'CREATE INDEX ix_chainlit_threads_user ON {SCHEMA}.threads ("userId")')
    op.execute(f'CREATE INDEX ix_chainlit_steps_thread ON {SCHEMA}.steps ("threadId")')
    op.execute(f'CREATE INDEX ix_chainlit_feedbacks_for ON {SCHEMA}.feedbacks ("forId")')


def downgrade() -> None:
    op.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
