"""`folio import` / `folio export` as real processes against the real PostgreSQL."""

from pathlib import Path

import psycopg

from testkit.procs import ROOT, folio_env, run_folio


def _count(pg, name, table):
    with psycopg.connect(pg.libpq_url(name)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_demo_round_trip_and_rejected_import(pg, tmp_path):
    first, second = pg.create(), pg.create()
    try:
        env1 = folio_env(FOLIO_DATABASE_URL=pg.libpq_url(first), COLUMNS="300")
        env2 = folio_env(FOLIO_DATABASE_URL=pg.libpq_url(second), COLUMNS="300")
        demo = ROOT / "data" / "demo" / "portfolio.json"
        result = run_folio("import", str(demo), env=env1)
        assert result.returncode == 0, result.stderr
        assert "created 29, updated 0, unchanged 0, skipped 0" in result.stderr
        again = run_folio("import", str(demo), env=env1)
        assert "created 0, updated 0, unchanged 29" in again.stderr
        assert _count(pg, first, "projects") == 12

        result = run_folio("export", str(tmp_path / "md"), env=env1)
        assert result.returncode == 0, result.stderr
        assert "exported 12 projects, 8 posts, 6 certifications, 3 experience" in result.stderr
        assert len(_tree(tmp_path / "md")) == 29
        refused = run_folio("export", str(tmp_path / "md"), env=env1)
        assert refused.returncode == 1 and "--force" in refused.stderr

        result = run_folio("import", str(tmp_path / "md"), env=env2)
        assert result.returncode == 0 and "created 29" in result.stderr, result.stderr
        assert run_folio("export", str(tmp_path / "md2"), env=env2).returncode == 0
        assert _tree(tmp_path / "md2") == _tree(tmp_path / "md")
        assert run_folio("export", str(tmp_path / "a.json"), env=env1).returncode == 0
        assert run_folio("export", str(tmp_path / "b.json"), env=env2).returncode == 0
        assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()

        bad = tmp_path / "bad"
        (bad / "projects").mkdir(parents=True)
        (bad / "projects" / "ok.md").write_text("---\ntitle: Fine\n---\nText.\n")
        (bad / "projects" / "nameless.md").write_text("---\nsummary: x\n---\n")
        (bad / "projects" / "typo.md").write_text("---\ntitel: Oops\n---\n")
        before = _count(pg, second, "projects")
        rejected = run_folio("import", str(bad), env=env2)
        assert rejected.returncode == 1
        assert "nameless.md" in rejected.stderr and "typo.md" in rejected.stderr
        assert "title: Field required" in rejected.stderr and "titel" in rejected.stderr
        assert "nothing imported: 2 problems" in rejected.stderr and "Traceback" not in rejected.stderr
        assert _count(pg, second, "projects") == before
        skipped = run_folio("import", str(bad), "--skip-invalid", env=env2)
        assert skipped.returncode == 0 and "created 1, updated 0, unchanged 0, skipped 2" in skipped.stderr
        assert _count(pg, second, "projects") == before + 1
    finally:
        pg.drop(first)
        pg.drop(second)
