"""The frozen test splits stay frozen, and nothing of them reaches the code: no prompt, rule or example in
the pipelines may come from a test question or request (they were written by someone who never read the
code; a rule fitted to one of them would fail the next phrasing)."""

import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "data" / "eval"
SHINGLE = 5  # words in a row that would show a sentence was copied


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def test_the_test_splits_are_the_frozen_ones():
    for line in (EVAL / "FROZEN.sha256").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256((EVAL / name).read_bytes()).hexdigest() == digest, f"{name} changed after it was frozen"


def test_no_eval_sentence_is_in_the_prompts_or_the_pipelines():
    """Every split: the dev sets are for finding failure classes, never for copying their words."""
    sentences = []
    for split in ("dev", "dev2", "test"):
        visitor = json.loads((EVAL / f"visitor_{split}.json").read_text())
        sentences += [c["question"] for c in visitor] + [t for c in visitor for t in c.get("thread", [])]
        sentences += [m for c in json.loads((EVAL / f"owner_{split}.json").read_text()) for m in c["messages"]]
    for split in ("dev", "test"):
        for brief in json.loads((EVAL / f"drafting_{split}.json").read_text()):
            sentences += [brief["opening_request"], *(brief.get("interview_answers") or []),
                          brief.get("skip_reply", "")]
            sentences += [r["instruction"] for r in brief["revisions"]]
    wanted = set().union(*(_shingles(s) for s in sentences))
    code = [*(ROOT / "folio" / "prompts").glob("*.py"), *(ROOT / "agent").rglob("*.py")]
    assert len(code) > 10
    for path in code:
        found = _shingles(path.read_text()) & wanted
        assert not found, f"{path.relative_to(ROOT)} holds words of a test sentence: {sorted(found)[:3]}"
