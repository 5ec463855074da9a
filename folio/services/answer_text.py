"""Answers written in code from portfolio items, and the check of a model's answer against them.

Voice (one, everywhere): the assistant speaks of the developer in the third person, "the developer",
and calls every item by its kind ("the project Ferrox", "the post ...", "the certification ...").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from folio import prompts
from folio.kinds import KINDS
from folio.services.evidence import Evidence
from folio.services.questions import stem, subject_words, words

_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\]\(([^)\s]+)\)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[\"'(])|\n+")
UNSUPPORTED_SHARE = 0.34  # a sentence with more of its subject words unsupported than this is not kept
NOT_KNOWN = re.compile(r"\b(i|we) (do not|don't|cannot|can't) (know|say|tell|find)\b|\bnot sure\b|"
                       r"\bno information\b|\bdoesn't (mention|say|show|include)\b|\bdoes not (mention|say|show)\b",
                       re.I)
VOICE = [  # first person about the developer -> third person
    (re.compile(r"\bI've\b"), "the developer has"), (re.compile(r"\bI have\b"), "the developer has"),
    (re.compile(r"\bI'm\b"), "the developer is"), (re.compile(r"\bI am\b"), "the developer is"),
    (re.compile(r"\bI (hold|know|use|work|write|build|like|love|enjoy|specialize|focus)\b"),
     r"the developer \1s"),
    (re.compile(r"\bI (built|wrote|made|created|developed|worked|used|designed|earned|led|shipped|did|was)\b"),
     r"the developer \1"),
    (re.compile(r"\bI'd\b"), "the developer would"), (re.compile(r"\bI'll\b"), "the developer will"),
    (re.compile(r"\b(?:M|m)y\b"), "the developer's"), (re.compile(r"\bme\b"), "the developer"),
]
KEEP_AFTER_I = frozenset("""am was were can could will would should must might may did had built wrote made ran led
took got found began chose kept left put set spent sent went gave came saw knew thought brought taught held read
became also still often usually always never""".split())


def _i_verb(match: re.Match) -> str:
    """"I reach" -> "the developer reaches"; past tenses and modals stay as they are."""
    verb = match.group(1)
    if verb in KEEP_AFTER_I or verb.endswith("ed"):
        return f"the developer {verb}"
    if verb == "do":
        return "the developer does"
    if verb.endswith(("s", "sh", "ch", "x", "o")):
        return f"the developer {verb}es"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return f"the developer {verb[:-1]}ies"
    return f"the developer {verb}s"


def item_line(item: Evidence, with_facts: bool = True) -> str:
    facts = f" ({'; '.join(item.facts)})" if with_facts and item.facts else ""
    summary = f": {item.summary}" if item.summary else ""
    return f"- the {item.noun} {item.link()}{facts}{summary}"


def list_answer(items: Sequence[Evidence], kind: str | None, terms: Sequence[str]) -> str:
    """A complete list, every item of the kind (and with the terms) asked for."""
    what = KINDS[kind].called_plural if kind else "items"
    about = f" with {' and '.join(terms)}" if terms else ""
    if not items:
        return prompts.LIST_NONE.format(what=what, about=about)
    head = prompts.LIST_HEAD.format(count=len(items), what=what if len(items) != 1 else what.rstrip("s"),
                                    about=about)
    return "\n".join([head, *(item_line(i) for i in items)])


def latest_answer(item: Evidence) -> str:
    return "\n".join([prompts.LATEST_HEAD.format(kind=item.kind), item_line(item)])


def close_lines(close: Sequence[Evidence]) -> str:
    if not close:
        return ""
    return "\n" + prompts.CLOSEST + "\n" + "\n".join(item_line(i, with_facts=False) for i in close)


def experience_answer(subject: str, supporting: Sequence[Evidence], close: Sequence[Evidence],
                      kind: str | None = None) -> str:
    """`kind`: the question asks for one kind of item ("is she AWS certified?": a certification)."""
    if supporting:
        return "\n".join([prompts.EXPERIENCE_SHOWN.format(subject=subject), *(item_line(i) for i in supporting)])
    missing = (prompts.KIND_NOT_SHOWN.format(kind=kind, subject=subject) if kind
               else prompts.EXPERIENCE_NOT_SHOWN.format(subject=subject))
    return missing + close_lines(close)


def not_shown_answer(close: Sequence[Evidence]) -> str:
    return prompts.NOT_SHOWN + close_lines(close)


def links_answer(items: Sequence[Evidence]) -> str:
    lines = []
    for item in items:
        links = ", ".join(f"{label}: {url}" for label, url in item.links) or prompts.NO_LINKS
        lines.append(f"- the {item.noun} {item.link()}: {links}")
    return "\n".join(lines)


def extractive_answer(items: Sequence[Evidence], note: str = "") -> str:
    """The matched items themselves (titles, one line each, links): when the model cannot answer."""
    if not items:
        return (note + "\n" if note else "") + prompts.NOT_SHOWN
    return "\n".join([*([note] if note else []), prompts.FOUND_HEAD, *(item_line(i) for i in items)])


# ---- checking a model's answer ------------------------------------------------------------------

def plain(text: str) -> str:
    """Markdown links -> their text (citations are re-made from the items the answer names)."""
    return _LINK.sub(lambda m: m.group(1), text)


def third_person(text: str) -> str:
    for pattern, replacement in VOICE:
        text = pattern.sub(replacement, text)
    text = re.sub(r"\bI ([a-z]+)\b(?!')", _i_verb, text)  # not "I don't know": that is the assistant
    return re.sub(r"(^|[.!?]\s+|\n)(the developer)", lambda m: m.group(1) + "The developer", text)


def _mentions(sentence: str, item: Evidence) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(item.title.lower()) + r"(?![\w-])", sentence.lower()) is not None


# Every word that names a kind, longest first ("blog post" before "post").
KIND_WORDS = sorted({w for spec in KINDS.values() for w in (spec.name, *spec.words)}, key=len, reverse=True)


def _by_kind(sentence: str, item: Evidence) -> str:
    """"the project <a post's title>" -> "the post <title>"."""
    wrong = "(" + "|".join(re.escape(w) for w in KIND_WORDS) + ")"
    pattern = re.compile(r"\b" + wrong + r"(\s+[\"“']?)" + re.escape(item.title), re.I)
    return pattern.sub(lambda m: (item.kind if m.group(1).lower() != item.kind else m.group(1)) + m.group(2)
                       + item.title, sentence)


def unsupported(sentence: str, evidence: Sequence[Evidence]) -> list[str]:
    """Subject words of the sentence found in none of the items' texts (titles excluded)."""
    have: set[str] = set()
    for item in evidence:
        have |= item.stems()
    titles = {stem(w) for item in evidence for w in words(item.title)}
    return [w for w in subject_words(sentence) if stem(w) not in have and stem(w) not in titles and len(w) > 2]


