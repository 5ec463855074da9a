"""Imports from GitHub and blog feeds: read a source, show what would change (a preview), write only what
the owner confirmed, and keep imported items in step later without overwriting the owner's edits.

Every write goes through the kinds' ContentService (the same rules, slugs and embedding on write as a
REST write), one item per transaction: an error part-way (a network error, a rate limit) keeps every
item written before it. The source's HTTP validators are saved only once a run has finished, so a run
that stopped is read again in full next time."""

from __future__ import annotations

import contextlib
import logging
import uuid
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from data.db import Database
from folio.actor import Actor
from folio.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from folio.kinds import KINDS
from folio.services.content import ContentService
from folio.services.importing.asking import ImportAsk, github_user_in
from folio.services.importing.feeds import FeedSource, check_url
from folio.services.importing.github import GitHubSource, parse_target
from folio.services.importing.merge import current_values, merge, synced
from folio.services.importing.preview import ConflictView, ImportPreview, ImportReport, Planned, Removed
from folio.services.importing.records import Candidate, Fetched, tell
from folio.services.importing.state import REPOSITORY, SKIPPED, request_validators, validators_of
from folio.slugs import slugify

log = logging.getLogger(__name__)

PREVIEW_TTL = timedelta(minutes=30)
PREVIEWS_KEPT = 50
#: Hook for new items a sync brought (the notifier's outbox): (session, source, [(kind, slug, title)]).
NewItemsHook = Callable[[AsyncSession, str, list[tuple[str, str, str]]], Awaitable[None]]


@dataclass(frozen=True)
class GitHubConfig:
    api_url: str | None = None  # None: the public API
    token: str | None = None


def source_key(source: str) -> str:
    """The canonical name of a source: "github:USER" (or "github:USER/REPO") or "feed:URL". A github.com
    address is a GitHub source; any other http(s) address a feed."""
    text = source.strip()
    lowered = text.lower()
    if lowered.startswith("github:"):
        user, repo = parse_target(text[len("github:"):])
        return f"github:{user.lower()}" + (f"/{repo.lower()}" if repo else "")
    if lowered.startswith("feed:"):
        return "feed:" + check_url(text[len("feed:"):])
    if lowered.startswith(("https://github.com/", "http://github.com/", "github.com/")):
        return source_key("github:" + text)
    if lowered.startswith(("http://", "https://")):
        return "feed:" + check_url(text)
    raise ValidationFailed(f"“{source}” is not an import source: give github:USER, github:USER/REPO or feed:URL")


def lock_key(key: str) -> int:
    return zlib.crc32(("folio-import:" + key).encode())


