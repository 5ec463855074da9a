"""The JSON schemas the drafting steps decode under (llama-server turns each into a grammar; vLLM
applies it as guided decoding): reading the brief, the outline, a section, a closing section, a code
example, a new title, and a revision request read as edits. Lengths are bounded in the grammar itself,
so a section cannot run on."""

from __future__ import annotations

from typing import Any

TITLE_CHARS = 90
EXCERPT_CHARS = 220
TAG_CHARS = 30
HEADING_CHARS = 70
PARAGRAPH_CHARS = 520
CODE_CHARS = 900
VALUE_CHARS = 160
MAX_SECTIONS = 4
CODE_LANGUAGES = ("python", "sql", "bash", "javascript", "typescript", "go", "rust", "java", "yaml", "json",
                  "toml", "dockerfile", "text")
# What a revision can ask for (revise.py does each one, and checks it was done).
ACTIONS = ("shorter", "longer", "end_with", "add_section", "split", "more_technical", "simpler", "add_code",
           "mention", "leave_out", "title", "tags", "rewrite", "remove", "undo")
WHOLE, LAST, NEW = "whole post", "last section", "new section"


def _string(max_chars: int, min_chars: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string", "maxLength": max_chars}
    if min_chars:
        out["minLength"] = min_chars
    return out


def _object(**properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


BRIEF = _object(own_experience={"type": "boolean"}, gives_reasons={"type": "boolean"},
                gives_numbers={"type": "boolean"}, gives_problems={"type": "boolean"},
                gives_audience={"type": "boolean"}, no_questions={"type": "boolean"})

OUTLINE = _object(
    title=_string(TITLE_CHARS, 8),
    excerpt=_string(EXCERPT_CHARS, 20),
    tags={"type": "array", "minItems": 2, "maxItems": 4, "items": _string(TAG_CHARS, 2)},
    sections={"type": "array", "minItems": 3, "maxItems": MAX_SECTIONS, "items": _string(HEADING_CHARS, 3)},
)


def paragraphs(most: int = 3, chars: int = PARAGRAPH_CHARS) -> dict[str, Any]:
    return {"type": "array", "minItems": 1, "maxItems": most, "items": _string(chars, 30)}


def section(most: int = 3, chars: int = PARAGRAPH_CHARS) -> dict[str, Any]:
    return _object(paragraphs=paragraphs(most, chars))


def closing(most: int = 2) -> dict[str, Any]:
    return _object(heading=_string(HEADING_CHARS, 3), paragraphs=paragraphs(most))


CODE = _object(language={"type": "string", "enum": list(CODE_LANGUAGES)}, code=_string(CODE_CHARS, 10))

TITLE = _object(title=_string(TITLE_CHARS, 8))

HEADING = _object(heading=_string(HEADING_CHARS, 3))


def edits(headings: list[str]) -> dict[str, Any]:
    """A revision request as up to three edits, each naming the part of the draft it changes."""
    parts = [WHOLE, LAST, NEW, *dict.fromkeys(h for h in headings if h not in (WHOLE, LAST, NEW))]
    edit = _object(action={"type": "string", "enum": list(ACTIONS)},
                   section={"type": "string", "enum": parts},
                   value=_string(VALUE_CHARS))
    return _object(edits={"type": "array", "minItems": 1, "maxItems": 3, "items": edit})
