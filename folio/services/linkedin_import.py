"""LinkedIn's data export into the portfolio: `Profile.csv` merges into the profile, `Positions.csv`
creates the roles (experience) and, imported again, updates only what LinkedIn carries (idempotent by
slug: "<title>-<organisation>", as the experience spec makes it). `folio import <export folder>` and
`folio import Positions.csv` come here through PortabilityService.import_path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from folio.actor import Actor
from folio.content_files import Problem
from folio.kinds import EXPERIENCE, PROFILE, PROFILE_SLUG
from folio.linkedin_positions import FILE_NAME as POSITIONS
from folio.linkedin_positions import parse_positions_csv
from folio.services import Services
from folio.services.portability import ImportReport
from folio.slugs import slugify

PROFILE_CSV = "Profile.csv"
FILES = (PROFILE_CSV, POSITIONS)


def linkedin_files(path: Path) -> dict[str, Path] | None:
    """The LinkedIn export files at PATH (a folder holding them, or one of them), or None."""
    if path.is_file():
        return {path.name: path} if path.name in FILES else None
    found = {name: path / name for name in FILES if (path / name).is_file()} if path.is_dir() else {}
    return found or None


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig")


class LinkedInImport:
    def __init__(self, services: Services):
        self.services = services

    async def import_files(self, actor: Actor, found: dict[str, Path]) -> ImportReport:
        actor.require_owner()
        report = ImportReport()
        if PROFILE_CSV in found:
            had = await self.services.profile.find() is not None
            await self.services.profile.import_linkedin(actor, _read(found[PROFILE_CSV]))
            (report.updated if had else report.created).append(f"{PROFILE.name}/{PROFILE_SLUG}")
        if POSITIONS in found:
            await self.import_positions(actor, _read(found[POSITIONS]), report)
        return report

    async def import_positions(self, actor: Actor, csv_text: str,
                               report: ImportReport | None = None) -> ImportReport:
        """Create each role of a Positions.csv, or update the fields LinkedIn carries of the role with
        its slug; a row that is no valid role is skipped (reported)."""
        actor.require_owner()
        report = report if report is not None else ImportReport()
        rows, problems = parse_positions_csv(csv_text)
        report.skipped += [Problem(POSITIONS, p) for p in problems]
        service, seen = self.services.content(EXPERIENCE.name), set()
        for row in rows:
            slug = slugify(EXPERIENCE.slug_text(row))
            if slug in seen:  # the same title at the same place twice: the later stint by its year
                slug = f"{slug}-{row['started_on'].year}"
            seen.add(slug)
            try:
                data = EXPERIENCE.create.model_validate({**row, "slug": slug})
            except ValidationError as exc:
                report.skipped.append(Problem(POSITIONS, f"{row['title']} at {row['organisation']}: "
                                                         f"{exc.errors()[0]['msg']}"))
                continue
            outcome = await self._upsert(actor, service, slug, data, row)
            getattr(report, outcome).append(f"{EXPERIENCE.name}/{slug}")
        return report

    @staticmethod
    async def _upsert(actor: Actor, service: Any, slug: str, data: Any, row: dict[str, Any]) -> str:
        if not await service.exists(slug):
            await service.create(actor, data)
            return "created"
        current = await service.get(actor, slug)
        given = data.model_dump(include=set(row))
        changes = {k: v for k, v in given.items() if getattr(current, k) != v}
        if not changes:
            return "unchanged"
        await service.update(actor, slug, EXPERIENCE.update.model_validate(changes))
        return "updated"
