"""The 'before' side of a benchmark: the tree of another commit, extracted to a scratch folder (git archive),
run from there with the same virtualenv, so before and after are measured on the same machine in one run."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _repository() -> Path:
    """This checkout, or (a benchmark run from an exported copy of a commit) the repository it is run from."""
    return ROOT if (ROOT / ".git").exists() else Path.cwd()


def checkout(ref: str) -> Path:
    """A scratch folder holding commit `ref`'s files (the caller removes it)."""
    repo = _repository()
    commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", ref], check=True,
                            capture_output=True, text=True).stdout.strip()
    folder = Path(tempfile.mkdtemp(prefix=f"fref-{commit}-", dir="/tmp"))
    archive = subprocess.Popen(["git", "-C", str(repo), "archive", commit], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(folder)], stdin=archive.stdout, check=True)
    if archive.wait():
        raise SystemExit(f"git archive {ref} failed")
    return folder
