"""Which portfolio items answer a visitor's question, decided in code from retrieval and the items'
structured fields, and the answers that need no model at all.

- a list ("which projects use Rust?", "which certifications?", "what has been written about
  PostgreSQL?"): every public item of that kind / with that tech or tag, complete, written in code;
- a yes/no about experience ("have you worked with X?"): yes only when one item contains every word of
  X (then those items), else "the portfolio doesn't show that" and what is close; written in code;
- contact, an item's links, greetings, off-topic messages: written in code;
- anything else: the items named in the question, or the search hits close to the best one; the model
  only phrases an answer from those (and its sentences are checked against them, answer_text.py).
"""

from __future__ import annotations

import re
from datetime import date
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from folio import prompts
from folio.actor import Actor
from folio.kinds import EXPERIENCE, KINDS
from folio.services import answer_text as text
from folio.services.evidence import Evidence, evidence_of, supports
from folio.services.inbox import Origin
from folio.services.profile_answers import profile_answer, profile_aspect, profile_evidence
from folio.services.questions import read_intent, subject_words, words
from folio.services.work_history import WorkQuestion, work_question
from folio.services.work_history import answer as work_answer
from folio.services.catalogue import PAGE as ROLES_PAGE  # a work history fits one page

if TYPE_CHECKING:
    from folio.services.answers import AnswerService

MAX_ITEMS = 3  # items the model phrases an answer from
MAX_CLOSE = 2  # "what is close" after "the portfolio doesn't show that"
MAX_SUPPORTING = 5
LONG_SUBJECT = 4  # subject words from which one may be missing in the items that show it
CLOSE_FROM = 0.25  # relevance a hit needs to be offered as close
SELECT_MARGIN = 0.10  # hits this close to the best one's relevance answer too


