"""The quality gates run in `make test`: ruff and mypy find nothing beyond the recorded baseline
(scripts/gates.py, quality/baseline.json; `make lint-baseline` records a new one), and the tests that drive
a browser or the real model carry their markers (`-m "not browser and not real_model"` leaves them out)."""

from __future__ import annotations

import ast
import importlib.util
import json

import pytest

from testkit.procs import ROOT


def _gates():
    spec = importlib.util.spec_from_file_location("gates", ROOT / "scripts" / "gates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.timeout(1800)
def test_ruff_and_mypy_find_nothing_beyond_the_baseline():
    gates = _gates()
    over, _ = gates.compare(json.loads(gates.BASELINE.read_text()), gates.current())
    assert over == [], "new findings (fix them, or `make lint-baseline` for merged code):\n" + "\n".join(over)


def test_a_new_finding_is_caught_and_a_fixed_one_lets_the_baseline_shrink():
    compare = _gates().compare
    baseline = {"ruff": {"a.py": {"E501": 2}}, "mypy": {}}
    over, under = compare(baseline, {"ruff": {"a.py": {"E501": 2, "F401": 1}}, "mypy": {"b.py": {"arg-type": 1}}})
    assert over == ["ruff: a.py: 1 x F401 (baseline 0)", "mypy: b.py: 1 x arg-type (baseline 0)"] and under == []
    over, under = compare(baseline, {"ruff": {"a.py": {"E501": 1}}, "mypy": {}})
    assert over == [] and under == ["ruff: a.py: 1 x E501 (baseline 2)"]


def _marks(tree: ast.Module, function: ast.FunctionDef) -> set[str]:
    names = set()
    decorators = list(function.decorator_list)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "pytestmark" for t in node.targets):
            decorators += node.value.elts if isinstance(node.value, ast.List) else [node.value]
    for decorator in decorators:
        if isinstance(decorator, ast.Attribute):
            names.add(decorator.attr)
    return names


def test_browser_and_real_model_tests_are_marked():
    unmarked = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        tree = ast.parse(path.read_text())
        for function in (n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
            if not function.name.startswith("test_"):
                continue
            calls = {getattr(n.func, "id", None) for n in ast.walk(function) if isinstance(n, ast.Call)}
            params = {a.arg for a in function.args.args}
            needs = {"browser"} if "browser_page" in calls else set()
            if params & {"local_llm", "live_local", "real_owner_requests"}:
                needs.add("real_model")
            missing = needs - _marks(tree, function)
            if missing:
                unmarked.append(f"{path.relative_to(ROOT)}::{function.name} lacks {sorted(missing)}")
    assert unmarked == []
