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


def test_experience_migration_down_and_up(pg):
    """0018: roles, their chunks found by folio_search only while published; its downgrade removes both."""
    name = pg.create(template=None)
    try:
        url = pg.url(name)
        migrate.upgrade(url)
        with psycopg.connect(pg.libpq_url(name)) as conn:
            for slug, published in (("engineer-acme", True), ("engineer-globex", False)):
                conn.execute("INSERT INTO experiences (id, organisation, title, slug, started_on, published) "
                             "VALUES (gen_random_uuid(), %s, 'Engineer', %s, '2021-03-01', %s)",
                             (slug.split("-")[1].title(), slug, published))
                conn.execute("INSERT INTO search_chunks (item_type, item_id, ordinal, public, content) "
                             "SELECT 'experience', id, 0, true, 'Engineer building pipelines' FROM experiences "
                             "WHERE slug = %s", (slug,))
            conn.commit()
            try:
                conn.execute("INSERT INTO experiences (id, organisation, title, slug, started_on, ended_on) "
                             "VALUES (gen_random_uuid(), 'X', 'Y', 'y-x', '2021-03-01', '2020-01-01')")
                raise AssertionError("a role ending before it started was accepted")
            except psycopg.errors.CheckViolation:
                conn.rollback()
            hits = conn.execute("SELECT item_type, slug, title FROM folio_search("
                                "NULL, 'pipelines', '', true, NULL, 10, 10, true)").fetchall()
            assert hits == [("experience", "engineer-acme", "Engineer at Acme")]
            owner_hits = conn.execute("SELECT slug FROM folio_search("
                                      "NULL, 'pipelines', '', false, NULL, 10, 10, true)").fetchall()
            assert sorted(h[0] for h in owner_hits) == ["engineer-acme", "engineer-globex"]
            conn.commit()
        migrate.downgrade(url, "0017")
        tables, _ = _tables(pg, name)
        assert "experiences" not in tables and "profiles" in tables
        with psycopg.connect(pg.libpq_url(name)) as conn:
            assert conn.execute("SELECT count(*) FROM search_chunks WHERE item_type = 'experience'").fetchone()[0] == 0
            conn.execute("INSERT INTO profiles (name) VALUES ('Maya')")
            conn.execute("INSERT INTO search_chunks (item_type, item_id, ordinal, public, content) "
                         "VALUES ('profile', '00000000-0000-0000-0000-000000000001', 0, true, 'Maya')")
            assert conn.execute("SELECT slug FROM folio_search(NULL, 'Maya', '', true, NULL, 10, 10, true)"
                                ).fetchall() == [("me",)]
            conn.rollback()
        migrate.upgrade(url)
        assert "experiences" in _tables(pg, name)[0]
    finally:
        pg.drop(name)


def test_imports_migration_down_and_up(pg):
    """0021: the import state (one row per source and per imported item) and posts.canonical_url; its
    downgrade removes them and keeps the posts."""
    name = pg.create(template=None)
    try:
        url = pg.url(name)
        migrate.upgrade(url)
        with psycopg.connect(pg.libpq_url(name)) as conn:
            conn.execute("INSERT INTO posts (id, title, slug, excerpt, body, tags, status, canonical_url) VALUES "
                         "(gen_random_uuid(), 'T', 't', '', '', '{}', 'draft', 'https://blog.example.dev/t/')")
            conn.execute("INSERT INTO import_sources (key) VALUES ('feed:https://blog.example.dev/feed')")
            conn.execute("INSERT INTO imported_items (id, source_key, external_id, kind, item_id, source_values) "
                         "SELECT gen_random_uuid(), 'feed:https://blog.example.dev/feed', 'e1', 'post', id, "
                         "'{\"title\": \"T\"}' FROM posts")
            conn.commit()
            try:
                conn.execute("INSERT INTO imported_items (id, source_key, external_id, kind, item_id) SELECT "
                             "gen_random_uuid(), 'feed:https://blog.example.dev/feed', 'e1', 'post', id FROM posts")
                raise AssertionError("an entry was recorded twice for one source")
            except psycopg.errors.UniqueViolation:
                conn.rollback()
        migrate.downgrade(url, "0018")
        tables, _ = _tables(pg, name)
        assert not {"import_sources", "imported_items"} & tables and "posts" in tables
        with psycopg.connect(pg.libpq_url(name)) as conn:
            assert conn.execute("SELECT slug FROM posts").fetchall() == [("t",)]
        migrate.upgrade(url)
        assert {"import_sources", "imported_items"} <= _tables(pg, name)[0]
    finally:
        pg.drop(name)


def _chunk_layout(conn):
    """(toast_tuple_target set?, compression of the tsvector of the chunk inserted just before)."""
    options = conn.execute("SELECT reloptions FROM pg_class WHERE relname = 'search_chunks'").fetchone()[0] or []
    compression = conn.execute("SELECT pg_column_compression(tsv) FROM search_chunks WHERE item_id = %s",
                               (ITEM,)).fetchone()[0]
    return "toast_tuple_target=8160" in options, compression


ITEM = "00000000-0000-0000-0000-000000000016"
# 180 distinct lexemes: with its 384-d vector the row passes the default TOAST threshold (~2 KB), where
# PostgreSQL compresses the tsvector (pglz).
VECTOR = "[" + ",".join(["0.05"] * 384) + "]"
LONG_TEXT = " ".join(f"documentation{i} configuration{i * 7}" for i in range(90))


def test_search_rows_keep_their_tsvector_uncompressed_and_the_downgrade_restores_it(pg):
    """Revision 0017: the full-text leg reads each candidate's tsvector several times, so it is stored
    in the row uncompressed; the rows written before are rewritten both ways."""
    name = pg.create(template=None)
    try:
        url = pg.url(name)
        migrate.upgrade(url, "0015")
        with psycopg.connect(pg.libpq_url(name), autocommit=True) as conn:
            conn.execute("INSERT INTO search_chunks (item_type, item_id, ordinal, public, content, model, embedding) "
                         "VALUES ('project', %s, 0, true, %s, 'm', %s)", (ITEM, LONG_TEXT, VECTOR))
            assert _chunk_layout(conn) == (False, "pglz")
            migrate.upgrade(url)
            assert _chunk_layout(conn) == (True, None)
            hits = conn.execute("SELECT slug FROM folio_search(NULL, 'documentation5 configuration35', 'm', false, NULL, 40, 5, true)")
            assert hits.fetchall() == []  # the chunk's item does not exist: never returned
            migrate.downgrade(url, "0015")
            assert _chunk_layout(conn) == (False, "pglz")
    finally:
        pg.drop(name)
