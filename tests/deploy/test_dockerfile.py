"""The app image's Dockerfile: slim base, no embedded-model extras, non-root, health on /healthz,
and commands that exist in the installed package."""

import re
import tomllib

import pytest

from testkit.deploy import BASE, compose_config, dockerfile, shell_words
from testkit.procs import ROOT, run_folio

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


@pytest.fixture(scope="module")
def steps():
    return dockerfile()


def _final_stage(steps):
    starts = [i for i, s in enumerate(steps) if s.keyword == "FROM"]
    return steps[starts[-1]:]


def _one(steps, keyword):
    found = [s for s in steps if s.keyword == keyword]
    assert len(found) == 1, f"expected one {keyword}, found {len(found)}"
    return found[0]


def test_slim_python_base_and_install_without_extras(steps):
    bases = [s.args.split()[0] for s in steps if s.keyword == "FROM"]
    assert bases and all(re.match(r"python:\$\{PYTHON_VERSION\}-slim|python:3\.\d+-slim", b) for b in bases)
    installs = [s.args for s in steps if s.keyword == "RUN" and "pip install" in s.args]
    targets = [command.split("pip install", 1)[1].split() for command in installs]
    # The dependencies (the lock of pyproject's list, no extras) in their own layer, then folio alone.
    assert targets == [["--require-hashes", "-r", "/tmp/app.lock"], ["--no-deps", "."]], installs
    extras = set(PYPROJECT["project"]["optional-dependencies"])
    assert {"local", "llm"} <= extras
    text = (ROOT / "Dockerfile").read_text()
    for extra in ("local", "llm"):
        assert f"[{extra}" not in text and f",{extra}" not in text


def test_runs_as_a_non_root_user(steps):
    final = _final_stage(steps)
    users = [s.args for s in final if s.keyword == "USER"]
    assert users and users[-1] not in ("root", "0", "0:0")
    cmd_index = final.index(_one(final, "CMD"))
    assert final.index(next(s for s in final if s.keyword == "USER")) < cmd_index
    created = " ".join(s.args for s in final if s.keyword == "RUN")
    assert "useradd" in created and users[-1].split(":")[0] in created


def test_healthcheck_polls_healthz_on_the_served_port(steps):
    final = _final_stage(steps)
    health = _one(final, "HEALTHCHECK").exec_form()
    assert health is not None, "HEALTHCHECK should use the exec form"
    script = " ".join(health)
    assert "/healthz" in script and "FOLIO_PORT" in script
    env = " ".join(s.args for s in final if s.keyword == "ENV")
    port = re.search(r"FOLIO_PORT=(\d+)", env).group(1)
    assert _one(final, "EXPOSE").args == port
    assert "FOLIO_HOST=0.0.0.0" in env


def test_commands_exist_as_console_scripts(steps, tmp_path):
    command = _one(_final_stage(steps), "CMD").exec_form()
    assert command is not None and not [s for s in steps if s.keyword == "ENTRYPOINT"]
    scripts = PYPROJECT["project"]["scripts"]
    invocations = shell_words(command)
    assert [words[:3] for words in invocations] == [["folio", "db", "upgrade"], ["folio", "serve"]]
    for words in invocations:
        assert words[0] in scripts, f"{words[0]} is not a console script in pyproject.toml"
        result = run_folio(*words[1:], "--help")
        assert result.returncode == 0, result.stderr
    # docker-compose.yml runs the same command in its app service.
    empty = tmp_path / "required.env"
    empty.write_text("POSTGRES_PASSWORD=s3cret\n")
    assert compose_config(BASE, env_file=empty)["services"]["app"]["command"] == command


def test_dependencies_are_installed_before_the_source_is_copied(steps):
    """A change to the source reuses the dependencies' layer: only the lock (no extras) is copied before it,
    and installed with its hashes (tests/deploy/test_lock.py keeps it current)."""
    build = steps[:[i for i, s in enumerate(steps) if s.keyword == "FROM"][1]]
    copies = [i for i, s in enumerate(build) if s.keyword == "COPY"]
    deps = next(i for i, s in enumerate(build) if s.keyword == "RUN" and "--require-hashes" in s.args)
    assert [build[i].args for i in copies if i < deps] == ["requirements/app.lock /tmp/app.lock"]
    assert "-r /tmp/app.lock" in build[deps].args
    assert any(build[i].args == ". ." for i in copies if i > deps)


def test_build_context_leaves_local_state_out():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".venv", ".data", ".env", ".git"} <= ignored
    assert "README.md" not in ignored and "pyproject.toml" not in ignored  # `pip install .` needs them
