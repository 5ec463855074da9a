"""The three-way merge that keeps an imported item in step with its source without overwriting the
owner: each field's base is the value the source had when it was last applied.

- the source did not change the field (new == base): nothing happens (an owner's edit stays);
- the owner did not edit it (current == base): the source's new value is written;
- both agree already (current == new): only the base moves;
- both changed it: a conflict, shown to the owner; the owner's value stays until they accept the
  source's (or ignore it, which moves the base so the same change is not raised again)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

#: The fields an import keeps in sync, per kind. Publication state is the owner's alone.
SYNCED: dict[str, tuple[str, ...]] = {
    "project": ("title", "summary", "body", "tech_stack", "tags", "repo_url", "live_url", "started_on",
                "finished_on"),
    "post": ("title", "excerpt", "body", "tags", "canonical_url"),
}


def as_json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    return value


def current_values(kind: str, item: Any) -> dict[str, Any]:
    return {f: as_json(getattr(item, f)) for f in SYNCED[kind]}


def synced(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The part of a candidate's values an import remembers as the source's."""
    return {f: values[f] for f in SYNCED[kind] if f in values}


@dataclass
class Merge:
    updates: dict[str, Any] = field(default_factory=dict)  # field -> the source's value, to write
    conflicts: dict[str, Any] = field(default_factory=dict)  # field -> the source's value, owner's kept
    base: dict[str, Any] = field(default_factory=dict)  # the source values to remember


def merge(base: dict[str, Any], current: dict[str, Any], incoming: dict[str, Any],
          waiting: dict[str, Any] | None = None) -> Merge:
    """`incoming` holds only the fields the source sent (a README answered 304 is absent: unchanged);
    `waiting` the conflicts not yet resolved (kept for fields the source did not send)."""
    out = Merge(base=dict(base))
    for name, new in incoming.items():
        old, now = base.get(name), current.get(name)
        if name not in base and now != new:
            out.conflicts[name] = new  # never tracked before (an older import): the owner decides
        elif new == old and name in base:
            continue
        elif now == old:
            out.updates[name] = new
            out.base[name] = new
        elif now == new:
            out.base[name] = new
        else:
            out.conflicts[name] = new
    for name, theirs in (waiting or {}).items():
        if name not in incoming and name not in out.conflicts:
            out.conflicts[name] = theirs
    return out
