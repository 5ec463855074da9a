"""A visitor's (or the owner's) question, answered: understand -> execute -> compose -> check.

    understand  one grammar-constrained model call turns the question (and the thread's items) into a
                Query over the real catalogue and vocabulary (query.py); the model is never asked to answer
    execute     code runs the Query over the data the asker may see (execute.py): a fact sheet
    compose     English: the fact sheet is the answer; other languages: the model phrases it (compose.py)
    check       every item, number and link of the model's text must be in the facts (check.py)

Everything shown goes through the same events as any chat turn (agent.turn), sanitised."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import date

from langchain_core.language_models import BaseChatModel

from agent.answering import compose as composing
from agent.answering.check import Checker
from agent.answering.execute import Portfolio, execute
from agent.answering.facts import Facts
from agent.answering.ground import ground
from agent.answering.offers import offer
from agent.answering.passages import PassageFinder
from agent.answering.query import Query, parse, schema
from agent.answering.settle import settle, unsettled
from agent.reading import ReadFailed, catalogue_lines, read_structured, technologies, vocabulary
from agent.safe_markdown import LinkPolicy, StreamGuard, sanitize
from agent.turn import LLM_ERRORS, Final, Token, ToolEnd, ToolStart, TurnEvent
from folio import prompts
from folio.actor import Actor
from folio.errors import DomainError
from folio.kinds import PROFILE
from folio.services import Services
from folio.services.catalogue import Record
from folio.services.inbox import Origin

log = logging.getLogger(__name__)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
UNDERSTAND_STEP = "understand"
FOUND = 3  # search's first items, which the model's item choice may come from


@dataclass
class Thread:
    """What a conversation remembers between questions: the items of the last answer (ids, no text)."""

    items: list[str] = field(default_factory=list)
    answered: bool = True  # whether the last answer came from the data (False: "the portfolio doesn't show")
    intent: str = ""  # what the last question asked (the owner's insights count it)
    phrased: bool = False  # whether the model phrased the last answer (other languages)


@dataclass
class Answerer:
    services: Services
    reader: BaseChatModel | None  # the grammar-constrained call (None: the model is down)
    writer: BaseChatModel | None  # phrasing in other languages
    passages: PassageFinder

    async def answer(self, actor: Actor, question: str, thread: Thread,
                     origin: Origin = Origin()) -> AsyncIterator[TurnEvent]:
        question = " ".join(question.split())
        if (offered := await offer(question, self.services)) is not None:  # the CV, a call: in code, cited
            thread.items, thread.answered, thread.intent, thread.phrased = [], True, offered.intent, False
            yield Final(offered.text)
            return
        records = await self.services.answers.catalogue.records(actor)
        yield ToolStart(UNDERSTAND_STEP, UNDERSTAND_STEP, {"question": question[:200]})  # feedback at once
        q = await self.understand(question, records, thread)
        q = ground(q, question, records, thread.items, await self._found(actor, question, records),
                   technologies(records))
        if unsettled(q) and self.reader is not None:
            q = await settle(self.reader, question, q)
        q = replace(q, extra={"thread": list(thread.items)})
        yield ToolEnd(UNDERSTAND_STEP, UNDERSTAND_STEP, json.dumps(_shown(q), ensure_ascii=False))

        thread.intent, thread.phrased = q.intent, False
        if q.intent == "contact" and (email := _EMAIL.search(question)):
            thread.answered = True
            yield Final(await self._leave_contact(q, question, email.group(0), origin))
            return
        facts = await execute(q, question, await self._portfolio(actor, records))
        if not facts.answered and actor.is_visitor and q.intent not in ("off_topic", "greeting"):
            await self._log_unanswered(question, origin, facts)

        policy = LinkPolicy()  # links only to the app's pages and to URLs the facts hold
        policy.add_tool_output(facts.material())
        stream, text = StreamGuard(policy), ""
        if composing.needs_model(q, facts) and self.writer is not None:
            lead = facts.items[0] if q.intent == "compare" and facts.items else None  # the winner first
            checker, kept = Checker(facts, records, _must_name(q, facts), question, q.language, lead), ""
            try:
                async for sentence, after in composing.sentences(self.writer, q, question, facts):
                    if checker.ok(sentence):  # shown only once checked
                        kept += sentence + after
                        if shown := stream.feed(sentence + after):
                            yield Token(shown)
            except LLM_ERRORS as exc:
                log.warning("phrasing failed, the facts answer: %s", exc)
            if checker.dropped:
                log.info("answer check dropped %d sentence(s)", checker.dropped)
            if kept.strip():
                text = kept.strip() + ("\n" + missing if (missing := checker.missing(kept)) else "")
                if q.intent == "detail" and (quoted := composing.passages_unsaid(kept, facts)):
                    text += "\n\n" + quoted  # the value asked for, as the text says it
                thread.phrased = True
        if not text:  # English, unanswered, or nothing the model wrote held: the facts themselves
            lines = facts.lines if facts.answered else composing.unanswered(q, facts)
            text = "\n".join(lines)
            for line in lines:
                if shown := stream.feed(line + "\n"):
                    yield Token(shown)
        if rest := stream.flush():
            yield Token(rest)
        sources = composing.sources(facts)
        final = sanitize(f"{text}\n\n{sources}" if sources else text, policy)
        thread.items, thread.answered = [r.key for r in facts.items][:10], facts.answered
        yield Final(final)

    # ---- the steps ----------------------------------------------------------------------------------

    async def understand(self, question: str, records: list[Record], thread: Thread) -> Query:
        keys, vocab = [r.key for r in records], vocabulary(records)
        if self.reader is None:
            return Query("describe", search=question[:120])
        year = date.today().year
        system = prompts.VISITOR_READ_PROMPT.format(catalogue=catalogue_lines(records), vocabulary=", ".join(vocab),
                                                    year=year, last_year=year - 1)
        titles = {r.key: r.title for r in records}
        earlier = (prompts.EARLIER_ITEMS.format(items=", ".join(f"{k} ({titles[k]})" for k in thread.items
                                                                if k in titles)) if thread.items else "")
        try:
            data = await read_structured(self.reader, system, prompts.VISITOR_READ_INPUT.format(
                earlier=earlier, message=question[:2000]), "visitor_query", schema(keys, vocab))
        except (ReadFailed, *LLM_ERRORS) as exc:
            log.warning("reading the question failed (%s): searching instead", exc)
            return Query("describe", search=question[:120])
        return parse(data, keys, vocab)

    async def _found(self, actor: Actor, question: str, records: list[Record]) -> list[str]:
        """The keys search ranks first for the question (an item described rather than named)."""
        try:
            hits = await self.services.search.search(actor, question[:500], limit=FOUND)
        except DomainError:
            return []
        return [f"{h.type}:{h.slug}" for h in hits]

    async def _portfolio(self, actor: Actor, records: list[Record]) -> Portfolio:
        by_key = {(r.kind, r.slug): r for r in records}

        async def search(phrase: str, limit: int) -> list[Record]:
            try:
                hits = await self.services.search.search(actor, phrase[:500], limit=limit + 2)
            except DomainError:
                return []
            hits = [h for h in hits if (h.type, h.slug) in by_key]
            scores = await self.services.answers.scores(phrase, hits)
            if scores is not None:
                hits = [h for h, s in zip(hits, scores, strict=True) if s >= self.services.answers.min_relevance]
            return [by_key[(h.type, h.slug)] for h in hits[:limit]]

        async def about_owner(phrase: str) -> bool:
            try:
                hits = await self.services.search.search(actor, phrase[:500], limit=1)
            except DomainError:
                return False
            return bool(hits) and hits[0].type == PROFILE.name

        profile = await self.services.profile.find()
        values = ({k: getattr(profile, k) for k in ("name", "headline", "bio", "location", "open_to_work",
                                                    "availability", "contact", "links")} if profile else None)
        return Portfolio(records, date.today(), search, self.passages.best, values, about_owner)

    async def _leave_contact(self, q: Query, question: str, email: str, origin: Origin) -> str:
        name = q.name or "visitor"
        try:
            entry = await self.services.inbox.leave_contact(name[:100], email, question[:2000], origin)
        except DomainError as exc:
            return exc.message
        return prompts.CONTACT_SAVED.format(email=entry.email)

    async def _log_unanswered(self, question: str, origin: Origin, facts: Facts) -> None:
        try:
            await self.services.inbox.record_question(question, origin,
                                                      best_match=facts.items[0].slug if facts.items else None)
        except DomainError:
            pass


LIST_IN_FULL = 15  # a list up to this long is named in full in any language; longer ones are counted


def _must_name(q: Query, facts: Facts) -> list[Record]:
    """The items a phrased answer must name: a list's, a superlative's winner, and what a "yes" rests on
    (added when left out)."""
    if q.intent == "list" and len(facts.items) <= LIST_IN_FULL:
        return facts.items
    if q.intent == "compare":
        return facts.items[:1]  # the winner
    return facts.items[:3] if q.intent == "yes_no" and facts.verdict else []


def _shown(q: Query) -> dict:
    return {k: v for k, v in q.__dict__.items() if v not in ((), None, "none", "", {}) and k != "extra"}
