"""The profile beside the three kinds: one item (slug "me"), searchable and citable like them.

It is no KindSpec in KINDS (it has no list, no create or delete); `spec_of` answers for any item type
a search chunk can carry."""

from __future__ import annotations

from dataclasses import dataclass

from data.models import Profile
from folio.kinds import KINDS, KindSpec
from folio.schemas_profile import ProfileIn, ProfileOut

PROFILE_SLUG = "me"


@dataclass(frozen=True)
class SingletonSpec(KindSpec):
    def url_of(self, slug: str) -> str:
        return f"/api/v1/{self.plural}"


PROFILE = SingletonSpec("profile", "profile", Profile, ProfileIn, ProfileIn, ProfileOut, "name", frozenset({"name"}))


def spec_of(item_type: str) -> KindSpec:
    """The spec of a search chunk's item type (a kind, or the profile)."""
    return PROFILE if item_type == PROFILE.name else KINDS[item_type]
