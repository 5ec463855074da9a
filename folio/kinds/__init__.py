"""The kinds of portfolio content, each described once by a KindSpec (folio/kinds/<kind>.py). Everything
that differs between kinds (REST paths and schemas, the public rule, list order and filters, what is
searchable, how an item reads to a model and on its page, the words people use for it, the owner's
field help, publishing) comes from its spec. Adding a kind: one spec module, listed below; one model
(data/models.py, with its `is_public` hybrid); its schemas (folio/schemas.py); one migration."""

from __future__ import annotations

from typing import Literal

from folio.kinds.certification import CERTIFICATION
from folio.kinds.experience import EXPERIENCE
from folio.kinds.post import POST
from folio.kinds.profile import PROFILE, PROFILE_FILE, PROFILE_SLUG
from folio.kinds.project import PROJECT
from folio.kinds.spec import KindSpec, ListFilter, VisitorFacts

KINDS: dict[str, KindSpec] = {k.name: k for k in (PROJECT, POST, CERTIFICATION, EXPERIENCE)}
KIND_NAMES: tuple[str, ...] = tuple(KINDS)
# The kinds as a type, for tool and route arguments (built from KINDS, once).
KindName = Literal[KIND_NAMES]  # type: ignore[valid-type]
# Every text field of every kind (the find/replace tool's `field` argument).
TextField = Literal[tuple(dict.fromkeys(f for k in KINDS.values() for f in k.text_fields))]  # type: ignore[misc]
BY_PLURAL: dict[str, KindSpec] = {k.plural: k for k in KINDS.values()}


def spec_of(name: str) -> KindSpec | None:
    """The spec of anything a search chunk or a pending change can be about: a kind, or the profile."""
    return PROFILE if name == PROFILE.name else KINDS.get(name)


def fields_help() -> str:
    """The owner's tools' help on what each kind holds."""
    kinds = ". ".join(f"{k.name}: {k.fields_help}" for k in KINDS.values())
    return f"{kinds}. * required. Lists as arrays, dates YYYY-MM-DD."


def kind_named(word: str, *, synonyms: bool = True) -> KindSpec | None:
    """The kind a word names ("posts", "_posts", and with synonyms "cert", "article"...), or None."""
    word = word.lower().lstrip("_")
    return next((k for k in KINDS.values()
                 if word in (k.name, k.plural) or (synonyms and word in k.words)), None)


def kinds_text(conjunction: str, *, plural: bool = False) -> str:
    """The kinds in words: "projects, posts and certifications", "project, post or certification"."""
    names = [k.plural if plural else k.name for k in KINDS.values()]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


__all__ = ["BY_PLURAL", "CERTIFICATION", "EXPERIENCE", "KINDS", "KIND_NAMES", "POST", "PROFILE", "PROFILE_FILE", "PROFILE_SLUG",
           "PROJECT", "spec_of", "KindName", "KindSpec", "ListFilter",
           "TextField", "VisitorFacts", "fields_help", "kind_named", "kinds_text"]
