"""The JSON schemas the drafting steps decode under (llama-server turns each into a grammar; vLLM
applies it as guided decoding): reading the brief, the outline, a section, a closing section, a code
example, a new title, and a revision request read as edits. Prose strings carry no maxLength: a grammar
cut would end a title or a sentence mid-word; each step's token budget bounds its length instead, and
what the budget cuts off is finished or dropped in code (clean.py)."""

from __future__ import annotations

from typing import Any

TAG_CHARS = 30
VALUE_CHARS = 160
MAX_SECTIONS = 4
CODE_LANGUAGES = ("python", "sql", "bash", "javascript", "typescript", "go", "rust", "java", "yaml", "json",
                  "toml", "dockerfile", "text")
# What a revision can ask for (revise.py does each one, and checks it was done).
ACTIONS = ("shorter", "longer", "end_with", "add_section", "split", "more_technical", "simpler", "add_code",
           "mention", "leave_out", "title", "tags", "rewrite", "remove", "undo")
WHOLE, LAST, NEW = "whole post", "last section", "new section"


def _string(min_chars: int = 0, max_chars: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string"}
    if min_chars:
        out["minLength"] = min_chars
    if max_chars:
        out["maxLength"] = max_chars
    return out


def _object(**properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


# The brief's reading: what it already gives, as the brief's own words ("" when it doesn't say): a quote is
# checked against the brief in code, where a yes/no would be taken on trust.
BRIEF = _object(own_experience={"type": "boolean"}, reasons=_string(0, 200), numbers=_string(0, 200),
                problems=_string(0, 200), audience=_string(0, 200), skip=_string(0, 200))

OUTLINE = _object(
    title=_string(8),
    excerpt=_string(20),
    tags={"type": "array", "minItems": 2, "maxItems": 4, "items": _string(2, TAG_CHARS)},
    sections={"type": "array", "minItems": 3, "maxItems": MAX_SECTIONS, "items": _string(3)},
)


def paragraphs(most: int = 2) -> dict[str, Any]:
    return {"type": "array", "minItems": 1, "maxItems": most, "items": _string(20)}


def section(most: int = 2) -> dict[str, Any]:
    return _object(paragraphs=paragraphs(most))


def closing(most: int = 2) -> dict[str, Any]:
    return _object(heading=_string(3), paragraphs=paragraphs(most))


CODE = _object(language={"type": "string", "enum": list(CODE_LANGUAGES)}, code=_string(10))

TITLE = _object(title=_string(8))

HEADING = _object(heading=_string(3))


def edits(headings: list[str]) -> dict[str, Any]:
    """A revision request as up to three edits, each naming the part of the draft it changes."""
    parts = [WHOLE, LAST, NEW, *dict.fromkeys(h for h in headings if h not in (WHOLE, LAST, NEW))]
    edit = _object(action={"type": "string", "enum": list(ACTIONS)},
                   section={"type": "string", "enum": parts},
                   value=_string(0, VALUE_CHARS))
    return _object(edits={"type": "array", "minItems": 1, "maxItems": 3, "items": edit})
