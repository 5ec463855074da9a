"""The owner's message as a structured request: its JSON schema (operations, kinds, the real items'
keys, field names) and the typed result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OPERATIONS = ("create", "set", "add_values", "remove_values", "replace_text", "publish", "unpublish", "hide",
              "show", "feature", "unfeature", "delete", "profile", "question", "inbox", "draft_new",
              "draft_revise", "draft_save", "draft_publish", "draft_discard")
WRITES = ("create", "set", "add_values", "remove_values", "replace_text", "publish", "unpublish", "hide", "show",
          "feature", "unfeature", "delete", "profile")
DRAFTING = ("draft_new", "draft_revise", "draft_save", "draft_publish", "draft_discard")
KINDS = ("project", "post", "certification", "experience", "profile")
FIELDS = ("title", "name", "summary", "excerpt", "description", "body", "bio", "headline", "organisation",
          "issuer", "location", "availability", "contact", "repo_url", "live_url", "image_url",
          "cover_image_url", "credential_id", "credential_url", "badge_image_url", "started_on", "finished_on",
          "issued_on", "expires_on", "ended_on", "published_at", "open_to_work", "tags", "tech", "highlights",
          "link")
LISTS = ("tags", "tech", "highlights", "links", "none")
MAX_FIELDS = 8


@dataclass(frozen=True)
class Request:
    operation: str
    kind: str = "project"
    target: str = "none"  # a catalogue key, "new" or "none"
    fields: tuple[tuple[str, str], ...] = ()
    list: str = "none"
    values: tuple[str, ...] = ()
    find: str = ""
    replace: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def schema(keys: list[str], operations: tuple[str, ...] = OPERATIONS, targets: list[str] | None = None) -> dict[str, Any]:
    """`operations` and `targets` narrow the grammar (a second reading: "is this a new item?")."""
    text = {"type": "string", "maxLength": 400}
    properties = {
        "operation": {"type": "string", "enum": list(operations)},
        "kind": {"type": "string", "enum": list(KINDS)},
        "target": {"type": "string", "enum": targets if targets is not None else [*keys, "new", "none"]},
        "fields": {"type": "array", "maxItems": MAX_FIELDS, "items": {
            "type": "object", "properties": {"field": {"type": "string", "enum": list(FIELDS)}, "value": text},
            "required": ["field", "value"], "additionalProperties": False}},
        "list": {"type": "string", "enum": list(LISTS)},
        "values": {"type": "array", "maxItems": 10, "items": {"type": "string", "maxLength": 100}},
        "find": text,
        "replace": text,
    }
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


def parse(data: dict[str, Any], keys: list[str]) -> Request:
    def pick(value, allowed, default):
        return value if value in allowed else default

    fields = []
    for f in data.get("fields") or []:
        if isinstance(f, dict) and f.get("field") in FIELDS and isinstance(f.get("value"), str) and f["value"].strip():
            fields.append((f["field"], f["value"].strip()))
    values = tuple(v.strip() for v in data.get("values") or [] if isinstance(v, str) and v.strip())
    return Request(operation=pick(data.get("operation"), OPERATIONS, "question"),
                   kind=pick(data.get("kind"), KINDS, "project"),
                   target=pick(data.get("target"), [*keys, "new"], "none"),
                   fields=tuple(fields), list=pick(data.get("list"), LISTS, "none"), values=values,
                   find=str(data.get("find") or ""), replace=str(data.get("replace") or ""))
