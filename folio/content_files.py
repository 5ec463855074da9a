"""Portfolio content as files: a folder of Markdown files with YAML front matter, or one JSON file.

Only the file formats live here (no database, no business rules): reading turns files into raw
field mappings tagged with their kind and where they came from; writing turns field mappings
back into files. folio.services.portability validates and stores them.

Markdown layout (what Hugo and Jekyll sites already have)::

    projects/<slug>.md     posts/<slug>.md     certifications/<slug>.md     profile.md (its text: the bio)

The kind comes from the nearest enclosing folder named after it (``posts``, ``_posts``, ``post``...)
or from a ``type:`` key. Posts may use Hugo/Jekyll's ``date``, ``draft`` and ``description``
(or ``summary``); a Markdown post without ``status``/``draft`` is published, as there. The Markdown after the front matter is the item's text (``body``, or
``description`` for certifications); a text whose leading or trailing whitespace matters is kept in
the front matter instead, so that nothing changes on the way through. JSON: ``{"projects": [...],
"posts": [...], "certifications": [...], "profile": {...}}``, the demo portfolio's shape (its sample
``owner`` profile is not imported). """

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from folio.kinds import KIND_NAMES, KINDS, PROFILE_FILE, kind_named, spec_of
from folio.kinds import PROFILE as PROFILE_SPEC

PROFILE = PROFILE_SPEC.name  # the owner's: a top-level file or `type: profile`
MARKDOWN_SUFFIXES = (".md", ".markdown")
# Hugo's section pages (`_index.md`) describe a folder, not an item.
SKIPPED_NAMES = {"_index.md", "_index.markdown"}
# Front-matter keys that only steer a static site generator's templates.
IGNORED_KEYS = {"layout"}
# Top-level JSON keys that are not content (the demo portfolio's owner profile).
JSON_IGNORED_KEYS = {"owner"}
JEKYLL_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")


@dataclass
class RawItem:
    """One item as read from a file: its kind, its fields, and where it came from."""

    kind: str
    fields: dict[str, Any]
    source: str
    # A slug suggested by the file name (Markdown only), used when the fields carry none.
    name: str | None = None


@dataclass(frozen=True)
class Problem:
    source: str
    reason: str


class ReadResult:
    def __init__(self) -> None:
        self.items: list[RawItem] = []
        self.problems: list[Problem] = []
        self.files = 0

    def problem(self, source: str, reason: str) -> None:
        self.problems.append(Problem(source, reason))


def is_json_path(path: Path) -> bool:
    return path.suffix.lower() == ".json"


# ---- reading ------------------------------------------------------------------------------------
def read_path(path: Path) -> ReadResult:
    """Read a JSON file or a folder of Markdown files. Problems are collected, never raised."""
    result = ReadResult()
    if not path.exists():
        result.problem(str(path), "no such file or folder")
    elif path.is_dir():
        _read_folder(path, result)
    elif is_json_path(path):
        result.files = 1
        _read_json(path, result)
    elif path.suffix.lower() in MARKDOWN_SUFFIXES:
        result.files = 1
        _read_markdown(path, path.parent, result)
    else:
        result.problem(str(path), "expected a folder of Markdown files, a .md file or a .json file")
    return result


def _read_folder(root: Path, result: ReadResult) -> None:
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in MARKDOWN_SUFFIXES
                   and p.name not in SKIPPED_NAMES
                   and not any(part.startswith(".") for part in p.relative_to(root).parts))
    result.files = len(files)
    if not files:
        result.problem(str(root), "no Markdown files (*.md) found")
    for file in files:
        _read_markdown(file, root, result)


