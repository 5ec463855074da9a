"""Which item the owner means: "my Postgres post", "the Harbour Watch project", "the AWS cert", "the post
with the typo Postgress". Resolving a description to an item is folio's job, not the chat model's: the
model only repeats the owner's words, and this service finds the item by its title and slug (fuzzy,
word by word), by the portfolio search (full text and vectors), or by the text it contains. One clear
match is used; otherwise the two or three closest are offered for the owner to pick (buttons), so no
slug is ever typed by a model.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from folio.actor import Actor
from folio.errors import DomainError
from folio.kinds import KINDS
from folio.services.content import ContentService
from folio.services.search import SearchService

OFFERED = 3  # candidates shown when no single item clearly matches
CLEAR = 0.6  # a best score at least this high ...
LEAD = 0.25  # ... and this far ahead of the next one is a clear match
WEAK = 0.3  # below this a title match is no match
SEARCH_WEIGHT = 0.35  # what the portfolio search adds to the best hit (less for the next ones)
# Words that say what kind of thing is meant, or are filler, never part of a name.
FILLER = frozenset("""a an the my our your this that these those of on in about for to with from and or by at it its
called named titled item entry one please typo typos word text page delete remove publish fix change
update set mark make rename hide show add edit i me is are was has have should be now new""".split()) | {
    w for spec in KINDS.values() for w in spec.words}
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Candidate:
    kind: str
    slug: str
    title: str
    score: float
    field: str | None = None  # for a text match: the field holding the text
    found: str | None = None  # for a text match: the text as the item has it (its case may differ)


@dataclass(frozen=True)
class Resolution:
    match: Candidate | None  # the one item meant, when it is clear
    candidates: list[Candidate]  # otherwise the closest ones, best first (may be empty)


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in FILLER]


def _word_score(wanted: str, have: Iterable[str]) -> float:
    """1 for the same word, less for a prefix ("postgres" / "postgresql") or a near spelling."""
    best = 0.0
    for word in have:
        if word == wanted:
            return 1.0
        if len(wanted) >= 3 and (word.startswith(wanted) or wanted.startswith(word) and len(word) >= 3):
            best = max(best, 0.85)
        elif len(wanted) >= 4:
            ratio = difflib.SequenceMatcher(None, wanted, word).ratio()
            if ratio >= 0.8:
                best = max(best, ratio * 0.9)
    return best


def title_score(description: str, title: str, slug: str) -> float:
    """How well the owner's words name this item: the share of their words found in its title or slug."""
    wanted = words(description)
    if not wanted:
        return 0.0
    norm = " ".join(wanted)
    if norm == " ".join(words(title)) or norm.replace(" ", "-") == slug:
        return 1.0
    have = set(_WORD.findall(title.lower())) | set(slug.split("-"))
    return sum(_word_score(w, have) for w in wanted) / len(wanted)


class ItemResolver:
    def __init__(self, content: Callable[[str], ContentService], search: SearchService | None = None):
        self.content = content
        self.search = search

    async def _items(self, actor: Actor, kind: str | None) -> list[tuple[str, Any]]:
        kinds = [kind] if kind in KINDS else list(KINDS)
        return [(k, item) for k in kinds for item in await self.content(k).everything(actor)]

    async def resolve(self, actor: Actor, description: str, kind: str | None = None) -> Resolution:
        """The item `description` names (in the owner's words), or the closest candidates."""
        actor.require_owner()
        description = (description or "").strip()[:300]
        if not words(description):
            return Resolution(None, [])
        scores: dict[tuple[str, str], Candidate] = {}
        for k, item in await self._items(actor, kind):
            title = KINDS[k].title_of(item)
            score = title_score(description, title, item.slug)
            if score >= WEAK:
                scores[(k, item.slug)] = Candidate(k, item.slug, title, score)
        for rank, hit in enumerate(h for h in await self._search(actor, description, kind) if h.type in KINDS):
            bonus = SEARCH_WEIGHT / (1 + rank)
            old = scores.get((hit.type, hit.slug))
            scores[(hit.type, hit.slug)] = Candidate(hit.type, hit.slug, hit.title, (old.score if old else 0) + bonus)
        return decide(sorted(scores.values(), key=lambda c: -c.score))

    async def _search(self, actor: Actor, description: str, kind: str | None) -> list[Any]:
        if self.search is None:
            return []
        try:
            return await self.search.search(actor, " ".join(words(description)) or description, limit=OFFERED,
                                            kind=kind if kind in KINDS else None)
        except DomainError:
            return []

    async def containing(self, actor: Actor, text: str, kind: str | None = None,
                         description: str = "") -> Resolution:
        """Items whose text holds `text` exactly (a typo to fix), narrowed by `description` when several do."""
        actor.require_owner()
        if not text or not text.strip():
            return Resolution(None, [])
        found: list[Candidate] = []
        items = await self._items(actor, kind)
        for exact in (True, False):  # the text as typed; else in any case ("postgress" finds "Postgress")
            pattern = re.compile(re.escape(text), 0 if exact else re.I)
            for k, item in items:
                hit = next(((f, m.group(0)) for f in KINDS[k].text_fields
                            if (m := pattern.search(getattr(item, f) or ""))), None)
                if hit is not None:
                    title = KINDS[k].title_of(item)
                    score = 1.0 + (title_score(description, title, item.slug) if description else 0.0)
                    found.append(Candidate(k, item.slug, title, score, hit[0], hit[1]))
            if found:
                break
        found.sort(key=lambda c: -c.score)
        if len(found) == 1 or (len(found) > 1 and found[0].score - found[1].score >= LEAD):
            return Resolution(found[0], found[:OFFERED])
        return Resolution(None, found[:OFFERED])


    async def named_in(self, actor: Actor, text: str, kind: str | None = None) -> Candidate | None:
        """The one item whose whole name the text contains ("Tidewater should be featured"), if exactly one."""
        actor.require_owner()
        said = set(words(text))
        named = [Candidate(k, item.slug, KINDS[k].title_of(item), 1.0) for k, item in await self._items(actor, kind)
                 if (name := set(words(KINDS[k].title_of(item)))) and name <= said]
        return named[0] if len(named) == 1 else None

    async def spelling(self, actor: Actor, word: str) -> str:
        """The right spelling of a misspelt word, when the portfolio itself uses a close one ("Postgress"
        -> "Postgres"); "" when it does not."""
        actor.require_owner()
        if not word or " " in word.strip() or len(word) < 4:
            return ""
        vocabulary: Counter[str] = Counter()
        for k, item in await self._items(actor, None):
            for f in KINDS[k].text_fields:
                vocabulary.update(re.findall(r"[A-Za-z][\w-]*[A-Za-z0-9]", getattr(item, f) or ""))
        vocabulary.pop(word, None)
        close = difflib.get_close_matches(word, list(vocabulary), n=3, cutoff=0.8)
        return max(close, key=lambda w: (difflib.SequenceMatcher(None, word, w).ratio(), vocabulary[w]), default="")


def decide(ranked: list[Candidate]) -> Resolution:
    """One clear match, or the closest few to choose from."""
    if not ranked:
        return Resolution(None, [])
    best = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    if best.score >= CLEAR and best.score - runner_up >= LEAD:
        return Resolution(best, ranked[:OFFERED])
    return Resolution(None, ranked[:OFFERED])
