"""Which items a message names: by title, by URL name, or by a word of its title that no other item
and no technology shares. Shared by the visitor's answers (grounding the query) and the owner's
requests (the item a change is about)."""

from __future__ import annotations

import re
import unicodedata

from folio.services.catalogue import Record

_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case, accents dropped: how two spellings of a word are compared."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


def mentions(question: str, phrase: str) -> bool:
    """The phrase (hyphens as spaces, accents and case ignored) is in the question as whole words."""
    q = " ".join(_WORD.findall(fold(question)))
    p = " ".join(_WORD.findall(fold(phrase.replace("-", " "))))
    return bool(p) and re.search(rf"(?<!\w){re.escape(p)}(?!\w)", q) is not None


def weak_words(records: list[Record]) -> set[str]:
    """Words that cannot point at one item on their own: in two or more titles, or a technology or topic."""
    seen: dict[str, int] = {}
    for r in records:
        for w in words(f"{r.title} {r.slug.replace('-', ' ')}"):
            seen[w] = seen.get(w, 0) + 1
    return {w for w, n in seen.items() if n > 1} | {w for r in records for t in r.terms for w in words(t)}


def names_item(question: str, record: Record, weak: set[str]) -> bool:
    if mentions(question, record.title) or mentions(question, record.slug):
        return True
    strong = {w for w in words(f"{record.title} {record.slug.replace('-', ' ')}") if len(w) > 3 and w not in weak}
    return bool(strong & words(question))


def named_items(message: str, records: list[Record]) -> list[Record]:
    """The items the message names (see names_item)."""
    weak = weak_words(records)
    return [r for r in records if names_item(message, r, weak)]
