"""Run alembic programmatically against a database URL, under a PostgreSQL advisory lock.

Replicas (or `folio db upgrade` and `folio serve` in one container) may start at once against one
database: each takes the lock before it looks at the schema, so one migrates and the others wait for it,
then find the schema at head and do nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, pool, text

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# pg_advisory_lock's key for folio's schema changes ("folio" in ASCII).
MIGRATION_LOCK_KEY = 0x666F6C696F
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migrated:
    """The schema's revision before and after (None: an empty database)."""
    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def alembic_config(sync_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", sync_url.replace("%", "%%"))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("postgresql://")).get_current_head()


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def migration_lock(sync_url: str) -> Iterator[Connection]:
    """Hold folio's migration lock (a session-level advisory lock on its own connection) while the block
    runs; waits, with no time limit, while another process holds it."""
    engine = create_engine(sync_url, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SET statement_timeout = 0"))
            conn.execute(text("SET lock_timeout = 0"))
            if not conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY}).scalar():
                log.info("another process is migrating the database: waiting for it")
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            try:
                yield conn
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
    finally:
        engine.dispose()


def upgrade(sync_url: str, revision: str = "head") -> Migrated:
    with migration_lock(sync_url) as conn:
        before = _current(conn)
        command.upgrade(alembic_config(sync_url), revision)
        return Migrated(before, _current(conn))


def downgrade(sync_url: str, revision: str) -> Migrated:
    with migration_lock(sync_url) as conn:
        before = _current(conn)
        command.downgrade(alembic_config(sync_url), revision)
        return Migrated(before, _current(conn))
