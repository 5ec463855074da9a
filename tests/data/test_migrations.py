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


def test_profile_migration_down_and_up(pg):
    """0016: one profile row at most, profile chunks allowed; its downgrade removes both."""
    name = pg.create(template=None)
    try:
        url = pg.url(name)
        migrate.upgrade(url)
        with psycopg.connect(pg.libpq_url(name)) as conn:
            conn.execute("INSERT INTO profiles (name) VALUES ('Maya')")
            conn.commit()
            try:
                conn.execute("INSERT INTO profiles (id, name) VALUES (gen_random_uuid(), 'Other')")
                raise AssertionError("a second profile row was accepted")
            except psycopg.errors.CheckViolation:
                conn.rollback()
            conn.execute("INSERT INTO search_chunks (item_type, item_id, ordinal, public, content) "
                         "VALUES ('profile', '00000000-0000-0000-0000-000000000001', 0, true, 'Maya')")
            hits = conn.execute("SELECT item_type, slug, title FROM folio_search("
                                "NULL, 'Maya', '', true, NULL, 10, 10, true)").fetchall()
            assert hits == [("profile", "me", "Maya")]
        migrate.downgrade(url, "0015")
        tables, _ = _tables(pg, name)
        assert "profiles" not in tables and "search_chunks" in tables
        with psycopg.connect(pg.libpq_url(name)) as conn:
            assert conn.execute("SELECT count(*) FROM search_chunks WHERE item_type = 'profile'").fetchone()[0] == 0
        migrate.upgrade(url)
        assert "profiles" in _tables(pg, name)[0]
    finally:
        pg.drop(name)
