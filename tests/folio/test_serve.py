"""`folio serve` (what `make run` runs): embedded PostgreSQL, migrations, demo data, health, clean stop."""

import signal
import subprocess
import sys
from pathlib import Path

import httpx
import psycopg
import pytest

from testkit.procs import ROOT, folio_env, free_port, postmaster_alive, wait_http
from testkit.scripted_llm import ScriptedLLM


def _counts(pgdata: Path) -> tuple[int, int, int]:
    with psycopg.connect(f"postgresql://postgres:@/postgres?host={pgdata}") as conn:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("projects", "posts", "certifications"))


def _start(data_dir: Path, port: int, llm_url: str) -> subprocess.Popen:
    env = folio_env(FOLIO_DATA_DIR=str(data_dir), FOLIO_LLM_BASE_URL=llm_url,
                    FOLIO_OWNER_EMAIL="maya@example.com", FOLIO_OWNER_PASSWORD="correct horse battery")
    return subprocess.Popen([sys.executable, "-m", "launch", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _stop(proc: subprocess.Popen, sig: int) -> str:
    proc.send_signal(sig)
    try:
        out, _ = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        pytest.fail(f"folio serve did not stop on {sig}:\n{out[-3000:]}")
    return out


@pytest.mark.timeout(900)
def test_serve_starts_seeds_answers_health_and_stops_cleanly(short_tmp):
    data_dir = short_tmp("fserve")
    pgdata = data_dir / "pg"
    with ScriptedLLM() as llm:
        port = free_port()
        proc = _start(data_dir, port, llm.base_url)
        try:
            health = wait_http(f"http://127.0.0.1:{port}/healthz", proc, timeout=600)
        except Exception:
            proc.kill()
            raise AssertionError(proc.communicate()[0][-3000:])
        assert health.json() == {"status": "ok"}
        first = _counts(pgdata)
        assert first[0] >= 10 and first[1] >= 8 and first[2] >= 6
        out = _stop(proc, signal.SIGINT)  # Ctrl-C
        assert proc.returncode == 0, out[-3000:]
        assert "Traceback" not in out
        assert "folio is serving" in out and "No owner account yet" not in out  # FOLIO_OWNER_* made one
        assert not postmaster_alive(pgdata), "Ctrl-C left PostgreSQL running"

        # A second start reuses the data (no second demo load) and SIGTERM also stops everything.
        port = free_port()
        proc = _start(data_dir, port, llm.base_url)
        wait_http(f"http://127.0.0.1:{port}/healthz", proc, timeout=600)
        assert _counts(pgdata) == first
        out = _stop(proc, signal.SIGTERM)
        assert "Traceback" not in out, out[-3000:]
        assert not postmaster_alive(pgdata), "SIGTERM left PostgreSQL running"


@pytest.mark.timeout(600)
def test_restart_after_sigkill_recovers_and_stops_cleanly(short_tmp):
    """A SIGKILLed folio leaves PostgreSQL running with a stale owner pid; the next start prunes it."""
    data_dir = short_tmp("fkill")
    pgdata = data_dir / "pg"
    with ScriptedLLM() as llm:
        port = free_port()
        proc = _start(data_dir, port, llm.base_url)
        wait_http(f"http://127.0.0.1:{port}/healthz", proc, timeout=600)
        proc.kill()
        proc.communicate(timeout=30)
        assert postmaster_alive(pgdata)  # orphaned by SIGKILL, as measured

        port = free_port()
        proc = _start(data_dir, port, llm.base_url)
        wait_http(f"http://127.0.0.1:{port}/healthz", proc, timeout=600)
        _stop(proc, signal.SIGINT)
        assert proc.returncode == 0
        assert not postmaster_alive(pgdata), "stale owner pid kept PostgreSQL running"


@pytest.mark.timeout(600)
def test_serve_with_two_workers_on_the_embedded_database_serves_and_stops_cleanly(short_tmp):
    """`folio serve --workers 2`: the parent owns the embedded PostgreSQL, the workers share it (and
    the generated secret key); SIGTERM stops the workers and then PostgreSQL."""
    data_dir = short_tmp("fwrk")
    with ScriptedLLM() as llm:
        port = free_port()
        env = folio_env(FOLIO_DATA_DIR=str(data_dir), FOLIO_LLM_BASE_URL=llm.base_url, FOLIO_SEED_DEMO="false",
                        FOLIO_OWNER_EMAIL="maya@example.com", FOLIO_OWNER_PASSWORD="correct horse battery")
        proc = subprocess.Popen([sys.executable, "-m", "launch", "serve", "--port", str(port), "--workers", "2"],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            wait_http(f"http://127.0.0.1:{port}/healthz", proc, timeout=500)
        except Exception:
            proc.kill()
            raise AssertionError(proc.communicate()[0][-3000:])
        base = f"http://127.0.0.1:{port}"
        login = httpx.post(base + "/api/v1/auth/login",
                           json={"email": "maya@example.com", "password": "correct horse battery"}, timeout=30)
        assert login.status_code == 200
        token = login.json()["access_token"]
        # Whichever worker answers, the token is good (one key for all of them).
        me = [httpx.get(base + "/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"},
                        timeout=30).status_code for _ in range(6)]
        assert me == [200] * 6
        out = _stop(proc, signal.SIGTERM)
        assert "Traceback" not in out, out[-3000:]
        assert "with 2 workers" in out
        assert not postmaster_alive(data_dir / "pg"), "SIGTERM left PostgreSQL running"
