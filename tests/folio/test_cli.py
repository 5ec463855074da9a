"""The `folio` command, run as a real process against the real PostgreSQL."""

import psycopg

from testkit.procs import folio_env, run_folio


def _count(pg, name, table):
    with psycopg.connect(pg.libpq_url(name)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_help_lists_the_commands():
    result = run_folio("--help")
    assert result.returncode == 0
    for command in ("serve", "db", "seed", "create-owner"):
        assert command in result.stdout


def test_db_upgrade_seed_and_owner_on_an_external_database(pg):
    name = pg.create(template=None)
    try:
        env = folio_env(FOLIO_DATABASE_URL=pg.libpq_url(name))
        result = run_folio("db", "upgrade", env=env)
        assert result.returncode == 0, result.stderr
        assert _count(pg, name, "projects") == 0

        result = run_folio("seed", "--demo", env=env)
        assert result.returncode == 0, result.stderr
        projects = _count(pg, name, "projects")
        assert projects >= 10 and _count(pg, name, "posts") >= 8 and _count(pg, name, "certifications") >= 6
        again = run_folio("seed", "--demo", env=env)
        assert again.returncode == 0 and "created 0 projects" in again.stderr
        assert _count(pg, name, "projects") == projects

        result = run_folio("create-owner", "maya@example.com",
                           env={**env, "FOLIO_OWNER_PASSWORD": "correct horse battery"})
        assert result.returncode == 0, result.stderr
        assert "created" in result.stderr
        with psycopg.connect(pg.libpq_url(name)) as conn:
            row = conn.execute("SELECT is_owner, password_hash FROM users").fetchone()
        assert row[0] is True and row[1].startswith("$2b$12$")

        weak = run_folio("create-owner", "other@example.com", env={**env, "FOLIO_OWNER_PASSWORD": "short"})
        assert weak.returncode == 2 and "at least 8" in weak.stderr

        # --reset: a new password, and every session of the account ends (a new token generation).
        reset = run_folio("create-owner", "maya@example.com", "--reset",
                          env={**env, "FOLIO_OWNER_PASSWORD": "another long password"})
        assert reset.returncode == 0 and "every session ended" in reset.stderr, reset.stderr
        with psycopg.connect(pg.libpq_url(name)) as conn:
            new_hash, generation = conn.execute("SELECT password_hash, token_generation FROM users").fetchone()
        assert new_hash != row[1] and generation == 1
        unknown = run_folio("create-owner", "nobody@example.com", "--reset",
                            env={**env, "FOLIO_OWNER_PASSWORD": "another long password"})
        assert unknown.returncode == 2 and "no account" in unknown.stderr
    finally:
        pg.drop(name)


def test_misconfiguration_stops_with_the_setting_named():
    result = run_folio("db", "upgrade", env=folio_env(FOLIO_DATABASE_URL="mysql://nope"))
    assert result.returncode == 2
    assert "FOLIO_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_reindex_rebuilds_every_vector_with_a_progress_bar(pg, demo_template):
    name = pg.create(template=demo_template)
    try:
        with psycopg.connect(pg.libpq_url(name), autocommit=True) as conn:
            conn.execute("UPDATE search_chunks SET embedding = NULL, model = NULL")  # as if the model was down
        result = run_folio("reindex", env=folio_env(FOLIO_DATABASE_URL=pg.libpq_url(name)), timeout=600)
        assert result.returncode == 0, result.stderr[-3000:]
        assert "reindexed 30 items into" in result.stderr  # 29 demo items (3 roles) and the demo profile
        assert "embedding portfolio items" in result.stderr  # the rich progress bar
        with psycopg.connect(pg.libpq_url(name)) as conn:
            waiting = conn.execute("SELECT count(*) FROM search_chunks WHERE embedding IS NULL").fetchone()[0]
            models = conn.execute("SELECT DISTINCT model FROM search_chunks").fetchall()
        assert waiting == 0 and models == [("all-MiniLM-L6-v2",)]
    finally:
        pg.drop(name)


def test_eval_prints_search_quality_above_the_floor():
    """`folio eval` on a scratch copy of the demo portfolio: the table reaches stdout, hybrid above the floor."""
    result = run_folio("eval", timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    hybrid = next(line for line in result.stdout.splitlines() if "hybrid" in line)
    recall_at_5, mrr_at_10 = (float(x) for x in hybrid.replace("│", " ").split()[1:3])
    assert recall_at_5 >= 0.95 and mrr_at_10 >= 0.85, hybrid
