"""The owner's profile: one item (slug "me"), searchable and citable like the kinds, but not one of KINDS
(it has no list, no create and no delete). `spec_of` (folio.kinds) answers for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from data.chunking import Document
from data.models import Profile
from folio.kinds.spec import KindSpec, VisitorFacts, present
from folio.schemas_profile import ProfileIn, ProfileOut

PROFILE_SLUG = "me"
PROFILE_FILE = "profile.md"  # its file in an export: top level (or any file with `type: profile`)


@dataclass(frozen=True, eq=False)
class SingletonSpec(KindSpec):
    """A kind with exactly one item: its REST url has no slug."""

    def url_of(self, slug: str) -> str:
        return f"/api/v1/{self.plural}"


def _work(p) -> str:
    return ("Open to work" + (f": {p.availability}" if p.availability else "")) if p.open_to_work else ""


def _profile_page(p, today: date) -> VisitorFacts:
    return VisitorFacts(present(f"Based in {p.location}" if p.location else "", _work(p),
                                f"Contact: {p.contact}" if p.contact else ""),
                        [(link["label"], link["url"]) for link in p.links or []], [])


def _profile_evidence(p, today: date) -> VisitorFacts:
    return VisitorFacts(present(f"based in {p.location}" if p.location else "", _work(p).lower(),
                                f"contact: {p.contact}" if p.contact else ""),
                        [(link["label"], link["url"]) for link in p.links or []], [])


def _keywords(p) -> tuple[str, ...]:
    return (p.location, p.availability if p.open_to_work else "", *(link["label"] for link in p.links or []))


PROFILE = SingletonSpec(
    "profile", "profile", Profile, ProfileIn, ProfileIn, ProfileOut,
    title_field="name", summary_field="headline", body_field="bio",
    text_fields=("headline", "bio", "location", "availability", "contact"),
    required=frozenset({"name"}),
    order=lambda: (),
    document=lambda p: Document(p.name, p.headline, _keywords(p), p.bio),
    facts=lambda p: present(f"based in {p.location}" if p.location else "", _work(p)),
    evidence=_profile_evidence, page=_profile_page,
    schema_type="Person", jsonld=lambda p, author: {"description": p.headline, "homeLocation": p.location},
    words=("profile", "bio", "about"), cues=(), terms_are_topics=False,
    writer_noun="profile bio",
    fields_help="name*, headline, bio, location, links, open_to_work, availability, contact",
    message_fields=("headline", "location", "availability", "contact"),
)