def _decode(path: Path, result: ReadResult) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        result.problem(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        result.problem(str(path), f"cannot read: {exc.strerror}")
    return None


def _read_markdown(path: Path, root: Path, result: ReadResult) -> None:
    source = str(path)
    text = _decode(path, result)
    if text is None:
        return
    handler = frontmatter.YAMLHandler()
    stripped = text.lstrip("\ufeff").strip()
    if not handler.detect(stripped):
        result.problem(source, "no YAML front matter (the file must start with a line '---')")
        return
    try:
        head, content = handler.split(stripped)
    except ValueError:
        result.problem(source, "the front matter is not closed by a line '---'")
        return
    try:
        fields = handler.load(head)
    except yaml.YAMLError as exc:
        result.problem(source, f"front matter is not valid YAML: {_yaml_reason(exc)}")
        return
    except ValueError as exc:  # YAML timestamps that are no real date, e.g. 2024-02-30
        result.problem(source, f"front matter has an impossible date or time: {exc}")
        return
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        result.problem(source, "front matter must be a mapping of field names to values")
        return
    for key in IGNORED_KEYS:
        fields.pop(key, None)
    declared = fields.pop("type", None)
    kind = _kind_from_type(declared) if declared is not None else _kind_from_folders(path, root)
    if declared == PROFILE or (declared is None and path.parent == root and path.name == PROFILE_FILE):
        kind = PROFILE
    if kind is None:
        reason = (f"unknown type {declared!r}: expected one of {', '.join(KIND_NAMES)}" if declared is not None
                  else f"cannot tell the kind: put the file under {_folders()} or add a 'type:' key")
        result.problem(source, reason)
        return
    spec = spec_of(kind)
    for alias, name in spec.file_aliases.items():  # Hugo/Jekyll names for fields
        if alias in fields:
            if name in fields:
                result.problem(source, f"both '{alias}' and '{name}' are given; keep one")
                return
            fields[name] = fields.pop(alias)
    if spec.published_stamp is not None and not _publication_state(spec, fields, source, result):
        return
    text_field = spec.body_field
    content = content.strip()
    if content:
        if fields.get(text_field):
            result.problem(source, f"'{text_field}' is given both in the front matter and as Markdown text")
            return
        fields[text_field] = content
    stem = path.parent.name if path.stem == "index" and path.parent != root else path.stem
    result.items.append(RawItem(kind, fields, source, JEKYLL_DATE_PREFIX.sub("", stem)))


def _publication_state(spec, fields: dict[str, Any], source: str, result: ReadResult) -> bool:
    """Hugo/Jekyll's `draft: true|false` as the kind's publication state; as there, a Markdown item of a
    kind with a publication date (posts) is published unless it says otherwise."""
    (state, published), = (spec.publish or {}).items()
    if "draft" in fields:
        draft = fields.pop("draft")
        if not isinstance(draft, bool):
            result.problem(source, "draft: must be true or false")
            return False
        if state in fields:
            result.problem(source, f"both 'draft' and '{state}' are given; keep one")
            return False
        fields[state] = "draft" if draft else published
    fields.setdefault(state, published)
    return True


def _yaml_reason(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"{problem} (front matter line {mark.line + 2})" if mark is not None else problem


def _folders() -> str:
    folders = [f"{KINDS[k].plural}/" for k in KIND_NAMES]
    return f"{', '.join(folders[:-1])} or {folders[-1]}"


def _kind_name(name: str) -> str | None:
    spec = kind_named(name, synonyms=False)
    return spec.name if spec else None


def _kind_from_type(value: Any) -> str | None:
    return _kind_name(value) if isinstance(value, str) else None


def _kind_from_folders(path: Path, root: Path) -> str | None:
    for folder in path.relative_to(root).parents:
        if folder.name and (kind := _kind_name(folder.name)):
            return kind
    return _kind_name(root.name)


def _read_json(path: Path, result: ReadResult) -> None:
    text = _decode(path, result)
    if text is None:
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        result.problem(str(path), f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        return
    if not isinstance(document, dict):
        shape = ", ".join(f'"{KINDS[k].plural}": [...]' for k in KIND_NAMES)
        result.problem(str(path), f"expected an object {{{shape}}}")
        return
    kinds = {KINDS[k].plural: k for k in KIND_NAMES}
    if isinstance(document.get(PROFILE), dict):  # anything else is reported as not an object below
        result.items.append(RawItem(PROFILE, dict(document[PROFILE]), f"{path}#/{PROFILE}"))
    for key in document:
        if key not in kinds and key not in JSON_IGNORED_KEYS and key != PROFILE:
            result.problem(f"{path}#/{key}", f"unknown key; expected {', '.join(kinds)}")
        elif key == PROFILE and not isinstance(document[key], dict):
            result.problem(f"{path}#/{key}", "must be an object")
    for plural, kind in kinds.items():
        entries = document.get(plural, [])
        if not isinstance(entries, list):
            result.problem(f"{path}#/{plural}", "must be a list of objects")
            continue
        for index, entry in enumerate(entries):
            source = f"{path}#/{plural}/{index}"
            if not isinstance(entry, dict):
                result.problem(source, "must be an object")
                continue
            result.items.append(RawItem(kind, dict(entry), source))
