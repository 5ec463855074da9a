"""The owner's profile: who the portfolio belongs to. One row; everyone reads it, the owner writes it.

Every field is public (the owner writes it to be read): there is no e-mail field, so an address is
only shown when the owner put one in `links` (mailto:) or `contact`. A write keeps the search index
in step in the same transaction; when the embedder is down the profile is still saved, found by full
text at once and embedded later (as every kind, folio.services.indexing)."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from data.db import Database
from data.models import Profile
from data.repositories.profile import ProfileRepository
from folio.actor import Actor
from folio.errors import NotFound, PermissionDenied, ValidationFailed
from folio.linkedin import parse_profile_csv
from folio.kinds import PROFILE
from folio.schemas_profile import MAX_LINKS, ProfileIn
from folio.services.content import Indexer

NO_PROFILE = "the owner has not written a profile yet"


class ProfileService:
    def __init__(self, db: Database, indexer: Indexer | None = None):
        self.db = db
        self.repo = ProfileRepository()
        self.indexer = indexer

    # ---- reads -------------------------------------------------------------------------------
    async def find(self) -> Profile | None:
        """The profile, or None when the owner has not written one."""
        async with self.db.read() as session:
            return await self.repo.get(session)

    async def get(self, actor: Actor) -> Profile:
        """The public profile (every field is public); NotFound before the owner writes one."""
        profile = await self.find()
        if profile is None:
            raise NotFound(NO_PROFILE)
        return profile

    async def welcome(self, welcome: str) -> str:
        """The visitor's welcome, opened by the owner's name and headline when there is a profile."""
        return welcome_text(await self.find(), welcome)

    # ---- writes ------------------------------------------------------------------------------
    async def put(self, actor: Actor, data: ProfileIn) -> Profile:
        async with self.db.unit_of_work() as session:
            return await self.put_in(session, actor, data)

    async def put_in(self, session: AsyncSession, actor: Actor, data: ProfileIn) -> Profile:
        """put() inside the caller's transaction (a confirmed change, an import)."""
        _require_owner(actor)
        profile = await self.repo.upsert(session, _values(data))
        await self._index(session, profile)
        return profile

    async def update(self, actor: Actor, changes: dict) -> Profile:
        """Change some fields of the profile (the owner's chat: "set my location to Berlin"); creating
        one this way needs a name."""
        _require_owner(actor)
        async with self.db.unit_of_work() as session:
            current = await self.repo.get_for_update(session)
            if current is None and "name" not in changes:
                raise NotFound(NO_PROFILE)
            values = _values_of(current) if current is not None else {}
            return await self.put_in(session, actor, validated({**values, **changes}))

    async def import_linkedin(self, actor: Actor, csv_text: str) -> Profile:
        """Merge a LinkedIn Profile.csv into the profile: its name, headline, summary and location
        replace the current ones when given, its websites are added to the links; what LinkedIn does not
        carry (availability, contact preference) is kept."""
        _require_owner(actor)
        found = parse_profile_csv(csv_text)
        async with self.db.unit_of_work() as session:
            current = await self.repo.get_for_update(session)
            values = _values_of(current) if current is not None else {}
            known = {link["url"] for link in values.get("links", [])}
            links = [*values.get("links", []), *(link for link in found.pop("links", []) if link["url"] not in known)]
            data = validated({**values, **found, "links": links[:MAX_LINKS]}, "the LinkedIn profile")
            return await self.put_in(session, actor, data)

    async def seed(self, data: ProfileIn) -> bool:
        """Create the profile unless one exists (the demo seed); True when it was created."""
        async with self.db.unit_of_work() as session:
            created = await self.repo.insert_if_absent(session, _values(data))
            if created:
                await self._index(session, await self.repo.get(session))
            return created

    async def _index(self, session: AsyncSession, profile: Profile) -> None:
        if self.indexer is not None:
            await self.indexer.index(session, PROFILE, profile)


def validated(values: dict, what: str = "the profile") -> ProfileIn:
    """ProfileIn from plain values; a typed ValidationFailed (422) naming the first bad field."""
    try:
        return ProfileIn.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValidationFailed(f"{what} cannot be saved: {where}: {first['msg'].removeprefix('Value error, ')}",
                               details={"field": where}) from exc


def _require_owner(actor: Actor) -> None:
    if not actor.is_owner:
        raise PermissionDenied("only the portfolio owner can change the profile")


def _values(data: ProfileIn) -> dict:
    return data.model_dump(mode="json")


def _values_of(profile: Profile) -> dict:
    return {name: getattr(profile, name) for name in ProfileIn.model_fields}


WELCOME_LINE = "This is the portfolio of **{name}**{headline}."


def welcome_text(profile: Profile | None, welcome: str) -> str:
    """The visitor's welcome: who the portfolio belongs to (name and headline), then `welcome`."""
    if profile is None:
        return welcome
    headline = f", {profile.headline}" if profile.headline else ""
    return WELCOME_LINE.format(name=profile.name, headline=headline) + "\n\n" + welcome
