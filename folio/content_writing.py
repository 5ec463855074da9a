"""Writing portfolio content as files (the export): Markdown with YAML front matter, or one JSON file,
in the layouts folio.content_files reads back (no database, no business rules)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from folio.content_files import PROFILE
from folio.kinds import KIND_NAMES, KINDS, PROFILE_FILE, spec_of


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line strings, so Markdown-ish values stay readable."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # PyYAML falls back to a quoted style by itself when a block scalar could not hold the value.
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _represent_str)


def _utc(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return value


def markdown_text(kind: str, fields: dict[str, Any]) -> str:
    """One item as Markdown with YAML front matter (fields in the given order)."""
    text_field = spec_of(kind).body_field
    metadata = {k: _utc(v) for k, v in fields.items()}
    text = metadata.get(text_field) or ""
    content = ""
    if text == text.strip():  # the Markdown part is read back stripped: only then is it exact
        content = metadata.pop(text_field) or ""
    post = frontmatter.Post(content, **metadata)
    # No line folding: a folded line could start with "---" and end the front matter early.
    return frontmatter.dumps(post, Dumper=_Dumper, sort_keys=False, width=1_000_000) + "\n"


def markdown_path(root: Path, kind: str, slug: str) -> Path:
    return root / PROFILE_FILE if kind == PROFILE else root / KINDS[kind].plural / f"{slug}.md"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return _utc(value).isoformat()
    return value


def json_text(items: dict[str, list[dict[str, Any]]]) -> str:
    """The JSON export: {"projects": [...], "posts": [...], "certifications": [...]}."""
    document = {KINDS[kind].plural: [{k: _jsonable(v) for k, v in fields.items()} for fields in items.get(kind, [])]
                for kind in KIND_NAMES}
    if items.get(PROFILE):
        document[PROFILE] = {k: _jsonable(v) for k, v in items[PROFILE][0].items()}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_file(path: Path, text: str) -> None:
    """Write UTF-8 bytes as they are (no newline translation)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
