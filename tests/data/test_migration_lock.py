"""Replicas starting together on an empty database: migrations run under an advisory lock, so one process
migrates and the other waits, then finds the schema at head. Two real `folio db upgrade` processes (the
same `data.migrate.upgrade` that `folio serve` runs at start) against the embedded PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import time

import psycopg
import pytest

from data import migrate
from testkit.procs import ROOT, folio_env


def _waiting(conn: psycopg.Connection) -> int:
    """Sessions blocked on folio's migration lock."""
    return conn.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
        "AND ((classid::bigint << 32) | objid::bigint) = %s", (migrate.MIGRATION_LOCK_KEY,)).fetchone()[0]


@pytest.mark.timeout(300)
def test_two_processes_upgrading_an_empty_database_migrate_once(pg):
    name = pg.create(template=None)
    url = pg.libpq_url(name)
    env = folio_env(FOLIO_DATABASE_URL=url, FOLIO_SECRET_KEY="k" * 32)
    procs = []
    try:
        with psycopg.connect(url, autocommit=True) as holder:
            # Hold the lock while both start, so that both really are there at once.
            holder.execute("SELECT pg_advisory_lock(%s)", (migrate.MIGRATION_LOCK_KEY,))
            procs = [subprocess.Popen([sys.executable, "-m", "launch", "db", "upgrade"], cwd=ROOT, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                     for _ in range(2)]
            deadline = time.monotonic() + 120
            while _waiting(holder) < 2:
                assert time.monotonic() < deadline, "the two processes never queued on the migration lock"
                assert all(p.poll() is None for p in procs), [p.communicate()[0][-3000:] for p in procs]
                time.sleep(0.2)
            holder.execute("SELECT pg_advisory_unlock(%s)", (migrate.MIGRATION_LOCK_KEY,))
        outputs = []
        for proc in procs:
            out, _ = proc.communicate(timeout=240)
            assert proc.returncode == 0, out[-3000:]
            outputs.append(out)
        head = migrate.head_revision()
        assert sorted("upgraded from empty to " + head in o for o in outputs) == [False, True], outputs
        assert sum(f"database already at {head}" in o for o in outputs) == 1, outputs
        assert all("waiting for it" in o for o in outputs)
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        pg.drop(name)


def test_the_lock_is_released_after_an_upgrade(pg, db_name):
    url = pg.libpq_url(db_name)
    done = migrate.upgrade(pg.url(db_name))
    assert not done.changed and done.after == migrate.head_revision()
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT pg_try_advisory_lock(%s)", (migrate.MIGRATION_LOCK_KEY,)).fetchone()[0]
