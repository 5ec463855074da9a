"""The architecture contracts in pyproject.toml ([tool.importlinter]) hold: the layers (launch above api and
the chat UI, above the agent, above tools, above the domain, above data), no shortcuts past the services,
nothing but api's mount imports the chat UI, and only the chat UI imports Chainlit. `make test` runs
this; `lint-imports` (in the test extra) shows the same report by hand."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = {"layers", "data-below-domain", "tools-through-services", "api-through-services",
             "chat-only-mounted", "chainlit-only-in-chat"}


def test_the_configured_contracts_are_the_documented_ones():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert {c["id"] for c in config["contracts"]} == CONTRACTS
    layers = next(c for c in config["contracts"] if c["id"] == "layers")
    assert layers["layers"] == ["launch", "api | chat", "agent", "tools", "folio", "data"]


def test_every_import_keeps_the_contracts():
    # In a child process run from the repository root: this checkout's packages are the ones analysed.
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in report, report
