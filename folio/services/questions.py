"""What a visitor's question asks for, read in code (no model): which kind of item, whether it wants a
complete list, a yes/no about experience, contact details or an item's links, and the standalone form
of a follow-up ("what is it written in?" after an answer about Ferrox -> "what is the project Ferrox
written in?"). Pure functions: the answer service applies them to the portfolio's data."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from folio.kinds import KINDS

_WORD = re.compile(r"[a-z0-9][a-z0-9+#.\-]*[a-z0-9+#]|[a-z0-9]")

# The words of a question that point at each kind (folio.kinds: its nouns and cues).
KIND_WORDS: dict[str, frozenset[str]] = {k.name: frozenset(k.words + k.cues) for k in KINDS.values()}
# Words that carry no subject: function words, question words, portfolio and chat vocabulary.
FILLER = frozenset("""
a about above after again all also an and any anything are around as at be because been before being both but
by can could did do does doing done during each else ever every few for from get got had has have having he her
here hers him his hold holds held how i if in into is it its just know knows known like list lists many me more
most much must my name no not now of off on once only or other our out over own please she show shows some
something such tell than that the their them then there these they this those through to too under until up us
use used uses using very was way we were what when where which while who whom why will with would yes you your
yours usually often mostly mainly typically generally developer developers portfolio earned earn give shown any thing things anyone someone works work worked
working experience experienced expertise skills skill familiar does done kind kinds sort type types see
also great nice good well really related similar other another too
""".split())
NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve first second third".split())

LIST_CUE = re.compile(r"^\s*(which|what|list|show|name|how many|any|all|give me|are there|does|do|has|have)\b"
                      r"|\b(all|every|list of|how many)\b", re.I)
TECH_CUE = re.compile(r"\b(built|build|made|written|developed|done|used|uses|use|using|with|in|about|on|for|"
                      r"involving|tagged)\b", re.I)
EXPERIENCE = re.compile(
    r"^\s*(?:so\s+)?(?:do|does|did|have|has|is|are|can)\s+(?:you|she|he|they|the developer|this developer|"
    r"the owner|[A-Z][a-z]+)\s+(?:ever\s+)?(?:have\s+)?(?:any\s+)?"
    r"(?:experience|worked|work|used|use|built|build|know|knows|done|do|familiar|skilled|written|shipped|"
    r"deployed|programmed|coded)\b(?:\s+(?:with|in|on|of|using|at|about|how to))?\s*(?P<a>.*)$"
    r"|^\s*(?:any|some)\s+(?:work|experience|projects?|posts?)\s+(?:with|on|in|using|about|involving)\s+(?P<b>.*)$"
    r"|\bexperience\s+(?:with|in|of)\s+(?P<c>.*)$"
    # "is she AWS certified?", "do you have a certification in Kafka?": asks for a certification
    r"|^\s*(?:is|are)\s+(?:you|she|he|they|the developer|this developer|the owner|[A-Z][a-z]+)\s+(?:an?\s+)?"
    r"(?:certified\s+(?P<certified_as>.+)|(?P<certified>.+?)[\s-]+certified\b)"
    r"|\b(?:certified|certification|certificate|cert)\s+(?:in|for|on)\s+(?P<certification>.+)$",
    re.I)
CERTIFICATION_GROUPS = ("certified_as", "certified", "certification")
# "has she done anything with Kubernetes?": the subject is Kubernetes
VAGUE_SUBJECT = re.compile(r"^(?:(?:anything|something|stuff|things|any work|work)\s*)?(?:(?:with|in|on|for|using|"
                           r"about|involving|related to)\s+)?", re.I)
# "and is it open source?" is a question about the item just named, not "the same question about X"
NEW_QUESTION = re.compile(r"^(?:is|are|was|were|does|do|did|has|have|can|could|will|would|what|which|how|who|"
                          r"where|when|why)\b", re.I)
CONTACT = re.compile(r"\b(contact|reach (?:you|him|her|them|the developer)|get in touch|"
                     r"hire (?:you|him|her|them|the developer)|email|e-mail|phone number|linkedin|available for|"
                     r"availability|talk to (?:you|him|her|them|the developer))\b", re.I)
LINKS = re.compile(r"\b(link|links|url|repo|repository|github|open[- ]source|source code|code|website|site|live|demo|verify|"
                   r"credential url|badge)\b", re.I)
GREETING = re.compile(r"^\s*(hi|hello|hey|hiya|good (morning|afternoon|evening)|thanks|thank you|thx|cheers|ok|okay|"
                      r"bye|goodbye)\b[\s!.,?]*(there|folio|a lot|so much)?[\s!.,?]*$", re.I)
FOLLOW_UP_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(?P<x>.+?)[\s?.!]*$|^\s*and\s+(?P<y>.+?)[\s?.!]*$",
                             re.I)
PRONOUN = re.compile(r"\b(the first one|the second one|the third one|the last one|the first|the second|the third|"
                     r"the last|this one|that one|(?:this|that|the) (?:project|post|certification|one)|"
                     r"it|its|it's|these|those|they|them|their)\b", re.I)
FOLLOW_UP_WORDS = 12  # longer messages are taken as new questions
RECENT = re.compile(r"\b(latest|most recent|newest|recent|last)\b", re.I)  # "what's the latest post?"
MORE = re.compile(r"^\s*(tell me more|more|more details|go on|details|elaborate|explain)\b[\s?.!]*$", re.I)
ORDINALS = {"first": 0, "second": 1, "third": 2, "last": -1}


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def stem(word: str) -> str:
    """A light stem so "catalogs" meets "catalog" and "querying" meets "query"."""
    for suffix, keep in (("ies", "y"), ("ying", "y"), ("ing", ""), ("es", ""), ("ed", ""), ("s", "")):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + keep
    return word


def subject_words(text: str) -> list[str]:
    """The words that say what is asked about, in order, without filler, kind or number words."""
    kind_words = set().union(*KIND_WORDS.values())
    return [w for w in words(text) if w not in FILLER and w not in kind_words and w not in NUMBER_WORDS]


def kind_of(question: str) -> str | None:
    found = set(words(question))
    kinds = [k for k, cue in KIND_WORDS.items() if found & cue]
    return kinds[0] if len(kinds) == 1 else None


def terms_in(question: str, vocabulary: Iterable[str]) -> list[str]:
    """Vocabulary terms (tech stack, tags) named in the question as whole words, longest first."""
    text = " " + " ".join(words(question)) + " "
    found: list[str] = []
    for term in sorted({v.lower() for v in vocabulary if v}, key=len, reverse=True):
        spoken = " " + " ".join(words(term)) + " "
        if spoken.strip() and spoken in text and not any(spoken.strip() in f for f in found):
            found.append(term)
    return found


@dataclass(frozen=True)
class Intent:
    kind: str | None  # the kind of item asked about, when one is named
    listing: bool  # a complete list is asked for (of a kind, or with a term)
    terms: tuple[str, ...]  # vocabulary terms named (tech stack, tags)
    experience: str | None  # "have you worked with X?": X
    contact: bool
    links: bool
    greeting: bool
    experience_kind: str | None = None  # the kind that would show it ("is she AWS certified?": certification)
    recent: bool = False  # the newest item of `kind` is asked for


def read_intent(question: str, vocabulary: Iterable[str], titles: Iterable[str] = ()) -> Intent:
    kind = kind_of(question)
    terms = tuple(terms_in(question, vocabulary))
    named = any(re.search(r"(?<!\w)" + re.escape(t.lower()) + r"(?!\w)", question.lower()) for t in titles if t)
    match = EXPERIENCE.search(question)
    experience = experience_kind = None
    if match and not named:
        subject = next(g for g in match.groups() if g is not None) if any(match.groups()) else ""
        experience = VAGUE_SUBJECT.sub("", subject.strip(" ?.!")).strip() or None
        experience_kind = "certification" if any(match.group(g) for g in CERTIFICATION_GROUPS) else None
    leftover = [w for w in subject_words(question) if not any(w in words(t) for t in terms)]
    # A list of a kind ("which certifications?"), or of items with a tech/tag ("built with Rust"); other
    # subject words make it a question about a topic ("which project monitors a greenhouse?"): searched.
    listing = bool(LIST_CUE.search(question)) and not named and experience is None and (
        (kind is not None and not leftover) or (bool(terms) and len(leftover) <= 1
                                                and (kind is not None or bool(TECH_CUE.search(question)))))
    return Intent(kind=kind, listing=listing, terms=terms if listing else (), experience=experience,
                  experience_kind=experience_kind, recent=kind is not None and bool(RECENT.search(question)),
                  contact=bool(CONTACT.search(question)) and not named and not listing,
                  links=named and bool(LINKS.search(question)), greeting=bool(GREETING.match(question)))


def _replace_last_subject(previous: str, new: str) -> str:
    """Swap the last run of subject words of `previous` for `new` ("which projects use Rust?" + "Go")."""
    tokens = list(re.finditer(r"[A-Za-z0-9][\w+#.\-]*", previous))
    subject = set(subject_words(previous))
    run: list[re.Match] = []
    for token in reversed(tokens):
        if token.group(0).lower() in subject:
            run.insert(0, token)
        elif run:
            break
    if not run:
        return f"{previous.rstrip(' ?.!')} {new}?"
    return previous[:run[0].start()] + new + previous[run[-1].end():]


def standalone(question: str, previous_question: str | None, previous_items: Sequence[tuple[str, str]]) -> str:
    """The follow-up as a question that stands alone. `previous_items` are (kind, title) of the items the
    previous answer named, in order; earlier answers themselves are never used."""
    q = " ".join(question.split())
    if not previous_question and not previous_items:
        return q
    about = FOLLOW_UP_ABOUT.match(q)
    if about and about.group("y") and (NEW_QUESTION.match(about.group("y")) or PRONOUN.search(about.group("y"))):
        about = None  # "and is it open source?": a question of its own, about what was just named
    if about and previous_question:
        return _replace_last_subject(previous_question, (about.group("x") or about.group("y")).strip())
    if MORE.match(q) and previous_items:
        kind, title = previous_items[0]
        return f"Tell me more about the {kind} {title}"
    pronoun = PRONOUN.search(q)
    if pronoun is None or not previous_items or len(words(q)) > FOLLOW_UP_WORDS:
        return q
    said = pronoun.group(1).lower()
    ordinal = next((n for word, n in ORDINALS.items() if word in said), None)
    if ordinal is not None and (ordinal < len(previous_items) or ordinal == -1):
        kind, title = previous_items[ordinal]
        target = f"the {kind} {title}"
    elif said in ("they", "them", "these", "those", "their") and len(previous_items) > 1:
        target = " and ".join(f"the {k} {t}" for k, t in previous_items[:3])
    else:
        kind, title = previous_items[0]
        target = f"the {kind} {title}" + ("'s" if said == "its" else "")
    return q[:pronoun.start()] + target + q[pronoun.end():]