class ImportService:
    def __init__(self, db: Database, content: Callable[[str], ContentService], github: GitHubConfig | None = None,
                 feed_client: Any = None, profile: Any = None):
        self.db = db
        self.content = content
        self.github = github or GitHubConfig()
        self.profile = profile  # ProfileService: the owner's GitHub user from the profile's links
        self.feed_client = feed_client
        self.previews: dict[str, ImportPreview] = {}
        self.on_new_items: list[NewItemsHook] = []

    async def source_asked(self, actor: Actor, ask: ImportAsk) -> str:
        """The source an owner's import request names; "my GitHub repos" is the GitHub user in the profile's
        links (https://github.com/USER)."""
        actor.require_owner()
        if ask.source is not None:
            return source_key(ask.source)
        profile = await self.profile.find() if self.profile is not None else None
        user = github_user_in(profile.links if profile is not None else None)
        if user is None:
            raise ValidationFailed("which GitHub account? Say “import github:USER”, or add https://github.com/USER "
                                   "to your profile's links")
        return f"github:{user.lower()}"

    # ---- reading a source: the preview ------------------------------------------------------------
    async def preview(self, actor: Actor, source: str, *, humanise: bool = False, progress=None) -> ImportPreview:
        """What an import of SOURCE would do; nothing is written. Confirm it with apply(preview.id)."""
        actor.require_owner()
        target = source_key(source)
        key = target.split("/")[0] if target.startswith("github:") else target  # one repository: its owner's
        async with self.db.read() as session:
            validators = await validators_of(session, key)
            records = await REPOSITORY.items(session, key)
        fetched = await self._fetch(target, request_validators(validators, set(records)), humanise, progress)
        planned, removed = [], []
        if fetched.candidates is not None:  # (a 304 reads no item)
            async with self.db.read() as session:
                items = {ext: await self.content(r.kind).by_id_in(session, actor, r.item_id)
                         for ext, r in records.items()}
            skipped = set(validators.get(SKIPPED, []))
            for candidate in fetched.candidates:
                record, item = records.get(candidate.external_id), items.get(candidate.external_id)
                if record is None:
                    planned.append(Planned(candidate, "create",
                                           selected=candidate.selected and candidate.external_id not in skipped))
                elif item is not None:  # an imported item the owner deleted stays deleted
                    m = merge(record.source_values, current_values(record.kind, item),
                              synced(record.kind, candidate.values), record.conflicts)
                    action = "conflict" if m.conflicts else "update" if m.updates else "unchanged"
                    planned.append(Planned(candidate, action, slug=item.slug, updates=m.updates,
                                           conflicts=m.conflicts))
            if target == key:  # a whole source (not one repository): what it no longer lists
                seen = {c.external_id for c in fetched.candidates}
                removed = [Removed(r.kind, getattr(items.get(ext), "slug", None),
                                   KINDS[r.kind].title_of(items[ext]) if items.get(ext) is not None
                                   else str(r.source_values.get("title", ext)), ext)
                           for ext, r in records.items() if ext not in seen and r.removed_at is None]
        preview = ImportPreview.make(source=key, owner=actor.email or "", planned=planned, removed=removed,
                                     validators={**validators, **fetched.validators}, requests=fetched.requests,
                                     not_modified=fetched.candidates is None, created_at=datetime.now(UTC))
        self._keep(preview)
        return preview

    async def _fetch(self, key: str, validators: dict[str, Any], humanise: bool, progress) -> Fetched:
        if key.startswith("github:"):
            source = GitHubSource(self.github.api_url, self.github.token, humanise=humanise)
            return await source.fetch(key.removeprefix("github:"), validators, progress=progress)
        return await FeedSource(self.feed_client).fetch(key.removeprefix("feed:"), validators, progress=progress)

    def _keep(self, preview: ImportPreview) -> None:
        now = datetime.now(UTC)
        for pid in [p for p, v in self.previews.items() if now - v.created_at > PREVIEW_TTL]:
            del self.previews[pid]
        while len(self.previews) >= PREVIEWS_KEPT:
            del self.previews[next(iter(self.previews))]
        self.previews[preview.id] = preview

    def _take(self, actor: Actor, preview_id: str) -> ImportPreview:
        preview = self.previews.get(preview_id)
        if preview is None or datetime.now(UTC) - preview.created_at > PREVIEW_TTL:
            raise NotFound("this import preview has expired or was already confirmed: import again")
        if preview.owner != (actor.email or ""):
            raise PermissionDenied("this import preview belongs to another session")
        return self.previews.pop(preview_id)

    # ---- writing what the owner confirmed -----------------------------------------------------------
    async def apply(self, actor: Actor, preview_id: str, *, selected: set[str] | None = None,
                    publish: bool = False, progress=None) -> ImportReport:
        """Write the preview: the selected new items (drafts unless `publish`), the updates of fields the
        owner has not edited, conflicts kept for the owner, removed items reported (never deleted)."""
        actor.require_owner()
        preview = self._take(actor, preview_id)
        report = ImportReport(source=preview.source, requests=preview.requests, not_modified=preview.not_modified)
        if preview.not_modified:
            async with self.db.unit_of_work() as session:
                await REPOSITORY.save_validators(session, preview.source, preview.validators, datetime.now(UTC))
            return report
        skipped = set(preview.validators.get(SKIPPED, []))
        async with self._locked(preview.source):
            total = len(preview.planned)
            for done, plan in enumerate(preview.planned):
                candidate = plan.candidate
                await tell(progress, done, total, candidate.title)
                if plan.action == "create":
                    chosen = candidate.external_id in selected if selected is not None else plan.selected
                    if not chosen:
                        skipped.add(candidate.external_id)
                        report.skipped.append(candidate.title)
                        continue
                    skipped.discard(candidate.external_id)
                    await self._create(actor, preview.source, candidate, publish, report)
                else:
                    await self._sync(actor, preview.source, candidate, report)
            await tell(progress, total, total, "")
            async with self.db.unit_of_work() as session:
                records = await REPOSITORY.items(session, preview.source)
                gone = [records[r.external_id].id for r in preview.removed if r.external_id in records]
                await REPOSITORY.mark_removed(session, gone, datetime.now(UTC))
                await REPOSITORY.save_validators(session, preview.source,
                                                 {**preview.validators, SKIPPED: sorted(skipped)}, datetime.now(UTC))
        report.removed = preview.removed
        return report

    async def _create(self, actor: Actor, key: str, candidate: Candidate, publish: bool,
                      report: ImportReport) -> None:
        spec = KINDS[candidate.kind]
        service = self.content(candidate.kind)
        values = {k: v for k, v in candidate.values.items() if k in spec.create.model_fields}
        if candidate.kind == "post":
            values["status"] = "published" if publish else "draft"
            if not publish:
                values.pop("published_at", None)
        else:
            values["published"] = publish
        try:
            async with self.db.unit_of_work() as session:
                await REPOSITORY.ensure_source(session, key)
                values["slug"] = await self._free_slug(session, service, values)
                data = spec.create.model_validate(values)
                item = await service.create_in(session, actor, data)
                await REPOSITORY.add(session, key, candidate.external_id, candidate.kind, item.id,
                                     synced(candidate.kind, candidate.values))
        except ValidationError as exc:
            error = exc.errors()[0]
            report.skipped.append(f"{candidate.title}: {'.'.join(map(str, error['loc']))} {error['msg']}")
            return
        except DomainError as exc:
            report.skipped.append(f"{candidate.title}: {exc.message}")
            return
        except IntegrityError:  # another process imported it at the same moment
            report.skipped.append(f"{candidate.title}: imported meanwhile by another process")
            return
        report.created.append((candidate.kind, item.slug, spec.title_of(item)))

    @staticmethod
    async def _free_slug(session: AsyncSession, service: ContentService, values: dict[str, Any]) -> str:
        base = slugify(service.spec.slug_text(values))[:110].strip("-") or service.spec.name
        slug, n = base, 1
        while await service.repo.slug_exists(session, slug):
            n += 1
            slug = f"{base}-{n}"
        return slug

    async def _sync(self, actor: Actor, key: str, candidate: Candidate, report: ImportReport) -> None:
        spec = KINDS[candidate.kind]
        service = self.content(candidate.kind)
        try:
            async with self.db.unit_of_work() as session:
                record = await REPOSITORY.by_external(session, key, candidate.external_id)
                item = await service.by_id_in(session, actor, record.item_id) if record else None
                if record is None or item is None:
                    return
                m = merge(record.source_values, current_values(record.kind, item),
                          synced(record.kind, candidate.values), record.conflicts)
                if m.updates:
                    item = await service.update_in(session, actor, item.slug, spec.update.model_validate(m.updates))
                await REPOSITORY.save(session, record.id, source_values=m.base, conflicts=m.conflicts,
                                      removed_at=None)
        except ValidationError as exc:
            report.skipped.append(f"{candidate.title}: {exc.errors()[0]['msg']}")
            return
        except DomainError as exc:
            report.skipped.append(f"{candidate.title}: {exc.message}")
            return
        if m.updates:
            report.updated.append((candidate.kind, item.slug, sorted(m.updates)))
        else:
            report.unchanged += 1
        report.conflicts += [ConflictView(str(record.id), record.kind, item.slug, spec.title_of(item), name,
                                          current_values(record.kind, item).get(name), theirs)
                             for name, theirs in m.conflicts.items()]

    @contextlib.asynccontextmanager
    async def _locked(self, key: str) -> AsyncIterator[None]:
        """One import of a source at a time, across processes (a PostgreSQL advisory lock)."""
        async with self.db.unit_of_work() as session:
            if not await REPOSITORY.try_lock(session, lock_key(key)):
                raise Conflict(f"an import of {key} is running already; try again when it has finished")
            yield

    # ---- the whole round, unattended (scheduled sync) ---------------------------------------------
    async def sync(self, actor: Actor, source: str, progress=None) -> ImportReport:
        """Read SOURCE and apply it with the preview's defaults: new items as drafts (forks, archived and
        once-unselected ones left out), updates of unedited fields, conflicts kept for the owner. The
        notification hooks hear of new items."""
        preview = await self.preview(actor, source, progress=progress)
        report = await self.apply(actor, preview.id, progress=progress)
        if report.created and self.on_new_items:
            async with self.db.unit_of_work() as session:
                for hook in self.on_new_items:
                    await hook(session, report.source, report.created)
        return report

    # ---- conflicts ------------------------------------------------------------------------------
    async def conflicts(self, actor: Actor) -> list[ConflictView]:
        """Every field both the owner and a source changed, with both values."""
        actor.require_owner()
        out = []
        async with self.db.read() as session:
            for record in await REPOSITORY.with_conflicts(session):
                item = await self.content(record.kind).by_id_in(session, actor, record.item_id)
                if item is None:
                    continue
                spec, now = KINDS[record.kind], current_values(record.kind, item)
                out += [ConflictView(str(record.id), record.kind, item.slug, spec.title_of(item), name, now.get(name),
                                     theirs) for name, theirs in record.conflicts.items()]
        return out

    async def resolve(self, actor: Actor, record_id: str, field: str, *, accept: bool) -> ConflictView:
        """Accept the source's value of a conflicting field (it is written), or ignore it (the owner's value
        stays and this change of the source is not raised again)."""
        actor.require_owner()
        try:
            rid = uuid.UUID(str(record_id))
        except ValueError:
            raise NotFound("no such import conflict") from None
        async with self.db.unit_of_work() as session:
            record = await REPOSITORY.get(session, rid, for_update=True)
            if record is None or field not in record.conflicts:
                raise NotFound("no such import conflict (it may have been resolved already)")
            service, spec = self.content(record.kind), KINDS[record.kind]
            item = await service.by_id_in(session, actor, record.item_id)
            if item is None:
                raise NotFound("the imported item was deleted")
            theirs = record.conflicts[field]
            view = ConflictView(str(record.id), record.kind, item.slug, spec.title_of(item), field,
                                current_values(record.kind, item).get(field), theirs)
            if accept:
                item = await service.update_in(session, actor, item.slug, spec.update.model_validate({field: theirs}))
            conflicts = {k: v for k, v in record.conflicts.items() if k != field}
            await REPOSITORY.save(session, record.id, source_values={**record.source_values, field: theirs},
                                  conflicts=conflicts, removed_at=record.removed_at)
        return replace(view, slug=item.slug)
