"""An installed folio is a complete folio: build the wheel from what the Docker build context holds (the
checkout minus .dockerignore), install it into a fresh virtual environment, make that read-only and run
`folio serve` from another directory as an unprivileged user (nobody), against the embedded PostgreSQL it
starts itself and a scripted model. Then /chat answers a visitor, Chainlit reports folio's settings, and
nothing was written into the install or the working directory.

The environment is new, but its dependencies are this checkout's (a path entry to .venv's site-packages,
after the wheel's own): installing them all afresh takes far too long for a test. Its interpreter is
Debian's /usr/bin/python3 (same 3.11 ABI), since pyenv's under /root is closed to other users.
Podman/buildah cannot build the image here (no registry to pull `python:3.11-slim` from).
"""

from __future__ import annotations

import asyncio
import fnmatch
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import httpx
import pytest

from testkit.chat_client import ChatClient, guest_cookies
from testkit.procs import ROOT, folio_env, free_port, stop_process, wait_http
from testkit.scripted_llm import ScriptedLLM, reply

SYSTEM_PYTHON = Path("/usr/bin/python3")
NOBODY = 65534
SHIPPED = ROOT / "chat" / "chainlit_files"

pytestmark = pytest.mark.skipif(
    not SYSTEM_PYTHON.exists() or os.geteuid() != 0,
    reason="needs Debian's python3 and root (to run the server as nobody)")


def _build_context(dest: Path) -> Path:
    """The checkout as `docker build .` sees it: .dockerignore's entries left out."""
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]

    def ignored(directory: str, names: list[str]) -> set[str]:
        rel = Path(directory).relative_to(ROOT)
        out = set()
        for name in names:
            path = str(rel / name) if str(rel) != "." else name
            if any(fnmatch.fnmatch(path, p.removeprefix("**/")) or fnmatch.fnmatch(name, p.removeprefix("**/"))
                   for p in patterns):
                out.add(name)
        return out

    shutil.copytree(ROOT, dest, ignore=ignored, symlinks=True)
    return dest


def _install(tmp: Path) -> Path:
    """Build the wheel and install it into a fresh venv; returns the venv (read-only afterwards)."""
    context = _build_context(tmp / "context")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(context), "--no-deps", "--no-build-isolation",
                            "-w", str(tmp / "dist"), "-q"], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (tmp / "dist").glob("folio-*.whl")
    venv = tmp / "venv"
    subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
                                "--no-deps", "--no-index", "-q", str(wheel)], capture_output=True, text=True,
                               timeout=300)
    assert installed.returncode == 0, installed.stderr[-3000:]
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c",
                                "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "zz_folio_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    for path in [venv, *venv.rglob("*")]:  # read-only: no write bit anywhere, owned by root
        if not path.is_symlink():
            path.chmod(stat.S_IMODE(path.stat().st_mode) & ~0o222)
    return venv


def _tree(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*")}


def _owned_by_nobody(path: Path) -> Path:
    path.mkdir(parents=True)
    os.chown(path, NOBODY, NOBODY)
    return path


@pytest.mark.timeout(900)
async def test_installed_wheel_serves_the_chat_as_configured_from_a_read_only_install():
    tmp = Path(tempfile.mkdtemp(prefix="fw", dir="/tmp"))  # short: the embedded database's socket path
    tmp.chmod(0o755)
    proc = None
    try:
        venv = _install(tmp)
        before = _tree(venv)
        home = _owned_by_nobody(tmp / "home")
        data = _owned_by_nobody(tmp / "data")
        port = free_port()
        with ScriptedLLM(default=reply("The portfolio has no projects yet.")) as llm:
            env = folio_env(HOME=str(home), XDG_RUNTIME_DIR=str(home), PATH=f"{venv / 'bin'}:/usr/bin:/bin",
                            FOLIO_DATA_DIR=str(data), FOLIO_PORT=str(port), FOLIO_SEED_DEMO="false",
                            FOLIO_LLM_BASE_URL=llm.base_url, FOLIO_LLM_MODEL=llm.model)
            env.pop("PYTHONPATH", None)
            env.pop("CHAINLIT_APP_ROOT", None)
            log_path = tmp / "serve.log"
            with open(log_path, "w") as log:
                proc = subprocess.Popen(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                                         str(venv / "bin" / "folio"), "serve"], cwd=home, env=env,
                                        stdout=log, stderr=subprocess.STDOUT)
            base = f"http://127.0.0.1:{port}"
            try:
                wait_http(f"{base}/healthz", proc, timeout=420)
            except (RuntimeError, TimeoutError):
                pytest.fail("the installed folio did not come up:\n" + log_path.read_text()[-5000:])

            # The settings Chainlit reports are folio's.
            cookies = await guest_cookies(base)
            async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=30) as http:
                page = (await http.get("/chat/")).text
                reported = (await http.get("/chat/project/settings", params={"language": "de-DE"})).json()
            assert 'window.transports = ["websocket"]' in page
            assert reported["ui"]["name"] == "folio"
            assert reported["features"]["spontaneous_file_upload"]["enabled"] is False
            assert reported["features"]["edit_message"] is False
            assert reported["features"]["unsafe_allow_html"] is False
            assert reported["markdown"] == (SHIPPED / "chainlit.md").read_text()

            # A visitor is welcomed and answered.
            async with ChatClient(base, cookies) as chat:
                assert (await chat.started()).strip()
                events = await chat.ask("Which projects use Rust?")
                assert ChatClient.answer(events).strip()

        log_text = log_path.read_text()
        assert "Traceback" not in log_text, log_text[-5000:]
        assert "Translated markdown file" not in log_text
        assert "storage client is not initialized" not in log_text
        assert (data / "chainlit" / ".chainlit" / "config.toml").read_bytes() == (SHIPPED / "config.toml").read_bytes()
        assert _tree(venv) == before  # nothing written into the install
        assert not {".chainlit", ".files", "chainlit.md"} & {p.name for p in home.iterdir()}
    finally:
        if proc is not None:
            stop_process(proc)
            await asyncio.sleep(0)
        for path in [tmp, *tmp.rglob("*")]:  # writable again, so it can be removed
            if not path.is_symlink():
                try:
                    path.chmod(stat.S_IMODE(path.stat().st_mode) | 0o200)
                except OSError:
                    pass
        shutil.rmtree(tmp, ignore_errors=True)
