"""The owner's requests, decided by folio rather than by free tool calls: the classifier says what is asked
(agent.intent), the resolver finds the item meant (folio.services.resolver), short structured calls give
the fields or the words to change (agent.extract), and the change service proposes the change, which
the owner confirms. When something is unclear the owner is asked (once), with buttons for the closest
items; the model never types a slug and its JSON never reaches the owner. UI-free: chat/owner_chat.py
shows the outcome in Chainlit; benchmarks/owner_changes_bench.py runs the same code without a UI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel

from agent import extract, intent
from agent.profile_requests import profile_request
from folio import prompts
from folio.actor import Actor
from folio.errors import DomainError
from folio.kinds import PROFILE, PROFILE_SLUG
from folio.kinds import KINDS
from folio.services import Services
from folio.services.changes import ProposedChange
from folio.services.resolver import CLEAR, Candidate, Resolution, title_score
from tools._adapter import shorten

INBOX_LIMIT = 10
_NEVER_MIND = re.compile(r"^\W*(no|nope|never ?mind|cancel|forget (it|that)|stop|leave it|none)\b", re.I)
SHORT_ANSWER = 12  # words: an answer to "what is the issuer?" rather than a new request


@dataclass(frozen=True)
class Choice:
    label: str
    kind: str
    slug: str


@dataclass
class Outcome:
    text: str = ""  # a question, an explanation or the inbox, for the owner
    change: ProposedChange | None = None  # shown with Confirm / Cancel
    choices: list[Choice] = field(default_factory=list)  # buttons: which item is meant
    waiting: dict[str, Any] | None = None  # the request waiting for the owner's answer (kept in the session)
    request: intent.Request | None = None  # what the classifier decided
    to_agent: bool = False  # a question about the portfolio: the agent answers it
    drafting: bool = False  # a drafting step: chat/owner_chat.py writes or proposes the draft


class OwnerRequests:
    def __init__(self, services: Services, model: BaseChatModel):
        self.services = services
        self.model = model  # temperature 0, not streamed: classifier and extraction calls

    async def handle(self, actor: Actor, text: str, *, draft_title: str | None = None,
                     waiting: dict[str, Any] | None = None, thread_id: str | None = None) -> Outcome:
        if waiting and len(text.split()) <= SHORT_ANSWER:
            answered = await self._answer(actor, text, waiting, thread_id)
            if answered is not None:
                return answered
        if (fields := profile_request(text)) is not None:  # "set my location to Berlin": the profile, in code
            return await self._propose(actor, "update", PROFILE.name, PROFILE_SLUG, fields, thread_id)
        request = await intent.classify(self.model, text, draft_title)
        state = {"intent": request.intent, "kind": request.kind, "item": request.item, "text": text}
        if request.intent in intent.DRAFTING:
            return Outcome(request=request, drafting=True)
        if request.intent == "question" and intent.may_be_update(text):
            named = await self.services.resolver.named_in(actor, text, intent.kind_in(text))  # not the model's guess
            if named is not None:  # it names an item and one of its fields: a change, not a question
                request = intent.Request("update", named.kind, named.title)
                state = {**state, "intent": "update", "kind": named.kind, "item": named.title}
        if request.intent == "question":
            return Outcome(request=request, to_agent=True)
        if request.intent == "inbox":
            return Outcome(text=await self.inbox(actor, text), request=request)
        if request.intent == "create":
            outcome = await self._create(actor, state, thread_id)
        elif request.intent == "text_edit":
            outcome = await self._text_edit(actor, state, thread_id)
        else:
            outcome = await self._on_item(actor, state, thread_id)
        outcome.request = request
        return outcome

    # ---- answers to a question folio asked ----------------------------------------------------
    async def _answer(self, actor: Actor, text: str, waiting: dict[str, Any],
                      thread_id: str | None) -> Outcome | None:
        """The owner answering folio's last question; None when the message is a new request instead."""
        ask = waiting.get("ask")
        if _NEVER_MIND.match(text):
            return Outcome(text=prompts.REQUEST_CANCELLED)
        if ask == "fields":
            kind, fields = waiting["kind"], dict(waiting.get("fields") or {})
            wanted = waiting.get("missing") or []
            if len(wanted) == 1 and len(text.split()) <= extract.MAX_NAME_WORDS:
                fields[wanted[0]] = text.strip().rstrip(".").strip("\"“”'‘’")
            else:
                fields.update(await extract.fields_from(self.model, kind, text, creating=True,
                                                        context=waiting.get("text", "")))
            still = extract.missing(kind, fields)
            if still:  # asked once already: say what is missing and stop
                return Outcome(text=prompts.STILL_MISSING.format(fields=", ".join(still), it=_it(still)))
            return await self._propose(actor, "create", kind, None, fields, thread_id)
        if ask == "which":
            chosen = [c for c in waiting.get("choices", [])
                      if title_score(text, c["label"], c["slug"]) >= CLEAR]
            if len(chosen) == 1:
                return await self.choose(actor, waiting, chosen[0]["kind"], chosen[0]["slug"], thread_id)
        return None

    async def choose(self, actor: Actor, waiting: dict[str, Any], kind: str, slug: str,
                     thread_id: str | None) -> Outcome:
        """The owner picked one of the offered items (a button, or by typing its name)."""
        offered = {(c["kind"], c["slug"]): c for c in waiting.get("choices", [])}
        if (kind, slug) not in offered:
            return Outcome(text=prompts.CHANGE_NOT_PROPOSED.format(reason="that choice is no longer open"))
        picked = offered[(kind, slug)]
        candidate = Candidate(kind, slug, picked["label"], 1.0, picked.get("field"))
        return await self._with_item(actor, waiting, candidate, thread_id)

    # ---- the requests ---------------------------------------------------------------------------
    async def _create(self, actor: Actor, state: dict[str, Any], thread_id: str | None) -> Outcome:
        kind = state["kind"] or "project"  # settle() already took the kind the owner's words name
        fields = await extract.fields_from(self.model, kind, state["text"], creating=True)
        wanted = extract.missing(kind, fields)
        if wanted:
            understood = _understood(fields)
            question = prompts.ASK_FIELDS.format(kind=kind, fields=", ".join(wanted), it=_it(wanted))
            return Outcome(text=f"{understood}{question}", waiting={
                "ask": "fields", "kind": kind, "fields": fields, "missing": wanted, "text": state["text"]})
        return await self._propose(actor, "create", kind, None, fields, thread_id)

    async def _text_edit(self, actor: Actor, state: dict[str, Any], thread_id: str | None) -> Outcome:
        find, replace = await extract.edit_from(self.model, state["text"])
        if not find:
            return Outcome(text=prompts.ASK_EDIT)
        found = await self.services.resolver.containing(actor, find, state["kind"], description=state["item"])
        if not found.candidates and state["kind"] and intent.kind_in(state["text"]) is None:
            found = await self.services.resolver.containing(actor, find, None, description=state["item"])  # a guess
        if found.match is None and not found.candidates:
            return Outcome(text=prompts.NOT_FOUND_TEXT.format(find=find, kind=state["kind"] or "item"))
        written = (found.match or found.candidates[0]).found or find  # as the text has it ("postgress")
        if not replace and intent.is_typo(state["text"]):  # the model left out the right spelling
            replace = await self.services.resolver.spelling(actor, written)
        if not replace:
            return Outcome(text=prompts.ASK_REPLACEMENT.format(find=find))
        if written != find and written[:1].isupper() and replace[:1].islower():
            replace = replace[:1].upper() + replace[1:]
        state = {**state, "find": written, "replace": replace}
        return await self._resolved(actor, state, found, thread_id, prompts.ASK_WHICH_TEXT.format(find=find))

    async def _on_item(self, actor: Actor, state: dict[str, Any], thread_id: str | None) -> Outcome:
        """update / delete / publish: find the item, then propose."""
        description = state["item"] or state["text"]
        found = await self.services.resolver.resolve(actor, description, state["kind"])
        if found.match is None and state["kind"] and intent.kind_in(state["text"]) is None:
            anywhere = await self.services.resolver.resolve(actor, description, None)  # the model's kind was a guess
            if anywhere.match is not None:
                found = anywhere
        kind = state["kind"] or "item"
        if found.match is None and not found.candidates:
            return Outcome(text=prompts.NOT_FOUND_ITEM.format(kind=kind, item=description))
        return await self._resolved(actor, state, found, thread_id, prompts.ASK_WHICH.format(kind=kind))

    async def _resolved(self, actor: Actor, state: dict[str, Any], found: Resolution, thread_id: str | None,
                        question: str) -> Outcome:
        if found.match is not None:
            return await self._with_item(actor, state, found.match, thread_id)
        choices = [Choice(f"{c.title} ({c.kind})", c.kind, c.slug) for c in found.candidates]
        waiting = {**state, "ask": "which", "choices": [
            {"label": c.title, "kind": c.kind, "slug": c.slug, "field": c.field} for c in found.candidates]}
        return Outcome(text=question, choices=choices, waiting=waiting)

    async def _with_item(self, actor: Actor, state: dict[str, Any], item: Candidate,
                         thread_id: str | None) -> Outcome:
        action = state["intent"]
        if action == "text_edit":
            return await self._replace(actor, state, item, thread_id)
        if action == "update":
            fields = await extract.fields_from(self.model, item.kind, state["text"], creating=False)
            if not fields:
                return Outcome(text=prompts.ASK_CHANGES.format(title=item.title))
            return await self._propose(actor, "update", item.kind, item.slug, fields, thread_id)
        return await self._propose(actor, action, item.kind, item.slug, None, thread_id)

    async def _replace(self, actor: Actor, state: dict[str, Any], item: Candidate,
                       thread_id: str | None) -> Outcome:
        """Every occurrence of the words, in every text field of the item that holds them."""
        current = await self.services.content(item.kind).get(actor, item.slug)
        find, replace = state["find"], state["replace"]
        fields = {f: getattr(current, f).replace(find, replace) for f in KINDS[item.kind].text_fields
                  if find in (getattr(current, f) or "")}
        if not fields:
            return Outcome(text=prompts.NOT_FOUND_TEXT.format(find=find, kind=f"“{item.title}”"))
        return await self._propose(actor, "update", item.kind, item.slug, fields, thread_id)

    async def _propose(self, actor: Actor, action: str, kind: str, slug: str | None,
                       fields: dict[str, Any] | None, thread_id: str | None) -> Outcome:
        try:
            change = await (self.services.profile_changes.propose(actor, fields or {}, thread_id=thread_id)
                            if kind == PROFILE.name else
                            self.services.changes.propose(actor, action, kind, slug=slug, fields=fields,
                                                          thread_id=thread_id))
        except DomainError as exc:
            return Outcome(text=prompts.CHANGE_NOT_PROPOSED.format(reason=exc.message))
        return Outcome(change=change)

    # ---- the inbox --------------------------------------------------------------------------------
    async def inbox(self, actor: Actor, text: str) -> str:
        lowered = text.lower()
        want_contacts = any(w in lowered for w in ("contact", "reach", "email", "get in touch", "message"))
        want_questions = any(w in lowered for w in ("question", "ask", "unanswered"))
        parts = []
        if want_questions or not want_contacts:
            page = await self.services.inbox.questions(actor, limit=INBOX_LIMIT)
            if page.items:
                lines = [f"- {q.created_at:%Y-%m-%d}: «{shorten(q.question, 200)}»" for q in page.items]
                parts.append(f"**{page.total} unanswered question(s)** (visitors' words, quoted):\n" + "\n".join(lines))
        if want_contacts or not want_questions:
            page = await self.services.inbox.contacts(actor, limit=INBOX_LIMIT)
            if page.items:
                lines = [f"- {c.created_at:%Y-%m-%d} {shorten(c.name, 80)} <{c.email}>: «{shorten(c.message, 200)}»"
                         for c in page.items]
                parts.append(f"**{page.total} contact request(s)** (visitors' words, quoted):\n" + "\n".join(lines))
        return "\n\n".join(parts) or prompts.INBOX_EMPTY


def _it(names: list[str]) -> str:
    return "it" if len(names) == 1 else "they"


def _understood(fields: dict[str, Any]) -> str:
    if not fields:
        return ""
    shown = "; ".join(f"{k}: {', '.join(v) if isinstance(v, list) else v}" for k, v in fields.items())
    return prompts.UNDERSTOOD.format(what=shown) + "\n\n"
