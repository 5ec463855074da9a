"""Migrations run up and down on a real PostgreSQL."""

import psycopg

from data import migrate


def _tables(pg, name):
    with psycopg.connect(pg.libpq_url(name)) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        ext = conn.execute("SELECT count(*) FROM pg_extension WHERE extname = 'vector'").fetchone()[0]
    return {r[0] for r in rows}, ext


def test_upgrade_downgrade_upgrade(pg):
    name = pg.create(template=None)
    try:
        url = pg.url(name)
        migrate.upgrade(url)
        tables, ext = _tables(pg, name)
        assert {"users", "projects", "posts", "certifications", "alembic_version"} <= tables
        assert ext == 1
        migrate.downgrade(url, "base")
        tables, ext = _tables(pg, name)
        assert tables == {"alembic_version"} and ext == 0
        migrate.upgrade(url)
        assert {"users", "projects", "posts", "certifications"} <= _tables(pg, name)[0]
    finally:
        pg.drop(name)
