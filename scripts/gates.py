"""Quality gates: ruff (rules E and F, pyproject's [tool.ruff]) and mypy (pyproject's [tool.mypy]) over
folio's code, held to a recorded baseline (quality/baseline.json) that may only shrink.

    python scripts/gates.py check      # `make lint`; tests/test_quality_gates.py runs the same check
    python scripts/gates.py baseline   # `make lint-baseline`: record what the tools find now

The baseline counts findings per file and rule, not per line, so edits that move lines do not matter.
`check` fails when any file has more findings of a rule than recorded (new code must be clean) and says
when the baseline can shrink. Regenerate it after a merge brings in other branches' code, and after fixing
findings; review its diff: it should only ever lose entries.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "quality" / "baseline.json"
PACKAGES = ["launch", "api", "chat", "agent", "tools", "folio", "data"]
RUFF_PATHS = [*PACKAGES, "migrations", "tests", "benchmarks", "scripts"]
_MYPY_LINE = re.compile(r"^(?P<file>[^:\s]+\.py):\d+: error: .*\[(?P<code>[a-z0-9-]+)\]\s*$")

Findings = dict[str, dict[str, dict[str, int]]]  # tool -> file -> rule -> count


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=1800)


def ruff() -> Counter[tuple[str, str]]:
    done = _run("ruff", "check", "--output-format", "json", "--exit-zero", "--no-cache", *RUFF_PATHS)
    if done.returncode != 0:
        raise SystemExit(f"ruff failed to run:\n{done.stderr}")
    return Counter((str(Path(f["filename"]).resolve().relative_to(ROOT)), f["code"]) for f in json.loads(done.stdout))


def mypy() -> Counter[tuple[str, str]]:
    done = _run("mypy", "--no-error-summary", "--show-error-codes", "--no-pretty", *PACKAGES)
    if done.returncode not in (0, 1) or done.stderr.strip():
        raise SystemExit(f"mypy failed to run:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    found: Counter[tuple[str, str]] = Counter()
    for line in done.stdout.splitlines():
        match = _MYPY_LINE.match(line)
        if match:
            found[(match["file"], match["code"])] += 1
    return found


def current() -> Findings:
    result: Findings = {}
    for tool, counts in (("ruff", ruff()), ("mypy", mypy())):
        files: dict[str, dict[str, int]] = {}
        for (file, code), n in sorted(counts.items()):
            files.setdefault(file, {})[code] = n
        result[tool] = files
    return result


def compare(baseline: Findings, now: Findings) -> tuple[list[str], list[str]]:
    """(over: findings beyond the baseline, under: baseline entries that can shrink)."""
    over, under = [], []
    for tool in ("ruff", "mypy"):
        was, have = baseline.get(tool, {}), now.get(tool, {})
        for file in sorted(set(was) | set(have)):
            for code in sorted(set(was.get(file, {})) | set(have.get(file, {}))):
                recorded, found = was.get(file, {}).get(code, 0), have.get(file, {}).get(code, 0)
                if found > recorded:
                    over.append(f"{tool}: {file}: {found} x {code} (baseline {recorded})")
                elif found < recorded:
                    under.append(f"{tool}: {file}: {found} x {code} (baseline {recorded})")
    return over, under


def main(command: str) -> int:
    now = current()
    if command == "baseline":
        BASELINE.parent.mkdir(exist_ok=True)
        BASELINE.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
        total = {tool: sum(sum(codes.values()) for codes in files.values()) for tool, files in now.items()}
        print(f"wrote {BASELINE.relative_to(ROOT)}: {total}")
        return 0
    over, under = compare(json.loads(BASELINE.read_text()), now)
    for line in over:
        print("new finding:", line)
    if under:
        print(f"{len(under)} baseline entries can shrink: run `make lint-baseline` and commit quality/baseline.json")
    if over:
        print("fix them (ruff check / mypy show each line), or, for code merged from elsewhere, `make lint-baseline`")
    return 1 if over else 0


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("check", "baseline"):
        raise SystemExit(__doc__)
    raise SystemExit(main(sys.argv[1]))
