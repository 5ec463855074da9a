"""Business rules for portfolio content: one service per kind (folio.kinds), shared by REST,
the agent's tools, the CLI and the demo seed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from data.db import Database
from data.repositories import ContentRepository, ListQuery
from folio.actor import Actor
from folio.errors import NotFound, SlugConflict, ValidationFailed
from folio.kinds import KindSpec
from folio.slugs import slugify

MAX_PAGE = 100


class Indexer(Protocol):
    """Keeps the search index in step with content (see folio.services.indexing)."""

    async def index(self, session: AsyncSession, spec: KindSpec, item: Any) -> None: ...

    async def remove(self, session: AsyncSession, spec: KindSpec, item: Any) -> None: ...


@dataclass
class Page:
    items: list[Any]
    total: int
    limit: int
    offset: int


def list_filters(spec: KindSpec, given: dict[str, Any]) -> dict[str, Any]:
    """The kind's list filters (folio.kinds) set in `given`, as keyword arguments of ContentService.list."""
    out: dict[str, dict[str, Any]] = {"equals": {}, "contains": {}}
    for f in spec.filters:
        if given.get(f.name) is not None:
            out[f.how][f.column] = given[f.name]
    return out


class ContentService:
    def __init__(self, spec: KindSpec, db: Database, indexer: Indexer | None = None):
        self.spec = spec
        self.db = db
        self.repo = ContentRepository(spec.model, spec.order())
        self.indexer = indexer

    # ---- reads -------------------------------------------------------------------------------
    async def list(self, actor: Actor, *, limit: int = 20, offset: int = 0, tag: str | None = None,
                   equals: dict[str, Any] | None = None, contains: dict[str, str] | None = None) -> Page:
        if not 1 <= limit <= MAX_PAGE:
            raise ValidationFailed(f"limit must be between 1 and {MAX_PAGE}")
        if offset < 0:
            raise ValidationFailed("offset must not be negative")
        query = ListQuery(limit=limit, offset=offset, public_only=not actor.is_owner, tag=tag,
                          equals={k: v for k, v in (equals or {}).items() if v is not None},
                          contains={k: v for k, v in (contains or {}).items() if v})
        async with self.db.read() as session:
            items, total = await self.repo.list(session, query)
        return Page(items, total, limit, offset)

    async def get(self, actor: Actor, slug: str) -> Any:
        async with self.db.read_connection() as conn:
            item = await self.repo.read_by_slug(conn, slug)
        return self._shown(actor, slug, item)

    async def by_id_in(self, session: AsyncSession, actor: Actor, item_id: Any) -> Any | None:
        """The item with this id (the owner sees every item), or None when it was deleted."""
        actor.require_owner()
        return await self.repo.get_by_id(session, item_id)

    async def _visible(self, session: AsyncSession, actor: Actor, slug: str) -> Any:
        return self._shown(actor, slug, await self.repo.get_by_slug(session, slug))

    def _shown(self, actor: Actor, slug: str, item: Any) -> Any:
        # Hidden content is reported as missing, so visitors cannot probe for drafts.
        if item is None or (not actor.is_owner and not item.is_public):
            raise NotFound(f"no {self.spec.name} with slug '{slug}'")
        return item

    # ---- writes ------------------------------------------------------------------------------
    async def create(self, actor: Actor, data: BaseModel) -> Any:
        async with self.db.unit_of_work() as session:
            return await self.create_in(session, actor, data)

    async def create_in(self, session: AsyncSession, actor: Actor, data: BaseModel) -> Any:
        """create() inside the caller's transaction (a confirmed change applies and closes in one)."""
        actor.require_owner()
        values = self._create_values(data)
        await self._ensure_free(session, values["slug"])
        item = await self._write(session, lambda: self.repo.add(session, values), values["slug"])
        await self._index(session, item)
        return item

    async def check_create(self, actor: Actor, data: BaseModel) -> dict[str, Any]:
        """The values create() would write, checked by the same rules; writes nothing."""
        actor.require_owner()
        values = self._create_values(data)
        async with self.db.unit_of_work() as session:
            await self._ensure_free(session, values["slug"])
        return values

    async def update(self, actor: Actor, slug: str, data: BaseModel) -> Any:
        async with self.db.unit_of_work() as session:
            return await self.update_in(session, actor, slug, data)

    async def update_in(self, session: AsyncSession, actor: Actor, slug: str, data: BaseModel) -> Any:
        """update() inside the caller's transaction."""
        actor.require_owner()
        item, changes = await self._prepare_update(session, actor, slug, data)
        item = await self._write(session, lambda: self.repo.update(session, item, changes),
                                 changes.get("slug") or slug)
        await self._index(session, item)
        return item

    async def check_update(self, actor: Actor, slug: str, data: BaseModel) -> tuple[Any, dict[str, Any]]:
        """The current item and the changes update() would write, checked by the same rules; writes nothing."""
        actor.require_owner()
        async with self.db.unit_of_work() as session:
            return await self._prepare_update(session, actor, slug, data)

    def _create_values(self, data: BaseModel) -> dict[str, Any]:
        values = data.model_dump()
        values["slug"] = values.get("slug") or slugify(self.spec.slug_text(values))
        self._apply_publish_rules(values, current=None)
        return values

    async def _ensure_free(self, session: AsyncSession, slug: str) -> None:
        if await self.repo.slug_exists(session, slug):
            raise SlugConflict(f"a {self.spec.name} with slug '{slug}' already exists", details={"slug": slug})

    async def _prepare_update(self, session: AsyncSession, actor: Actor, slug: str,
                              data: BaseModel) -> tuple[Any, dict[str, Any]]:
        changes = data.model_dump(exclude_unset=True)
        cleared = sorted(k for k, v in changes.items() if v is None and k in self.spec.required)
        if cleared:
            raise ValidationFailed(f"cannot clear required field(s): {', '.join(cleared)}",
                                   details={"fields": cleared})
        item = await self._visible(session, actor, slug)
        self._check_date_order(item, changes)
        new_slug = changes.get("slug")
        if new_slug and new_slug != item.slug:
            await self._ensure_free(session, new_slug)
        self._apply_publish_rules(changes, current=item)
        return item, changes

    async def delete(self, actor: Actor, slug: str) -> Any:
        async with self.db.unit_of_work() as session:
            return await self.delete_in(session, actor, slug)

    async def delete_in(self, session: AsyncSession, actor: Actor, slug: str) -> Any:
        """delete() inside the caller's transaction."""
        actor.require_owner()
        item = await self._visible(session, actor, slug)
        if self.indexer is not None:
            await self.indexer.remove(session, self.spec, item)
        await self.repo.delete(session, item)
        return item

    async def everything(self, actor: Actor) -> list[Any]:
        """Every item, hidden ones included, in slug order (for export): the owner only."""
        actor.require_owner()
        async with self.db.unit_of_work() as session:
            return await self.repo.all_by_slug(session)

    async def exists(self, slug: str) -> bool:
        async with self.db.read() as session:
            return await self.repo.slug_exists(session, slug)

    async def count(self) -> int:
        async with self.db.read() as session:
            return await self.repo.count(session)

    # ---- rules -------------------------------------------------------------------------------
    def check(self, data: BaseModel) -> None:
        """Raise ValidationFailed if create() would refuse DATA for a rule beyond its schema.

        Lets a bulk writer (import) find every bad item before it writes any."""
        self._apply_publish_rules(data.model_dump(), current=None)

    def _check_date_order(self, item: Any, changes: dict[str, Any]) -> None:
        if self.spec.date_order is None:
            return
        first, last = self.spec.date_order
        start, end = (changes.get(f, getattr(item, f)) for f in (first, last))
        if start and end and end < start:
            raise ValidationFailed(f"{last} must not be before {first}", details={"fields": [first, last]})

    def _apply_publish_rules(self, values: dict[str, Any], current: Any) -> None:
        """A kind with a publication stamp (posts): publishing needs its text (publish_needs) and stamps
        the time once; unpublishing clears it."""
        spec = self.spec
        if spec.published_stamp is None or spec.publish is None:
            return
        (state, published), = spec.publish.items()
        if state not in values:
            return
        if values[state] == published:
            needed = spec.publish_needs
            if needed:
                text = values.get(needed, getattr(current, needed) if current is not None else "")
                if not (text or "").strip():
                    raise ValidationFailed(f"a {spec.name} needs a {needed} before it can be published")
            if values.get(spec.published_stamp):
                return
            stamp = getattr(current, spec.published_stamp) if current is not None else None
            already = current is not None and current.is_public and stamp
            values[spec.published_stamp] = stamp if already else datetime.now(UTC)
        else:
            values[spec.published_stamp] = None

    async def _write(self, session: AsyncSession, op, slug: str) -> Any:
        try:
            async with session.begin_nested():
                return await op()
        except IntegrityError as exc:  # a concurrent writer took the slug between check and insert
            raise SlugConflict(f"a {self.spec.name} with slug '{slug}' already exists",
                               details={"slug": slug}) from exc

    async def _index(self, session: AsyncSession, item: Any) -> None:
        if self.indexer is not None:
            await self.indexer.index(session, self.spec, item)
