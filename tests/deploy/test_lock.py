"""The lock files are complete, hashed, current with pyproject.toml and used: `make` installs from
dev.lock/run.lock with --require-hashes (the image's use of app.lock: tests/deploy/test_dockerfile.py). When a
test here fails after a dependency changed in pyproject.toml, `make lock` regenerates the locks.
torch alone is outside the locks: the Makefile installs it from pyproject's pin (its CPU build where pip is
configured to find one, PyPI's elsewhere), so its pin there must equal pyproject's."""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.requirements import Requirement

from testkit.locks import read_lock
from testkit.procs import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
MAKEFILE = (ROOT / "Makefile").read_text()
# Installed by the Makefile from its pin, not from a lock (see the module's docstring).
UNLOCKED = {"torch"}
# Which extras each lock holds (pyproject's [project.optional-dependencies]).
LOCK_EXTRAS = {"dev.lock": ("local", "llm", "test"), "run.lock": ("local", "llm"), "app.lock": ()}
MARKER_ENV = {"python_version": "3.11", "python_full_version": "3.11.0", "sys_platform": "linux",
              "platform_system": "Linux", "platform_machine": "x86_64", "os_name": "posix",
              "implementation_name": "cpython", "platform_python_implementation": "CPython"}


def _requirements(extras: tuple[str, ...]) -> list[Requirement]:
    project = PYPROJECT["project"]
    texts = [*project["dependencies"], *(r for extra in extras for r in project["optional-dependencies"][extra])]
    return [Requirement(text) for text in texts]


def _unmet(lock: str) -> list[str]:
    pins = read_lock(lock)
    problems = []
    for req in _requirements(LOCK_EXTRAS[lock]):
        if req.marker is not None and not req.marker.evaluate(MARKER_ENV):
            continue
        if req.name in UNLOCKED:
            continue
        pin = pins.get(req.name.lower().replace("_", "-").replace(".", "-"))
        if pin is None:
            problems.append(f"{req} is missing")
        elif not req.specifier.contains(pin.version, prereleases=True):
            problems.append(f"{req} but the lock has {pin.version}")
    return problems


@pytest.mark.parametrize("lock", sorted(LOCK_EXTRAS))
def test_every_package_is_pinned_with_hashes(lock):
    pins = read_lock(lock)
    assert len(pins) > 50
    unhashed = [p.name for p in pins.values() if not p.hashes]
    assert unhashed == [], f"{lock}: no hash for {unhashed}"
    assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for p in pins.values() for h in p.hashes)


@pytest.mark.parametrize("lock", sorted(LOCK_EXTRAS))
def test_lock_is_current_with_pyproject(lock):
    assert _unmet(lock) == [], f"requirements/{lock} is out of date with pyproject.toml: run `make lock`"


def test_the_locks_agree():
    dev = read_lock("dev.lock")
    for lock in ("run.lock", "app.lock"):
        differing = {n: (p.version, dev[n].version if n in dev else None) for n, p in read_lock(lock).items()
                     if n not in dev or dev[n].version != p.version}
        assert differing == {}, f"{lock} and dev.lock differ: run `make lock`"
    assert "torch" not in read_lock("app.lock")  # the image has no embedded extras


def test_a_stale_lock_is_caught(monkeypatch):
    """The currency check can fail: a requirement the lock does not meet is reported."""
    project = {**PYPROJECT["project"], "dependencies": [*PYPROJECT["project"]["dependencies"], "fastapi>=99"]}
    monkeypatch.setitem(PYPROJECT, "project", project)
    assert any("fastapi>=99" in p for p in _unmet("app.lock"))


def test_makefile_installs_from_the_locks_with_hashes():
    for stamp, lock in ((".installed-run", "run.lock"), (".installed-test", "dev.lock")):
        recipe = MAKEFILE.split(f"$(VENV)/{stamp}:", 1)[1].split("\n\n", 1)[0]
        prerequisites = recipe.splitlines()[0]
        assert f"requirements/{lock}" in prerequisites, f"{stamp} is not rebuilt when {lock} changes"
        installs = [line.strip() for line in recipe.splitlines() if "pip install" in line]
        assert any(f"--require-hashes --no-deps -r requirements/{lock}" in line for line in installs), installs
        # folio itself comes without dependencies, torch from its pin: every other package is from the lock.
        assert all("--require-hashes" in line or "--no-deps -e ." in line or line.endswith("'$(TORCH)'")
                   for line in installs), installs
    assert re.search(r"^lock:", MAKEFILE, re.M) and "--generate-hashes" in MAKEFILE


def test_torch_is_installed_from_pyproject_pin_and_left_out_of_the_locks():
    local = [Requirement(r) for r in PYPROJECT["project"]["optional-dependencies"]["local"]]
    pinned = next(str(r) for r in local if r.name == "torch")
    assert re.search(r"^TORCH := (\S+)$", MAKEFILE, re.M).group(1) == pinned
    assert "--no-emit-package torch" in MAKEFILE
    for lock in LOCK_EXTRAS:
        assert "torch" not in read_lock(lock), f"{lock} pins torch: run `make lock`"
    # Its own dependencies are locked (torch's CPU build needs no others).
    assert {"sympy", "networkx", "filelock", "fsspec", "jinja2"} <= set(read_lock("run.lock"))

