"""The image's command (`folio db upgrade && folio serve`) as the container runs it: without the
`local`/`llm` extras installed, outside the source tree, against an external PostgreSQL, bound to
the address the container uses; then its health check URL answers."""

import subprocess
import sys

import psycopg
import pytest

from testkit.deploy import dockerfile, shell_words
from testkit.procs import ROOT, folio_env, free_port, stop_process, wait_http

RUNNER = ROOT / "tests" / "testkit" / "without_extras.py"


def _image_command() -> list[list[str]]:
    cmd = next(s for s in dockerfile() if s.keyword == "CMD").exec_form()
    return shell_words(cmd)


@pytest.mark.timeout(600)
def test_image_command_runs_without_the_extras(pg, tmp_path):
    name = pg.create(template=None)
    port = free_port()
    workdir = tmp_path / "home"
    workdir.mkdir()
    # The container's settings, except that tests bind 127.0.0.1 on a free port.
    env = folio_env(FOLIO_DATABASE_URL=pg.libpq_url(name), FOLIO_DATA_DIR=str(tmp_path / "data"),
                    FOLIO_HOST="127.0.0.1", FOLIO_PORT=str(port), FOLIO_SEED_DEMO="false",
                    FOLIO_LLM_BASE_URL=f"http://127.0.0.1:{free_port()}/v1", FOLIO_LLM_MODEL="m",
                    FOLIO_EMBEDDINGS_BASE_URL=f"http://127.0.0.1:{free_port()}/v1", FOLIO_SECRET_KEY="k" * 32)
    upgrade, serve = _image_command()
    proc = None
    try:
        result = subprocess.run([sys.executable, str(RUNNER), *upgrade[1:]], cwd=workdir, env=env,
                                capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr[-3000:]
        with psycopg.connect(pg.libpq_url(name)) as conn:
            assert conn.execute("SELECT count(*) FROM projects").fetchone()[0] == 0
        proc = subprocess.Popen([sys.executable, str(RUNNER), *serve[1:]], cwd=workdir, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert wait_http(f"http://127.0.0.1:{port}/healthz", proc, timeout=240).json() == {"status": "ok"}
        except (RuntimeError, TimeoutError):
            proc.kill()
            pytest.fail("folio serve without the extras did not come up:\n" + proc.communicate()[0][-4000:])
    finally:
        if proc is not None:
            stop_process(proc)
        pg.drop(name)
