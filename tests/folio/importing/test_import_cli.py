"""`folio import github:USER` / `feed:URL` and `folio conflicts` as real processes against the real
PostgreSQL and the fakes on 127.0.0.1: the preview list, nothing written on "no", --yes for scripts,
a conflict shown as a diff and ignored, the one-304 re-import, and clear errors (exit 1, no traceback)."""

from __future__ import annotations

import re

import psycopg
from testkit.procs import folio_env, run_folio


def _rows(pg, name, sql):
    with psycopg.connect(pg.libpq_url(name)) as conn:
        return conn.execute(sql).fetchall()


def test_cli_import_preview_confirm_and_conflicts(pg, db_name, github, feeds):
    env = folio_env(FOLIO_DATABASE_URL=pg.libpq_url(db_name), FOLIO_GITHUB_API_URL=github.url, COLUMNS="200")
    declined = run_folio("import", "github:octocat", env=env, input="n\n")
    assert declined.returncode == 1, declined.stderr
    assert "[x]" in declined.stderr and "tide-gauge" in declined.stderr
    assert re.search(r"\[ \].*left-pad-fork.*fork", declined.stderr) and "archived" in declined.stderr
    assert "cancelled: nothing was written" in declined.stderr
    assert _rows(pg, db_name, "SELECT count(*) FROM projects") == [(0,)]

    confirmed = run_folio("import", "github:octocat", env=env, input="y\n")
    assert confirmed.returncode == 0, confirmed.stderr
    assert "created project tide-gauge" in confirmed.stderr
    assert _rows(pg, db_name, "SELECT slug, published FROM projects") == [("tide-gauge", False)]

    with psycopg.connect(pg.libpq_url(db_name)) as conn:
        conn.execute("UPDATE projects SET title = 'Tide Gauge network'")
    repo = github.find("tide-gauge")
    repo.name, repo.updated_at = "tide-gauge-v2", "2024-09-01T00:00:00Z"
    again = run_folio("import", "github:octocat", "--yes", env=env)
    assert again.returncode == 0, again.stderr
    assert "conflict project tide-gauge field title" in again.stderr
    assert "-Tide Gauge network" in again.stderr and "+tide-gauge-v2" in again.stderr
    listed = run_folio("conflicts", env=env)
    assert "1 conflict(s)" in listed.stderr
    record_id = re.search(r"folio conflicts ignore (\S+) title", listed.stderr).group(1)
    assert run_folio("conflicts", "ignore", record_id, "title", env=env).returncode == 0
    assert "0 conflict(s)" in run_folio("conflicts", env=env).stderr
    assert _rows(pg, db_name, "SELECT title FROM projects") == [("Tide Gauge network",)]

    github.reset_counts()
    unchanged = run_folio("import", "github:octocat", "--yes", env=env)
    assert "has not changed since the last import (1 request, answered 304)" in unchanged.stderr
    assert len(github.requests) == 1

    posts = run_folio("import", f"feed:{feeds.url}/rss.xml", "--yes", env=env)
    assert posts.returncode == 0 and "created 3," in posts.stderr, posts.stderr

    for bad, message in ((f"feed:{feeds.url}/blog.html", "is a web page, not a feed"),
                         ("github:octocat/secret-sauce", "private"), ("feed:notaurl", "not a feed address")):
        failed = run_folio("import", bad, "--yes", env=env)
        assert failed.returncode == 1 and message in failed.stderr and "Traceback" not in failed.stderr
