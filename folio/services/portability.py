"""Import and export the whole portfolio (Markdown with YAML front matter, or JSON).

Import validates every item first (schema, service rules, duplicate slugs) and writes nothing
when any is invalid, unless told to skip the invalid ones. It then creates or updates each item
by slug through the content services, so slugs, validation and search indexing behave exactly
as they do for REST and chat; items that already match are left alone. Export writes the same
format back out, and an export imported into an empty portfolio exports to the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from folio import content_files as files
from folio import content_writing as writing
from folio.actor import Actor
from folio.content_files import Problem
from folio.errors import DomainError, ValidationFailed
from folio.kinds import KINDS, PROFILE, PROFILE_SLUG, KindSpec, spec_of
from folio.services import Services
from folio.slugs import slugify

# progress(done, total, label) after each item is written or exported.
Progress = Callable[[int, int, str], None]


class ImportRejected(ValidationFailed):
    """Some files are invalid and nothing was written; details["problems"] lists each one."""

    code = "import_rejected"


@dataclass
class Record:
    spec: KindSpec
    slug: str
    data: BaseModel
    source: str


@dataclass
class Checked:
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


@dataclass
class ExportReport:
    path: Path
    counts: dict[str, int]


def _reason(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        message = err["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _fields(spec: KindSpec) -> list[str]:
    """The portable fields of a kind: what its create schema accepts, in schema order."""
    return list(spec.create.model_fields)


class PortabilityService:
    def __init__(self, services: Services):
        self.services = services

    # ---- validation (no database) ------------------------------------------------------------
    def check(self, path: Path) -> Checked:
        """Read and validate everything under PATH; every problem is reported, nothing is written."""
        read = files.read_path(path)
        checked = Checked(problems=list(read.problems), files=read.files)
        seen: dict[tuple[str, str], Record] = {}
        duplicates: set[str] = set()
        for raw in read.items:
            spec = spec_of(raw.kind)
            fields = dict(raw.fields)
            if not fields.get("slug") and raw.name and spec is not PROFILE:
                fields["slug"] = slugify(raw.name)
            try:
                data = spec.create.model_validate(fields)
            except ValidationError as exc:
                checked.problems.append(Problem(raw.source, _reason(exc)))
                continue
            try:
                if spec is not PROFILE:
                    self.services.content(spec.name).check(data)
            except DomainError as exc:
                checked.problems.append(Problem(raw.source, exc.message))
                continue
            slug = PROFILE_SLUG if spec is PROFILE else data.slug or slugify(spec.slug_text(data.model_dump()))
            record = Record(spec, slug, data, raw.source)
            first = seen.setdefault((spec.name, slug), record)
            if first is not record:
                for dup in (first, record):
                    if dup.source not in duplicates:
                        duplicates.add(dup.source)
                        checked.problems.append(Problem(
                            dup.source, f"{spec.name} slug '{slug}' appears more than once in this import"))
                continue
            checked.records.append(record)
        checked.records = [r for r in checked.records if r.source not in duplicates]
        return checked

    # ---- import ------------------------------------------------------------------------------
    async def import_path(self, actor: Actor, path: Path, *, skip_invalid: bool = False,
                          progress: Progress | None = None) -> ImportReport:
        actor.require_owner()
        from folio.services.linkedin_import import LinkedInImport, linkedin_files  # it builds on this module

        if (export := linkedin_files(path)) is not None:  # LinkedIn's data export (Profile.csv, Positions.csv)
            return await LinkedInImport(self.services).import_files(actor, export)
        checked = self.check(path)
        if checked.problems and not skip_invalid:
            count = len(checked.problems)
            raise ImportRejected(
                f"nothing imported: {count} problem{'s' if count != 1 else ''} in {path}",
                details={"problems": [{"source": p.source, "reason": p.reason} for p in checked.problems]})
        report = ImportReport(skipped=list(checked.problems))
        total = len(checked.records)
        for done, record in enumerate(checked.records, start=1):
            outcome = await self._upsert(actor, record)
            getattr(report, outcome).append(f"{record.spec.name}/{record.slug}")
            if progress:
                progress(done, total, f"{record.spec.plural}/{record.slug}")
        return report

    async def _upsert(self, actor: Actor, record: Record) -> str:
        if record.spec is PROFILE:
            current = await self.services.profile.find()
            if current is not None and self._snapshot(PROFILE, current) == record.data.model_dump():
                return "unchanged"
            await self.services.profile.put(actor, record.data)
            return "created" if current is None else "updated"
        service = self.services.content(record.spec.name)
        values = record.data.model_dump()
        values["slug"] = record.slug
        if not await service.exists(record.slug):
            await service.create(actor, record.spec.create.model_validate(values))
            return "created"
        current = await service.get(actor, record.slug)
        if self._snapshot(record.spec, current) == values:
            return "unchanged"
        values.pop("slug")
        await service.update(actor, record.slug, record.spec.update.model_validate(values))
        return "updated"

    # ---- export ------------------------------------------------------------------------------
    def _snapshot(self, spec: KindSpec, item: Any) -> dict[str, Any]:
        return {name: getattr(item, name) for name in _fields(spec)}

    async def snapshot(self, actor: Actor) -> dict[str, list[dict[str, Any]]]:
        """Every item of every kind (drafts included), as portable fields, sorted by slug."""
        actor.require_owner()
        everything: dict[str, list[dict[str, Any]]] = {}
        for kind, spec in KINDS.items():
            items = await self.services.content(kind).everything(actor)
            everything[kind] = [self._snapshot(spec, item) for item in items]
        if (profile := await self.services.profile.find()) is not None:  # only when there is one
            everything[PROFILE.name] = [self._snapshot(PROFILE, profile)]
        return everything

    async def export_path(self, actor: Actor, path: Path, *, overwrite: bool = False,
                          progress: Progress | None = None) -> ExportReport:
        """Write the portfolio to PATH: a .json file, or a folder of Markdown files."""
        as_json = files.is_json_path(path)
        self._check_target(path, as_json, overwrite)
        everything = await self.snapshot(actor)
        counts = {spec_of(k).plural: len(v) for k, v in everything.items()}
        total = sum(counts.values())
        if as_json:
            writing.write_file(path, writing.json_text(everything))
            if progress:
                progress(total, total, path.name)
            return ExportReport(path, counts)
        done = 0
        for kind, items in everything.items():
            for fields in items:
                writing.write_file(writing.markdown_path(path, kind, fields.get("slug", PROFILE_SLUG)),
                                 writing.markdown_text(kind, fields))
                done += 1
                if progress:
                    progress(done, total, f"{spec_of(kind).plural}/{fields.get('slug', PROFILE_SLUG)}")
        return ExportReport(path, counts)

    @staticmethod
    def _check_target(path: Path, as_json: bool, overwrite: bool) -> None:
        if as_json:
            if path.is_dir():
                raise ValidationFailed(f"{path} is a folder; a JSON export needs a file name")
            if path.exists() and not overwrite:
                raise ValidationFailed(f"{path} exists; pass --force to overwrite it")
            return
        if path.exists() and not path.is_dir():
            raise ValidationFailed(f"{path} is a file; a Markdown export needs a folder (or a .json name)")
        if path.is_dir() and any(path.iterdir()) and not overwrite:
            raise ValidationFailed(f"{path} is not empty; pass --force to write into it")
