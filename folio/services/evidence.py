"""Portfolio items as evidence for an answer: what the item is called (by its kind), its readable page,
one line about it, its structured facts, and the words an answer about it may use."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from folio.kinds import KINDS, spec_of
from folio.services.questions import stem, words

SUMMARY_CHARS = 200
TEXT_CHARS = 2500
DETAIL_CHARS = 400


def _shorten(text: str | None, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class Evidence:
    kind: str
    slug: str
    title: str
    page: str  # the readable page (/p/project/ferrox): what citations link to
    api: str  # the REST url (/api/v1/projects/ferrox): for machines
    summary: str  # one line
    facts: tuple[str, ...]  # tech, tags, dates, issuer, expiry
    links: tuple[tuple[str, str], ...]  # ("repository", url), ("live site", url), ("credential", url)
    terms: tuple[str, ...]  # tech stack and tags, lower case
    text: str  # title, summary, facts and body: what a sentence about the item may rest on
    detail: str = ""  # the start of the body, for the model
    expired: bool = False
    dated: str = ""  # ISO date that makes it "the latest" of its kind (published, started, issued)

    @property
    def noun(self) -> str:
        """What its kind calls one item ("project", "role"; folio.kinds)."""
        spec = spec_of(self.kind)
        return spec.called if spec is not None else self.kind

    @property
    def name(self) -> str:
        """How answers call it: "the project Ferrox", "the post ...", "the role ..."."""
        return f"the {self.noun} {self.title}"

    def link(self) -> str:
        return f"[{self.title}]({self.page})"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        fields = dict(data)
        fields["facts"] = tuple(fields.get("facts", ()))
        fields["links"] = tuple(tuple(pair) for pair in fields.get("links", ()))
        fields["terms"] = tuple(fields.get("terms", ()))
        return cls(**fields)

    def light(self) -> Evidence:
        """Only what names the item (for spotting it in an answer it must not be in)."""
        return Evidence(self.kind, self.slug, self.title, self.page, self.api, "", (), (), (), "")

    def stems(self) -> set[str]:
        """Its words, stemmed; a hyphenated word also as its parts ("machine-learning": machine, learning)."""
        found = words(self.text)
        return {stem(w) for w in [*found, *(part for w in found if "-" in w for part in w.split("-") if part)]}


def evidence_of(kind: str, item: Any, today: date | None = None) -> Evidence:
    spec = KINDS[kind]
    said = spec.evidence(item, today or date.today())
    facts, terms, expired = said.facts, said.terms, said.expired
    links = [(label, url) for label, url in said.links if url]
    title = spec.title_of(item)
    when = getattr(item, spec.recency_field) if spec.recency_field else None
    one_line = _shorten(spec.summary_of(item), SUMMARY_CHARS)
    text = " ".join([title, one_line, *facts, spec.body_of(item)])
    return Evidence(kind=kind, slug=item.slug, title=title, page=spec.page_of(item.slug), api=spec.url_of(item.slug),
                    summary=one_line, facts=tuple(facts), links=tuple(links),
                    terms=tuple(t.lower() for t in terms if t), text=_shorten(text, TEXT_CHARS), expired=expired,
                    detail=_shorten(spec.body_of(item), DETAIL_CHARS), dated=when.isoformat()[:10] if when else "")


def supports(item: Evidence, subject: list[str]) -> float:
    """Share of the subject's words (stemmed) that the item's text contains."""
    if not subject:
        return 0.0
    have = item.stems()
    return sum(stem(w) in have for w in subject) / len(subject)
