"""Hold the model's query to the question: an item, a term or an unknown subject stays only when the
question (or the thread it follows) really points at it. A small model under a grammar tends to fill
arrays with whatever the enum offers; this keeps what the words support and drops the rest."""

from __future__ import annotations

import re
from dataclasses import replace

from agent.answering.data_view import norm
from agent.answering.query import Query
from agent.reading.language import detect
from agent.reading.naming import fold, mentions, names_item, weak_words, words
from folio.kinds import KINDS
from folio.services.catalogue import Record

PROPERTY_KINDS = {"valid_now": {"certification"}, "expired": {"certification"}, "has_live_url": {"project"},
                  "has_repo": {"project"}, "current": {"experience", "project"}, "finished": {"experience", "project"},
                  "featured": {"project", "certification"},
                  "hidden": {"project", "post", "experience"}}


def _by_name(question: str, term: str) -> bool:
    """A name said by its first word ("Amazon" for "Amazon Web Services"), capitalised as a name is."""
    first = term.split()[0] if " " in term else ""
    return len(first) > 3 and first[:1].isupper() and re.search(rf"(?<!\w){re.escape(first)}(?!\w)", question) is not None


def _shortened(question: str, term: str) -> bool:
    """A one-word name said by its first six letters or more ("postgres" for PostgreSQL)."""
    wanted = term.lower()
    return " " not in wanted and any(len(w) >= 6 and wanted.startswith(w) and w != wanted
                                     for w in words(question))


def ground(q: Query, question: str, records: list[Record], thread_items: list[str], found: list[str],
           technologies: set[str]) -> Query:
    """`found`: the keys search ranks first for the question; `technologies`: tech, organisations, issuers."""
    language = detect(question) or q.language
    if language != "en" and q.search:  # the model's English paraphrase names what the words name
        question = f"{question} {q.search}"
    by_key, weak = {r.key: r for r in records}, weak_words(records)
    named = [k for k in q.items if k in by_key and names_item(question, by_key[k], weak)]
    named += [r.key for r in records if r.key not in named and mentions(question, r.title) and len(r.title) > 3]
    # Items the model took from the thread, or (when the question names none) from search's first hits.
    items = named + [k for k in q.items if k in by_key and k not in named
                     and (k in thread_items or (not named and k in found))]
    terms = [t for t in q.terms if mentions(question, t)]
    terms += [t for t in technologies if t not in terms and len(t) > 1 and (mentions(question, t) or _by_name(question, t)
                                                                          or _shortened(question, t))]
    unknown = [u for u in q.unknown if any(len(w) > 3 and w in words(question) for w in words(u))]
    vocabulary = {norm(t): t for r in records for t in r.terms}
    # An "unknown" subject that is a tag or technology of some item is one of the vocabulary's terms.
    terms += [vocabulary[norm(u)] for u in unknown if norm(u) in vocabulary and vocabulary[norm(u)] not in terms]
    unknown = list({norm(u): u for u in unknown if norm(u) not in vocabulary}.values())  # "elixir", "Elixir": one
    if not items and not terms:
        unknown += [u for u in _unheard(q.search, question, records) if u not in unknown]
    kinds = q.kinds
    if q.intent in FILTERS and (terms or unknown) and kinds and not any(_says_kind(question, k) for k in kinds):
        kinds = ()  # "the AWS work" is any item with AWS: the kind was the model's guess, not the question's
    prop = q.property
    if prop != "none" and kinds and not (PROPERTY_KINDS[prop] & set(kinds)):
        prop = "none"
    intent = q.intent
    if q.order != "none" and q.intent in ("describe", "count") and len(items) <= 1:
        # An order is a superlative's ("her latest article"): the first or last of the kind, found in code,
        # not one item the reading guessed.
        intent, items = "compare", []
    if intent == "profile" and kinds and not items:
        # The profile has no kind: a profile question that names a kind ("which companies has she been at": roles)
        # asks for the items of that kind.
        intent = "list"
    return replace(q, intent=intent, items=tuple(dict.fromkeys(items)), terms=tuple(dict.fromkeys(terms)),
                   unknown=tuple(unknown), kinds=kinds, property=prop, language=language,
                   extra={**q.extra, "named": tuple(named)})  # the items the question itself names


FILTERS = ("list", "count", "yes_no")


def _unheard(search: str, question: str, records: list[Record]) -> list[str]:
    """Names the question asks about that no item writes ("the Zephyr app"): the capitalised words of
    the English paraphrase that the question says too (past its own first word, capitalised anyway) and no
    item's text holds."""
    corpus = fold(" ".join(r.text() for r in records))
    later = question.split(None, 1)[1] if " " in question else ""  # a first word is capitalised anyway
    out = []
    for token in search.split():
        word = token.strip(".,;:!?()[]\"'")
        if (len(word) > 2 and word[:1].isupper() and re.search(rf"(?<![.?!] )(?<!\w){re.escape(word)}(?!\w)", later)
                and fold(word) not in corpus):
            out.append(word)
    return out


def _says_kind(question: str, kind: str) -> bool:
    """The question (or its English paraphrase) uses a word for the kind ("cert", "jobs", "built")."""
    spec = KINDS[kind]
    return any(mentions(question, w) for w in (spec.name, spec.plural, *spec.words, *spec.cues))
