"""The owner's CV, put together from what visitors may see: the profile, the published work history,
the featured published projects and the certifications valid today. Nothing unpublished can reach it:
it is read through the visitors' catalogue. The owner turns it off with the profile's `cv_enabled`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from folio.actor import VISITOR
from folio.errors import NotFound
from folio.services.catalogue import Catalogue, Record
from folio.services.profile import ProfileService

CV_PAGE, CV_PDF = "/cv", "/cv.pdf"
HIGHLIGHTS = 4
NO_CV = "there is no CV here (the owner has not written a profile, or has turned the CV off)"


@dataclass(frozen=True)
class Role:
    title: str
    organisation: str
    started_on: date | None
    ended_on: date | None
    location: str = ""
    summary: str = ""
    highlights: tuple[str, ...] = ()

    @property
    def current(self) -> bool:
        return self.ended_on is None


@dataclass(frozen=True)
class ProjectLine:
    title: str
    summary: str
    tech: tuple[str, ...] = ()
    url: str = ""


@dataclass(frozen=True)
class CertificationLine:
    name: str
    issuer: str
    issued_on: date | None
    expires_on: date | None


@dataclass
class Cv:
    name: str
    headline: str
    location: str
    bio: str
    contact: str
    links: list[tuple[str, str]] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    projects: list[ProjectLine] = field(default_factory=list)
    certifications: list[CertificationLine] = field(default_factory=list)


class CvService:
    def __init__(self, profile: ProfileService, catalogue: Catalogue):
        self.profile = profile
        self.catalogue = catalogue

    async def offered(self) -> bool:
        """Whether /cv exists: a profile with the CV turned on."""
        found = await self.profile.find()
        return found is not None and found.cv_enabled

    async def cv(self, today: date | None = None) -> Cv:
        today = today or date.today()
        found = await self.profile.find()
        if found is None or not found.cv_enabled:
            raise NotFound(NO_CV)
        records = [r for r in await self.catalogue.records(VISITOR) if r.public]
        return Cv(name=found.name, headline=found.headline, location=found.location, bio=found.bio,
                  contact=found.contact,
                  links=[(link["label"], link["url"]) for link in found.links or []],
                  roles=sorted((_role(r) for r in records if r.kind == "experience"),
                               key=lambda role: (role.current, role.ended_on or date.max, role.started_on or date.min),
                               reverse=True),
                  projects=[_project(r) for r in records if r.kind == "project" and r.values.get("featured")],
                  certifications=sorted((c for c in (_certification(r) for r in records if r.kind == "certification")
                                         if _valid(c, today)), key=lambda c: c.issued_on or date.min, reverse=True))


def _day(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _role(r: Record) -> Role:
    v = r.values
    return Role(str(v.get("title") or ""), str(v.get("organisation") or ""), _day(v.get("started_on")),
                _day(v.get("ended_on")), str(v.get("location") or ""), str(v.get("summary") or ""),
                tuple(str(h) for h in (v.get("highlights") or [])[:HIGHLIGHTS]))


def _project(r: Record) -> ProjectLine:
    v = r.values
    return ProjectLine(r.title, str(v.get("summary") or ""), tuple(v.get("tech_stack") or ()),
                       str(v.get("live_url") or v.get("repo_url") or ""))


def _certification(r: Record) -> CertificationLine:
    v = r.values
    return CertificationLine(r.title, str(v.get("issuer") or ""), _day(v.get("issued_on")), _day(v.get("expires_on")))


def _valid(c: CertificationLine, today: date) -> bool:
    return (c.expires_on is None or c.expires_on >= today) and (c.issued_on is None or c.issued_on <= today)
