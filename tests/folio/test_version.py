"""`folio --version` prints the package's version (pyproject.toml's)."""

import tomllib

from testkit.procs import ROOT, run_folio


def test_version_is_the_packages():
    result = run_folio("--version")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert result.returncode == 0 and result.stdout.strip() == f"folio {version}", result.stderr
