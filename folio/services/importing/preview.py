"""What an import would do, shown before anything is written (a preview), and what it did (a report)."""

from __future__ import annotations

import difflib
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from folio.services.importing.records import Candidate


@dataclass
class Planned:
    """One candidate and what Confirm would do with it."""

    candidate: Candidate
    action: str  # "create" | "update" | "unchanged" | "conflict"
    slug: str | None = None  # the existing item's
    updates: dict[str, Any] = field(default_factory=dict)  # fields a sync writes
    conflicts: dict[str, Any] = field(default_factory=dict)  # field -> the source's value (owner's kept)
    selected: bool = True


@dataclass
class Removed:
    kind: str
    slug: str | None
    title: str
    external_id: str


@dataclass
class ImportPreview:
    id: str
    source: str  # "github:USER" or "feed:URL"
    owner: str  # the actor's email: only they may confirm it
    planned: list[Planned]
    removed: list[Removed]
    validators: dict[str, Any]
    requests: int
    not_modified: bool
    created_at: datetime
    publish: bool = False

    @property
    def new(self) -> list[Planned]:
        return [p for p in self.planned if p.action == "create"]

    @classmethod
    def make(cls, **kw: Any) -> ImportPreview:
        return cls(id=uuid.uuid4().hex, **kw)


@dataclass
class ConflictView:
    """A field the owner edited that the source changed too: the owner's value and the source's."""

    record_id: str
    kind: str
    slug: str
    title: str
    field: str
    ours: Any
    theirs: Any

    def diff(self) -> str:
        """The owner's value against the source's, as a unified diff (a line each for short values)."""
        def lines(value: Any) -> list[str]:
            if isinstance(value, list):
                return [", ".join(map(str, value))]
            return ("" if value is None else str(value)).splitlines() or [""]

        return "\n".join(difflib.unified_diff(lines(self.ours), lines(self.theirs), "yours", "source", lineterm="",
                                               n=1))


@dataclass
class ImportReport:
    source: str
    created: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, slug, title)
    updated: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (kind, slug, fields)
    unchanged: int = 0
    conflicts: list[ConflictView] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # unselected (or invalid: with the reason)
    requests: int = 0
    not_modified: bool = False