def _other_kind(sentence: str, items: Sequence[Evidence]) -> bool:
    said = set(words(sentence))
    return any(said & set(spec.words) for spec in KINDS.values() if spec.name not in {i.kind for i in items})


def _kept(sentence: str, evidence: Sequence[Evidence]) -> bool:
    subject = [w for w in subject_words(sentence) if len(w) > 2]
    missing = unsupported(sentence, evidence)
    return not missing or len(missing) <= UNSUPPORTED_SHARE * len(subject)


def check_answer(answer: str, items: Sequence[Evidence], others: Sequence[Evidence] = ()) -> str:
    """Keep what the items support. A sentence naming an item is checked against that item (an
    unsupported one is replaced by the item's own line); a sentence naming an item that does not answer
    (`others`, e.g. from an earlier turn) is dropped; other sentences are checked against all the items,
    and a claim nothing supports is dropped. Nothing left: the items themselves."""
    text = third_person(plain(answer)).strip()
    for item in [*items, *others]:  # `Ferrox` (a title in a code span) would never become a link
        text = text.replace(f"`{item.title}`", item.title)
    kept: list[str] = []
    replaced: set[str] = set()
    for sentence in (s.strip() for s in _SENTENCE.split(text)):
        if not sentence:
            continue
        if NOT_KNOWN.search(sentence):
            if prompts.NOT_SHOWN not in kept:
                kept.append(prompts.NOT_SHOWN)
            continue
        if any(_mentions(sentence, o) for o in others if o.slug not in {i.slug for i in items}):
            continue
        named = [i for i in items if _mentions(sentence, i)]
        for item in named:
            sentence = _by_kind(sentence, item)
        if named and not _kept(sentence, named):
            for item in named:
                if item.slug not in replaced:
                    replaced.add(item.slug)
                    kept.append(f"The {item.kind} {item.title}: {item.summary}")
            continue
        if not named and (unsupported(sentence, items) or _other_kind(sentence, items)):
            continue  # a claim no item supports, or about an item of a kind that does not answer
        kept.append(sentence)
    if not kept or kept == [prompts.NOT_SHOWN]:
        return extractive_answer(items)  # the model found nothing to say: the matched items (or "not shown")
    answer = "\n".join(kept) if any(k.startswith("- ") for k in kept) else " ".join(kept)
    return answer + source_line(answer, items)


def source_line(answer: str, items: Sequence[Evidence]) -> str:
    """An answer that names none of the items it comes from ("Rust.") still cites them, so the visitor
    can check it and a follow-up ("is it open source?") knows what "it" is."""
    if not items or prompts.NOT_SHOWN in answer or any(_mentions(answer, i) for i in items):
        return ""
    return "\n" + prompts.ANSWER_SOURCES.format(items=", ".join(f"the {i.kind} {i.link()}" for i in items))
