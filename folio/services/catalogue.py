"""Every portfolio item an actor may see, with every field (Record): what a question or request is read
against (its catalogue, its vocabulary) and what answers are computed from (agent/answering).

A portfolio is small, and it is read at every chat turn: it is kept in the process and re-read only
when the content changed. Before each use one statement reads the content tables' version
(data/repositories/versions.py), so a write committed by any process (REST, the owner's chat, another
worker, `folio import`) is seen by the next question, never a stale list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from data.db import Database
from data.repositories.versions import TableVersions
from folio.actor import Actor
from folio.kinds import KINDS, spec_of
from folio.services.content import ContentService

PAGE = 100  # items read per query (ContentService.list's largest page)


@dataclass(frozen=True)
class Record:
    """One item with every stored field (its REST shape, JSON values): what answers are computed from."""

    kind: str
    slug: str
    title: str
    values: dict[str, Any] = field(compare=False)
    public: bool = True

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.slug}"

    @property
    def page(self) -> str:
        return spec_of(self.kind).page_of(self.slug)

    @property
    def noun(self) -> str:
        return spec_of(self.kind).called

    @property
    def summary(self) -> str:
        return str(self.values.get(spec_of(self.kind).summary_field) or "")

    @property
    def body(self) -> str:
        spec = spec_of(self.kind)
        return str(self.values.get(spec.body_field) or "") if spec.body_field != spec.summary_field else ""

    @property
    def terms(self) -> list[str]:
        """Technologies and topics (tech stack, tech, tags), as stored."""
        return [*self.values.get("tech_stack", []), *self.values.get("tech", []), *self.values.get("tags", [])]

    def text(self) -> str:
        """Everything a sentence about it may rest on."""
        spec = spec_of(self.kind)
        parts = [self.title, *(str(self.values.get(f) or "") for f in spec.text_fields), self.body,
                 *self.values.get("highlights", []), " ".join(self.terms)]
        return "\n".join(p for p in dict.fromkeys(parts) if p)


class Catalogue:
    def __init__(self, db: Database, content: Callable[[str], ContentService]):
        self.db = db
        self.content = content
        self.versions = TableVersions([spec.model for spec in KINDS.values()])
        # (the owner's view?, day) -> (tables' version, items)
        self._records: dict[bool, tuple[tuple[int, int], list[Record]]] = {}  # the owner's view? -> records

    async def records(self, actor: Actor) -> list[Record]:
        """Every item the actor may see, all fields (kept until a write anywhere changes the tables)."""
        async with self.db.read() as session:
            version = await self.versions.version(session)
        kept = self._records.get(actor.is_owner)
        if kept is not None and kept[0] == version:
            return list(kept[1])
        records: list[Record] = []
        for kind, spec in KINDS.items():
            content, offset = self.content(kind), 0
            while True:
                page = await content.list(actor, limit=PAGE, offset=offset)
                records += [Record(kind, item.slug, spec.title_of(item),
                                   spec.out.model_validate(item).model_dump(mode="json"), bool(item.is_public))
                            for item in page.items]
                offset += PAGE
                if offset >= page.total:
                    break
        self._records[actor.is_owner] = (version, records)
        return list(records)