@dataclass
class Plan:
    question: str  # standalone
    mode: str  # list | experience | items | unknown | contact | links | greeting | off_topic | profile
    items: list[Evidence] = field(default_factory=list)  # what answers
    close: list[Evidence] = field(default_factory=list)  # offered when nothing answers
    others: list[Evidence] = field(default_factory=list)  # found but not answering: never named in an answer
    direct: str | None = None  # the whole answer, written from the data: no model call
    weak: bool = False
    logged: bool = False

    @property
    def sources(self) -> list[Evidence]:
        return [*self.items, *self.close]

    def as_dict(self) -> dict[str, Any]:
        return {"question": self.question, "mode": self.mode, "direct": self.direct, "weak": self.weak,
                "logged": self.logged, "items": [i.as_dict() for i in self.items],
                "close": [i.as_dict() for i in self.close], "others": [i.as_dict() for i in self.others]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        return cls(question=data["question"], mode=data["mode"], direct=data.get("direct"),
                   weak=bool(data.get("weak")), logged=bool(data.get("logged")),
                   items=[Evidence.from_dict(i) for i in data.get("items", [])],
                   close=[Evidence.from_dict(i) for i in data.get("close", [])],
                   others=[Evidence.from_dict(i) for i in data.get("others", [])])

    def extractive(self, note: str = "") -> str:
        """The answer without a model: the written answer, or the matched items themselves."""
        if self.direct is not None:
            return self.direct
        if self.mode == "unknown":
            return text.not_shown_answer(self.close)
        return text.extractive_answer(self.items, note)


def _titled(question: str, catalogue: list[Evidence]) -> list[Evidence]:
    q = question.lower()
    return [e for e in sorted(catalogue, key=lambda e: -len(e.title))
            if re.search(r"(?<![\w-])" + re.escape(e.title.lower()) + r"(?![\w-])", q)]


def _has_term(item: Evidence, term: str) -> bool:
    return term in item.terms or " ".join(words(term)) in " ".join(words(item.title))


async def catalogue(service: AnswerService, actor: Actor) -> list[Evidence]:
    """Every item the actor may see, as evidence (kept in the process until the content changes)."""
    return await service.catalogue.items(actor)


async def make_plan(service: AnswerService, actor: Actor, question: str, *, kind: str | None = None,
                    origin: Origin = Origin()) -> Plan:
    question = " ".join(question.split())
    everything = await catalogue(service, actor)
    vocabulary = {t for e in everything if KINDS[e.kind].terms_are_topics for t in e.terms}
    intent = read_intent(question, vocabulary, [e.title for e in everything])
    listed = kind or intent.kind  # search itself is narrowed only by the caller ("written" is no kind)
    if intent.greeting:
        return Plan(question, "greeting", direct=prompts.GREETING_ANSWER)
    if (work := work_question(question)) is not None:
        return await work_plan(service, actor, question, work)
    if intent.recent and (dated := [e for e in everything if e.kind == listed and e.dated]):
        newest = max(dated, key=lambda e: e.dated)
        return Plan(question, "items", items=[newest], direct=text.latest_answer(newest))
    if intent.listing:
        items = [e for e in everything if (listed is None or e.kind == listed)
                 and all(_has_term(e, t) for t in intent.terms)]
        plan = Plan(question, "list", items=items, direct=text.list_answer(items, listed, intent.terms))
        if items:
            return plan
    named = _titled(question, everything)
    if (aspect := profile_aspect(question)) is not None and service.profile is not None and not named:
        profile = await service.profile.find()
        return Plan(question, "profile", items=[profile_evidence(profile)] if profile else [],
                    direct=profile_answer(profile, aspect), weak=profile is None)
    if intent.contact:
        return Plan(question, "contact", direct=prompts.CONTACT_ANSWER)
    if intent.links and named:
        return Plan(question, "links", items=named, direct=text.links_answer(named))
    found = await service.retrieve(actor, question, kind=kind, origin=origin)
    by_key = {(e.kind, e.slug): e for e in everything}
    scored = [(by_key[(h.type, h.slug)], s) for h, s in zip(found.hits, found.scores or [None] * len(found.hits))
              if (h.type, h.slug) in by_key]
    close = [e for e, s in scored if s is None or s >= CLOSE_FROM][:MAX_CLOSE]
    if intent.listing:  # a list of a kind with a term nothing has: say so, and what is close
        # first what other kinds hold with those terms ("built for observability": the observability post)
        other_kinds = [e for e in everything if e.kind != listed and intent.terms
                       and all(_has_term(e, t) for t in intent.terms)]
        close = list({(e.kind, e.slug): e for e in [*other_kinds, *close]}.values())[:MAX_CLOSE]
        return Plan(question, "list", close=close, direct=text.list_answer([], listed, intent.terms) +
                    text.close_lines(close), weak=True, logged=found.logged)
    # "does she know Go?": a short subject is answered from the items even when search finds it off-topic
    asks_experience = intent.experience is not None and 0 < len(subject_words(intent.experience)) <= 3
    if found.off_topic and not named and not asks_experience:
        return Plan(question, "off_topic", direct=prompts.OFF_TOPIC_ANSWER, weak=True)
    if intent.experience:
        subject = subject_words(intent.experience)
        # every word of a short subject; a long, topical one may miss a word ("querying catalogs of
        # satellite imagery": the package says "searching")
        needed = 1.0 if len(subject) < LONG_SUBJECT else 0.75
        supporting = [e for e in everything if subject and supports(e, subject) >= needed
                      and intent.experience_kind in (None, e.kind)]
        ranked = {e.slug: n for n, (e, _) in enumerate(scored)}
        supporting.sort(key=lambda e: ranked.get(e.slug, len(ranked)))
        supporting = supporting[:MAX_SUPPORTING]
        # what is close shares at least one word of the subject (not just a similar topic)
        close = [] if supporting else [e for e, s in scored if (s is None or s >= CLOSE_FROM)
                                       and supports(e, subject) > 0][:MAX_CLOSE]
        return Plan(question, "experience", items=supporting, close=close, weak=not supporting,
                    logged=found.logged,
                    direct=text.experience_answer(intent.experience, supporting, close, intent.experience_kind))
    if named:
        named = named[:MAX_ITEMS]
        return Plan(question, "items", items=named, others=_others(everything, named), logged=found.logged)
    if found.weak:
        return Plan(question, "unknown", close=close, weak=True, logged=found.logged,
                    direct=text.not_shown_answer(close))
    best = max((s for _, s in scored if s is not None), default=None)
    chosen = [e for e, s in scored if best is None or s is None or s >= best - SELECT_MARGIN][:MAX_ITEMS]
    return Plan(question, "items", items=chosen, others=_others(everything, chosen), logged=found.logged)


async def work_plan(service: AnswerService, actor: Actor, question: str, work: WorkQuestion,
                    today: date | None = None) -> Plan:
    """A work-history question, answered in code from the roles the actor may see (cited)."""
    spec = KINDS[EXPERIENCE.name]
    page = await service.content(spec.name).list(actor, limit=ROLES_PAGE)
    direct, cited = work_answer(work, page.items, today or date.today())
    return Plan(question, "work", items=[evidence_of(spec.name, r) for r in cited], direct=direct, weak=not cited)


def _others(everything: list[Evidence], chosen: list[Evidence]) -> list[Evidence]:
    """Every other item, by name only: an answer naming one of them is not about what was asked."""
    keep = {(e.kind, e.slug) for e in chosen}
    return [e.light() for e in everything if (e.kind, e.slug) not in keep]


def model_context(plan: Plan) -> str:
    """What the model is shown: only the items that answer, each called by its kind, with its facts."""
    lines = [f'Portfolio results for "{plan.question}":']
    for item in plan.items:
        facts = f" ({'; '.join(item.facts)})" if item.facts else ""
        detail = f" {item.detail}" if item.detail and len(plan.items) == 1 else ""
        lines.append(f"- the {item.noun} {item.link()}{facts}: {item.summary}{detail}")
    return "\n".join(lines)
