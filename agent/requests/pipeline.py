"""The owner's request, understood however it is phrased: understand -> resolve -> validate -> propose.

    understand  one grammar-constrained model call turns the message into a Request: the operation, the
                kind, the target as a real item's key (or "new"), the values (request.py)
    resolve     the target must be plausible for the message (its words, or search agrees); otherwise the
                2-3 closest items are offered, never a guess
    validate    every value must be in the message: dates by a date parser, titles as the owner named
                them, lists merged with the stored list (values.py); a missing required field is asked
                for once, with what was understood
    propose     the same services as REST propose the change (folio.services.changes); nothing is
                written before the owner presses Confirm (chat/owner_chat.py)

Questions go to the visitors' answering pipeline with the owner's visibility (agent/answering);
drafting steps go to the drafting flow. UI-free: chat/owner_chat.py shows the Outcome."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from langchain_core.language_models import BaseChatModel

from agent.reading import ReadFailed, catalogue_lines, read_structured
from agent.reading.naming import fold, mentions, named_items, names_item, weak_words
from agent.requests.fields import read_fields
from agent.requests.request import DRAFTING, OPERATIONS, Request, parse, schema
from agent.requests.values import (
    as_bool,
    as_date,
    as_list,
    as_months,
    as_text,
    as_url,
    dates_in,
    describes,
    plus_months,
    said,
)
from agent.requests.which import pick, role_by_time
from folio import prompts
from folio.actor import Actor
from folio.errors import DomainError
from folio.kinds import KINDS
from folio.services import Services
from folio.services.catalogue import Record
from folio.services.changes import ProposedChange
from folio.visitor_text import markdown_literal

log = logging.getLogger(__name__)
INBOX_LIMIT = 10
CHOICES = 3
_NEVER_MIND = re.compile(r"^\W*(no|nope|never ?mind|cancel|forget (it|that)|stop|leave it|none)\W*$", re.I)
_STOP = {"the", "my", "and", "for", "with", "from", "into", "that", "this", "your", "project", "post", "role"}

# The owner's field words, per kind: the request's field -> the kind's stored field.
ALIASES = {
    "project": {"name": "title", "description": "summary", "tech": "tech_stack", "ended_on": "finished_on",
                "link": "live_url"},
    "post": {"name": "title", "summary": "excerpt", "description": "excerpt", "image_url": "cover_image_url"},
    "certification": {"title": "name", "summary": "description", "started_on": "issued_on",
                      "finished_on": "expires_on", "ended_on": "expires_on", "link": "credential_url",
                      "image_url": "badge_image_url"},
    "experience": {"name": "title", "description": "summary", "finished_on": "ended_on", "issuer": "organisation"},
    "profile": {"title": "headline", "summary": "headline", "description": "bio", "tags": None},
}
LIST_FIELDS = {"project": {"tags": "tags", "tech": "tech_stack"}, "post": {"tags": "tags", "tech": "tags"},
               "experience": {"tech": "tech", "highlights": "highlights", "tags": "tech"}, "certification": {}}
DATES = {"started_on", "finished_on", "issued_on", "expires_on", "ended_on", "published_at"}
LASTS_FROM = {"expires_on": "issued_on", "finished_on": "started_on", "ended_on": "started_on"}  # end: its start
URLS = {"repo_url", "live_url", "image_url", "cover_image_url", "credential_url", "badge_image_url"}
CLEARED = {"null", "none", "empty", "clear", "cleared", "remove", "removed", "-"}
REQUIRED = {"project": ("title",), "post": ("title",), "certification": ("name", "issuer"),
            "experience": ("organisation", "title", "started_on")}


@dataclass(frozen=True)
class Choice:
    label: str
    kind: str
    slug: str


@dataclass
class Outcome:
    text: str = ""  # a question or an explanation for the owner
    change: ProposedChange | None = None  # shown with Confirm / Cancel
    choices: list[Choice] = field(default_factory=list)  # buttons: which item is meant
    waiting: dict[str, Any] | None = None  # the request waiting for the owner's answer (kept in the session)
    operation: str = ""
    request: Request | None = None  # how the message was read (for the log and the evaluation)
    question: bool = False  # a question: the answering pipeline answers it with the owner's visibility
    drafting: str | None = None  # a drafting step for the drafting flow


class OwnerRequests:
    def __init__(self, services: Services, reader: BaseChatModel):
        self.services = services
        self.reader = reader  # temperature 0, not streamed, grammar-constrained

    async def handle(self, actor: Actor, text: str, *, draft_title: str | None = None,
                     waiting: dict[str, Any] | None = None, thread_id: str | None = None) -> Outcome:
        if waiting and _NEVER_MIND.match(text):
            return Outcome(text=prompts.REQUEST_CANCELLED)
        message = f"{waiting['text']}\n{text}" if waiting and waiting.get("text") else text
        records = await self.services.answers.catalogue.records(actor)
        request = await self.understand(message, records, draft_title)
        log.info("owner request: %s", request)
        outcome = await self._route(actor, request, message, records, draft_title, thread_id)
        outcome.request = request
        return outcome

    async def _route(self, actor: Actor, request: Request, message: str, records: list[Record],
                     draft_title: str | None, thread_id: str | None) -> Outcome:
        if draft_title is not None and _maybe_the_draft(request, message, records):
            request = replace(request, operation=await self.draft_step(message, draft_title, request.operation))
        if (request.operation in ("publish", "draft_publish") and request.target == "new" and draft_title is None
                and _post_given(request, message)):  # a new post given whole, to publish: created (published)
            request = replace(request, operation="create", kind="post")
        if (request.operation in DRAFTING and request.operation != "draft_new" and draft_title is None
                and request.target in {r.key for r in records}):  # no draft open: about an existing item
            request = replace(request, operation="publish" if request.operation == "draft_publish" else "unpublish")
        if request.operation == "create" and request.kind == "post" and not _title_given(request, message):
            request = replace(request, operation="draft_new")  # a post to write, not one given ("help me write...")
        if request.operation == "draft_new" and _post_given(request, message):
            # A post the owner has already written the fields of ("new unpublished post titled X, excerpt ..., tags
            # ..."): stored as a draft with those fields (confirmed first), not drafted for them by the model.
            return await self._create(actor, replace(request, operation="create", kind="post", target="new"),
                                      message, thread_id)
        if request.operation in DRAFTING:
            return Outcome(operation=request.operation, drafting=request.operation)
        if request.operation == "question":
            return Outcome(operation="question", question=True)
        if request.operation == "inbox":
            return Outcome(operation="inbox", text=await self.inbox(actor, message))
        return await self._write(actor, request, message, records, thread_id)

    async def choose(self, actor: Actor, waiting: dict[str, Any], kind: str, slug: str,
                     thread_id: str | None) -> Outcome:
        """The owner picked one of the offered items: the waiting request goes on with it."""
        if {"kind": kind, "slug": slug} not in [{"kind": c["kind"], "slug": c["slug"]}
                                               for c in waiting.get("choices", [])]:
            return Outcome(text=prompts.CHANGE_NOT_PROPOSED.format(reason="that choice is no longer open"))
        records = await self.services.answers.catalogue.records(actor)
        request = Request(**{**waiting["request"], "target": f"{kind}:{slug}", "kind": kind,
                             "fields": tuple(tuple(f) for f in waiting["request"]["fields"]),
                             "values": tuple(waiting["request"]["values"])})
        return await self._write(actor, request, waiting["text"], records, thread_id, chosen=True)

    # ---- understand ----------------------------------------------------------------------------------

    async def understand(self, message: str, records: list[Record], draft_title: str | None,
                         as_new: bool = False, operations: tuple[str, ...] = OPERATIONS) -> Request:
        """`as_new`: read it again as a new item (the grammar allows only a create); `operations`: read it
        again without a reading that did not hold."""
        keys = [r.key for r in records]
        system = prompts.OWNER_READ_PROMPT.format(catalogue=catalogue_lines(records))
        draft = prompts.OWNER_DRAFT_OPEN.format(title=draft_title) if draft_title else ""
        grammar = schema(keys, ("create",), ["new"]) if as_new else schema(keys, operations)
        try:
            data = await read_structured(self.reader, system, prompts.OWNER_READ_INPUT.format(
                draft=draft, message=message[:4000]), "owner_request", grammar)
        except ReadFailed:
            return Request("question")
        return parse(data, keys)

    async def draft_step(self, message: str, draft_title: str, reading: str) -> str:
        """With a draft open, a change to "the post" or "a new post" is most often a revision of the draft
        ("make it shorter", "change the title to ..."): read that question alone; "other" keeps `reading`."""
        try:
            data = await read_structured(self.reader, prompts.OWNER_DRAFT_STEP_PROMPT.format(title=draft_title),
                                         message[:4000], "draft_step", DRAFT_STEP_SCHEMA)
        except ReadFailed:
            return reading
        step = DRAFT_STEPS.get(str(data.get("step")))
        log.info("with the draft open, read as %s (first reading %s)", step or "other", reading)
        return step or reading

    async def post_status(self, message: str) -> str:
        """A new post the owner gave: published at once only when the message asks for it ("put it live");
        otherwise it is stored as a draft."""
        try:
            data = await read_structured(self.reader, prompts.OWNER_POST_STATUS_PROMPT, message[:4000],
                                         "post_status", POST_STATUS_SCHEMA)
        except ReadFailed:
            return "draft"
        return "published" if data.get("status") == "publish_now" else "draft"

    # ---- resolve, validate, propose ------------------------------------------------------------------

    async def _write(self, actor: Actor, request: Request, message: str, records: list[Record],
                     thread_id: str | None, chosen: bool = False) -> Outcome:
        by_key = {r.key: r for r in records}
        if request.operation == "replace_text" and not request.replace.strip() and said(request.find, message):
            request = _as_list_removal(request, records)  # "drop the X tag": a value of a list, not text
            chosen = chosen or request.extra.get("only_holder", False)
        if request.operation == "replace_text" and not chosen and not (
                said(request.find, message) and any(_edit_in(r.text(), request, message) for r in records)):
            # Words to replace that the message doesn't hold, or no item does: not a text edit ("post -> draft",
            # "it started on <date>, fix that"); read again without that reading.
            again = await self.understand(message, records, None,
                                          operations=tuple(o for o in OPERATIONS if o != "replace_text"))
            log.info("read again without replace_text: %s", again)
            if again.operation in DRAFTING or again.operation in ("question", "inbox"):
                return await self._route(actor, again, message, records, None, thread_id)
            request = again
        if request.list == "links" and request.operation != "create":  # only the profile has links
            request = replace(request, operation="profile", kind="profile", target="none")
        request = _named_target(request, message, records, chosen)
        target = by_key.get(request.target)
        if target is None and (request.operation == "profile" or request.kind == "profile"):
            return await self._profile(actor, request, message, thread_id)
        if request.operation == "create":
            return await self._create(actor, request, message, thread_id)
        editing = request.operation == "replace_text" or (  # or a set whose only values are words to replace
            request.operation == "set" and bool(request.replace) and request.kind in KINDS
            and not _fields(request.kind, request, message, creating=False))
        if (editing and said(request.find, message)
                and (target is None or not _edit_in(target.text(), request, message, loose=False))):
            # The items that have the words as written; only when none does, the ones a swapped or wider
            # reading fits ("Postgres" for "Postgress" would fit every post about PostgreSQL).
            holding = ([r for r in records if _edit_in(r.text(), request, message, loose=False)]
                       or [r for r in records if _edit_in(r.text(), request, message)])
            if len(holding) == 1:  # the one item whose text holds the words: clear, found in code
                target, chosen = holding[0], True
        if (target is not None and not chosen and request.operation in ("set", "add_values")
                and len(REQUIRED[target.kind]) > 1
                and (not _named_by_title(target, message, records)
                     or (request.operation == "add_values" and dates_in(message, date.today())))
                and (created := await self._created_instead(actor, target, message))):
            # A role or certification told whole (a new title, organisation and dates) that the reading took
            # for a change of one the message doesn't name, or for values added to one it names in passing
            # (a list takes no dates: dates in the message tell of something else): the new item (still
            # confirmed first).
            proposed = await self.services.changes.propose_create(actor, target.kind, created, thread_id=thread_id)
            return Outcome(change=proposed, operation="create")
        if target is not None and not chosen:  # the item stands, or the second look moves it, or it's unclear
            target = await self._second_look(actor, target.kind, message, records, target)
        if target is None:
            if request.operation in ("set", "add_values", "feature", "publish", "show") and not named_items(
                    message, records):
                # A change to no item the message names may be a new item ("add Orbit, repo ..."): read again
                # as a create, proposed only with every required field (still confirmed first).
                again = await self.understand(message, records, None, as_new=True)
                log.info("no item named: read again as a new item: %s", again)
                kind = again.kind if again.kind in KINDS else "project"
                given = _fields(kind, again, message, creating=True) | _list_values(kind, again, message)
                # A name (or a name and a description) is no new item: "the X project" may be a way to say one
                # that exists. A new item announced in passing comes with something only it has: a link, a date.
                if _named_like_a_name(again, message) and set(given) & (URLS | DATES):
                    outcome = await self._create(actor, again, message, thread_id, ask=False)
                    if outcome.change is not None:
                        return outcome
            if request.target == "none" and not chosen:  # nothing read: the second look and search may agree
                target = await self._second_look(actor, request.kind, message, records, None)
            if target is None:
                return await self._ask_which(actor, request, message, records)
        try:
            change = await self._propose(actor, request, target, message, thread_id)
        except DomainError as exc:
            if request.operation != "set" or request.extra.get("narrowed"):
                return Outcome(text=prompts.CHANGE_NOT_PROPOSED.format(reason=exc.message),
                               operation=request.operation)
            # A reading whose values don't hold together (an issue date read as the expiry): read again,
            # asking only for this item's fields.
            narrowed = replace(request, fields=await read_fields(self.reader, message, target.kind, target),
                               extra={"narrowed": True})
            return await self._write(actor, narrowed, message, records, thread_id, chosen=True)
        if isinstance(change, Outcome):
            return change
        return Outcome(change=change, operation=request.operation)

    async def _second_look(self, actor: Actor, kind: str, message: str, records: list[Record],
                           read: Record | None) -> Record | None:
        """The item the request is about: where two of three signals agree. The one read stands when the
        message names it (a word of its title no other title shares) or search ranks it first. Otherwise it
        is shown beside the closest items by search, in no reading's order, and the model picks again
        (which.py): the read item stands when picked again; search's first item is taken when the model
        picks it; anything else is unclear (the owner is asked)."""
        if read is not None and _named_by_title(read, message, records):
            return read
        if kind == "experience":  # "the job I have now": a relation in time, found from the dates
            roles = [r for r in records if r.kind == "experience"]
            if (by_time := await role_by_time(self.reader, message, roles)) is not None:
                return by_time
        near = await self._closest(actor, message, kind if kind in KINDS else None)
        if read is not None and near and near[0].key == read.key:  # the reading and search agree
            return read
        candidates = ([read] if read is not None else []) + [r for r in near if read is None or r.key != read.key]
        if not candidates:
            return None
        candidates.sort(key=lambda r: r.key)  # in no reading's order: a small model favours the first shown
        picked = await pick(self.reader, message, candidates)
        if read is not None and picked == read.key:
            return read
        return near[0] if near and picked == near[0].key else None

    async def _closest(self, actor: Actor, message: str, kind: str | None) -> list[Record]:
        records = {(r.kind, r.slug): r for r in await self.services.answers.catalogue.records(actor)}
        try:
            hits = await self.services.search.search(actor, message[:500], limit=CHOICES,
                                                     kind=kind if kind in KINDS else None)
        except DomainError:
            return []
        return [records[(h.type, h.slug)] for h in hits if (h.type, h.slug) in records]

    async def _ask_which(self, actor: Actor, request: Request, message: str, records: list[Record]) -> Outcome:
        kind = request.kind if request.kind in KINDS else None
        near = await self._closest(actor, message, kind)
        read = next((r for r in records if r.key == request.target), None)
        if read is not None and read not in near:  # what the message was read as is one of the choices
            near = [read, *near][:CHOICES]
            kind = read.kind
        if not near:
            return Outcome(text=prompts.OWNER_NOT_UNDERSTOOD, operation=request.operation)
        choices = [Choice(f"{r.title} ({r.noun})", r.kind, r.slug) for r in near]
        waiting = {"text": message, "choices": [c.__dict__ for c in choices],
                   "request": {**request.__dict__, "extra": {}}}
        return Outcome(text=prompts.ASK_WHICH.format(kind=KINDS[kind].called if kind else "item"),
                       choices=choices, waiting=waiting, operation=request.operation)

    async def _propose(self, actor: Actor, request: Request, target: Record, message: str,
                       thread_id: str | None) -> ProposedChange | Outcome:
        changes, kind, slug, spec = self.services.changes, target.kind, target.slug, KINDS[target.kind]
        op = request.operation
        if op == "delete":
            return await changes.propose_delete(actor, kind, slug, thread_id=thread_id)
        if op in ("publish", "show"):
            return await changes.propose_publish(actor, kind, slug, thread_id=thread_id)
        if op in ("unpublish", "hide"):
            hidden = {"status": "draft"} if kind == "post" else {"published": False}
            return await changes.propose_update(actor, kind, slug, hidden, thread_id=thread_id)
        if op in ("feature", "unfeature"):
            return await changes.propose_update(actor, kind, slug, {"featured": op == "feature"},
                                                thread_id=thread_id)
        if op == "replace_text":
            return await self._replace(actor, request, target, message, thread_id)
        fields = _fields(kind, request, message, creating=False)
        lists = _list_values(kind, request, message)
        if op == "set" and not fields and not lists and request.replace and _edit_in(target.text(), request, message):
            return await self._replace(actor, request, target, message, thread_id)  # "it says 300, now 450"; a rename
        # Values that are sentences or dates are no tags: a new item told in passing, perhaps.
        described = op == "add_values" and any(describes(v, message) for v in request.values)
        if (described or (op in ("set", "add_values") and not fields and not lists)) and (
                created := await self._created_instead(actor, target, message)):
            return await changes.propose_create(actor, kind, created, thread_id=thread_id)
        if described or (op == "add_values" and not fields and not lists and _sentences(request.values)):
            # Neither a new item nor values of one of its lists: nothing is guessed (read as fields to set,
            # words told about a new item would overwrite the item they were read as).
            return Outcome(text=prompts.OWNER_NOT_UNDERSTOOD, operation=op)
        if op in ("set", "add_values") and not fields and not lists:
            # Nothing usable: read again, asking only which of this item's fields change, and to what.
            request = replace(request, fields=await read_fields(self.reader, message, kind, target))
            fields, lists = _fields(kind, request, message, creating=False), _list_values(kind, request, message)
        if op == "remove_values" and request.values and not any(
                v.lower() in {x.lower() for x in target.values.get(f) or []} for f in lists for v in lists[f]) and all(
                fold(v) in (fold(target.title), fold(target.slug)) for v in request.values):
            # "drop X from my projects": the item itself, not a value of its lists (still confirmed first)
            return await changes.propose_delete(actor, kind, slug, thread_id=thread_id)
        for name, values in lists.items():
            stored = list(target.values.get(name) or [])
            if op == "remove_values":
                kept = [v for v in stored if v.lower() not in {x.lower() for x in values}]
                if len(kept) == len(stored):
                    return Outcome(text=prompts.OWNER_NOT_IN_LIST.format(kind=spec.called, title=target.title,
                                                                         values=", ".join(values), field=name))
                fields[name] = kept
            else:
                fields[name] = stored + [v for v in values if v.lower() not in {s.lower() for s in stored}]
        if not fields and _asks(message):  # read as a change, but nothing in it is a new value: a question
            return Outcome(operation="question", question=True)
        if not fields:
            return Outcome(text=prompts.OWNER_ASK_FIELD.format(
                understood=f"a change to the {spec.called} {target.title}",
                missing=prompts.OWNER_MISSING.format(fields="new value")),
                waiting={"text": message}, operation=op)
        return await changes.propose_update(actor, kind, slug, fields, thread_id=thread_id)

    async def _created_instead(self, actor: Actor, target: Record, message: str) -> dict[str, Any] | None:
        """A change that changes nothing may be a new item whose words resemble this one ("add my role as X
        at Y" read as an update of another role): read again as a create. Its fields when that reading
        holds every required one (the create is then proposed, still confirmed first)."""
        kind, spec = target.kind, KINDS[target.kind]
        if len(REQUIRED[kind]) < 2:  # a title alone is no sign of a new item (it may be the new excerpt)
            return None
        records = await self.services.answers.catalogue.records(actor)
        again = await self.understand(message, records, None, as_new=True)
        log.info("read again as a new item: %s", again)
        if again.kind != kind:
            return None
        created = _split_role(kind, _fields(kind, again, message, creating=True) | _list_values(kind, again, message),
                              message)
        title, same = fold(str(created.get(spec.title_field) or "")), fold(target.title)
        if all(created.get(f) for f in REQUIRED[kind]) and title not in same and same not in title:
            return await self._completed(kind, again, message, created)
        return None

    async def _completed(self, kind: str, request: Request, message: str, fields: dict[str, Any]) -> dict[str, Any]:
        """A new item's dates and links that the reading left out ("earned it last week, good for three years"),
        and its lists when two of them came out the same (the tags copied into the stack): read again with
        only the kind's own fields; each value still checked against the message."""
        wanted = (DATES | URLS) & set(KINDS[kind].create.model_fields)
        doubled = _doubled_lists(kind, fields)
        if wanted <= set(fields) and not doubled:
            return fields
        more = await read_fields(self.reader, message, kind, None)
        again = _list_values(kind, Request(request.operation, kind, fields=more), message)
        apart = {**fields, **{k: again[k] for k in doubled if again.get(k)}}
        if doubled and not _doubled_lists(kind, apart):
            log.info("lists read again apart: %s", {k: apart[k] for k in doubled})
            fields = apart
        found = _fields(kind, replace(request, fields=(*request.fields, *more)), message, creating=True)
        return {**{k: v for k, v in found.items() if k in wanted}, **fields}

    async def _replace(self, actor: Actor, request: Request, target: Record, message: str,
                       thread_id: str | None) -> ProposedChange | Outcome:
        spec = KINDS[target.kind]
        find, replace = request.find.strip(), request.replace.strip()
        if not find or not said(find, message) or (replace and not said(replace, message)):
            return Outcome(text=prompts.ASK_EDIT, waiting={"text": message}, operation="replace_text")
        # A field whose whole value is the words (a rename: the title) first, then the main text.
        whole = {name for name in spec.text_fields if fold(str(target.values.get(name) or "")).strip() == fold(find)}
        ordered = sorted(spec.text_fields, key=lambda f: (f not in whole, f != spec.body_field))
        for loose, name in [(loose, name) for loose in (False, True) for name in ordered]:  # as written first
            current = str(target.values.get(name) or "")
            if edit := _edit_in(current, request, message, loose=loose):
                return await self.services.changes.propose_replace(
                    actor, target.kind, target.slug, name, *edit, thread_id=thread_id)
        return Outcome(text=prompts.OWNER_TEXT_NOT_FOUND.format(find=find[:80], kind=spec.called, title=target.title))

    async def _create(self, actor: Actor, request: Request, message: str, thread_id: str | None,
                      ask: bool = True) -> Outcome:
        """`ask`: ask for a missing required field (False: propose only a complete item, else nothing)."""
        kind = request.kind if request.kind in KINDS else "project"
        fields = _fields(kind, request, message, creating=True)
        fields.update(_list_values(kind, request, message))
        fields = _split_role(kind, fields, message)
        if missing := [f for f in REQUIRED[kind] if not fields.get(f)]:
            # Read again, asking only for this kind's fields; what the first reading found stays.
            again = replace(request, fields=await read_fields(self.reader, message, kind, None), values=())
            found = _split_role(kind, _fields(kind, again, message, creating=True) | _list_values(kind, again, message),
                                message)
            placed = {v.lower() for f in LIST_FIELDS[kind].values() for v in found.get(f) or []}
            fields = {**{k: v for k, v in fields.items()  # a list the first reading put in the wrong field
                         if not (k in LIST_FIELDS[kind].values() and {x.lower() for x in v} <= placed)}, **found}
            missing = [f for f in REQUIRED[kind] if not fields.get(f)]
        if missing and not ask:
            return Outcome(operation="create")
        if not missing:
            fields = await self._completed(kind, request, message, fields)
            if kind == "post":
                fields["status"] = await self.post_status(message)
        fields = _once(kind, fields)
        if missing:
            understood = ", ".join(f"{k}: {v}" for k, v in fields.items()) or f"a new {KINDS[kind].called}"
            return Outcome(text=prompts.OWNER_ASK_FIELD.format(
                understood=understood, missing=prompts.OWNER_MISSING.format(fields=" and ".join(missing))),
                waiting={"text": message}, operation="create")
        try:
            change = await self.services.changes.propose_create(actor, kind, fields, thread_id=thread_id)
        except DomainError as exc:
            return Outcome(text=prompts.CHANGE_NOT_PROPOSED.format(reason=exc.message), operation="create")
        return Outcome(change=change, operation="create")

    async def _profile(self, actor: Actor, request: Request, message: str, thread_id: str | None) -> Outcome:
        fields: dict[str, Any] = {}
        profile = await self.services.profile.find()
        adding_link = any(n == "link" for n, _ in request.fields) or any(as_url(v, message) for v in request.values)
        for name, value in request.fields:
            if adding_link and name in ("title", "name", "summary"):
                continue  # the link's label, not the owner's name or headline
            name = ALIASES["profile"].get(name, name)
            if name == "open_to_work":
                flag = as_bool(value)
                if flag is not None:
                    fields[name] = flag
            elif name == "link":
                url = as_url(value, message)
                if url:
                    stored = list(profile.links or []) if profile else []
                    fields["links"] = [*stored, {"label": _link_label(request, url), "url": url}]
            elif name in ("headline", "bio", "location", "availability", "contact", "name") and (
                    text := as_text(value, message)) is not None:
                fields[name] = text
        removing = request.operation in ("remove_values", "delete") or bool(request.find and not request.replace)
        named = [v for v in (*request.values, request.find) if v and said(v, message)]
        if removing and profile and profile.links and "links" not in fields:  # "remove the LinkedIn link"
            def meant(link) -> bool:
                label, url = fold(str(link.get("label") or "")).strip(), str(link.get("url") or "")
                return any((label and label in fold(v)) or (url and url in v) for v in named)
            kept = [link for link in profile.links if not meant(link)]
            if len(kept) < len(profile.links):
                fields["links"] = kept
        links = [url for v in request.values if (url := as_url(v, message))]
        written = re.findall(r"(?:https?://|www\.)\S+", message)
        if not links and not fields and not removing and len(written) == 1:  # "add my X: <url>", the url not read
            links = [url] if (url := as_url(written[0], message)) else []
        if links and "links" not in fields and not removing:
            stored = list(profile.links or []) if profile else []
            fields["links"] = [*stored, *({"label": _link_label(request, u), "url": u} for u in links
                                          if u not in {x.get("url") for x in stored})]
        if not fields and _asks(message):
            return Outcome(operation="question", question=True)
        if not fields:
            return Outcome(text=prompts.OWNER_ASK_FIELD.format(
                understood="a change to your profile", missing=prompts.OWNER_MISSING.format(fields="new value")),
                waiting={"text": message}, operation="profile")
        try:
            change = await self.services.profile_changes.propose(actor, fields, thread_id=thread_id)
        except DomainError as exc:
            return Outcome(text=prompts.CHANGE_NOT_PROPOSED.format(reason=exc.message), operation="profile")
        return Outcome(change=change, operation="profile")

    async def inbox(self, actor: Actor, text: str) -> str:
        parts = []
        page = await self.services.inbox.questions(actor, limit=INBOX_LIMIT)
        if page.items:
            lines = [f"- {q.created_at:%Y-%m-%d}: «{markdown_literal(_short(q.question))}»" for q in page.items]
            parts.append(f"**{page.total} unanswered question(s)** (visitors' words, quoted):\n" + "\n".join(lines))
        page = await self.services.inbox.contacts(actor, limit=INBOX_LIMIT)
        if page.items:
            # Visitors' words are shown as written, never as Markdown: no link, image or HTML of theirs renders.
            lines = [f"- {c.created_at:%Y-%m-%d} {markdown_literal(_short(c.name, 80))} "
                     f"({markdown_literal(c.email)}): «{markdown_literal(_short(c.message))}»" for c in page.items]
            parts.append(f"**{page.total} contact request(s)** (visitors' words, quoted):\n" + "\n".join(lines))
        return "\n\n".join(parts) or prompts.INBOX_EMPTY


_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def _edit_in(text: str, request: Request, message: str, loose: bool = True) -> tuple[str, str] | None:
    """The words to replace as the text has them, and what replaces them. A model may swap the two ("it
    says X, should be Y" read as X -> ... Y), or quote more than the text holds ("38,000 events/s" for
    "38,000 events per second"): then the one number the two differ in, when the text has it once."""
    find, new = request.find.strip(), request.replace.strip()
    if not find or not said(find, message) or (new and not said(new, message)):
        return None
    lowered = text.lower()
    for old, replacement in ((find, new), (new, find)) if loose else ((find, new),):
        at = lowered.find(old.lower()) if old else -1
        if at >= 0:
            return text[at:at + len(old)], replacement
    if not loose:
        return None
    for old, replacement in ((find, new), (new, find)):
        a, b = _NUMBER.findall(old), _NUMBER.findall(replacement)
        if len(a) == 1 and len(b) == 1 and a != b and len(re.findall(rf"(?<![\d,.]){re.escape(a[0])}(?![\d,])",
                                                                      text)) == 1:
            return a[0], b[0]
    return None


def _as_list_removal(request: Request, records: list[Record]) -> Request:
    """A text edit that deletes words which are a value of an item's list (a tag, a technology): that
    value removed from the list: on the one item that has it (found in code: `only_holder`), else on the
    reading's target when it has it."""
    wanted = fold(request.find).strip()
    holding = {r.key: name for r in records for name in LIST_FIELDS.get(r.kind, {})
               if wanted in {fold(str(v)) for v in r.values.get(LIST_FIELDS[r.kind][name]) or []}}
    if not holding:
        return request
    key = next(iter(holding)) if len(holding) == 1 else request.target if request.target in holding else "none"
    kind = key.split(":")[0] if key != "none" else request.kind
    return replace(request, operation="remove_values", target=key, kind=kind, values=(request.find.strip(),),
                   list=holding.get(key, "tags"), find="", extra={"only_holder": len(holding) == 1})


def _asks(message: str) -> bool:
    """The message is a question (it ends with a question mark, in any language)."""
    return message.rstrip().endswith(("?", "？"))


def _named_by_title(record: Record, message: str, records: list[Record]) -> bool:
    """The message holds a word of the item's title (or URL name) that no other title shares."""
    said_words, weak = set(re.findall(r"\w+", fold(message))), weak_words(records)
    title_words = {w for w in re.findall(r"\w+", fold(f"{record.title} {record.slug.replace('-', ' ')}"))
                   if len(w) > 2 and w not in _STOP and w not in weak}
    return bool(title_words & said_words)


def _doubled_lists(kind: str, fields: dict[str, Any]) -> set[str]:
    """The list fields (tags, the stack) that hold exactly the same values as another one."""
    lists = {f: frozenset(str(v).lower() for v in fields[f]) for f in set(LIST_FIELDS.get(kind, {}).values())
             if isinstance(fields.get(f), list) and fields[f]}
    return {f for f, values in lists.items() if any(g != f and other == values for g, other in lists.items())}


def _post_given(request: Request, message: str) -> bool:
    """A new post's title, as written in the message, and at least one more of its fields."""
    given = {name for name, value in request.fields if said(value, message)}
    return _title_given(request, message) and bool({"excerpt", "summary", "body", "tags"} & given)


def _title_given(request: Request, message: str) -> bool:
    """The title is in the message as written (a long message holds most words of any title the model
    makes up, so nearly-all-words is not enough here)."""
    folded = " ".join(fold(message).split())
    return any(name in ("title", "name") and len(value) > 2 and " ".join(fold(value).split()) in folded
               for name, value in request.fields)


def _sentences(values: tuple[str, ...]) -> bool:
    """Values of four words or more (no link): what something is, told in words, not a tag or a field value."""
    return any(len(v.split()) >= 4 and "://" not in v for v in values)


def _named_like_a_name(request: Request, message: str) -> bool:
    """A new item's title given as a name (capitalised or quoted in the message), not a description of an
    existing item ("the tool library app") that a second reading took for a title."""
    titles = [v for name, v in request.fields if name in ("title", "name")]
    return any(re.search(rf"[\"'“‘]{re.escape(t)}[\"'”’]", message) or any(w[:1].isupper() for w in t.split())
               for t in titles if said(t, message))


DRAFT_STEPS = {"revise": "draft_revise", "save_draft": "draft_save", "publish": "draft_publish",
               "discard": "draft_discard", "new_post": "draft_new"}
# "asks" first: a few words of what the message asks, then the step (the small model picks better so).
DRAFT_STEP_SCHEMA = {"type": "object", "properties": {"asks": {"type": "string", "maxLength": 80},
                                                      "step": {"enum": [*DRAFT_STEPS, "other"]}},
                     "required": ["asks", "step"], "additionalProperties": False}
POST_STATUS_SCHEMA = {"type": "object", "properties": {"asks": {"type": "string", "maxLength": 80},
                                                       "status": {"enum": ["publish_now", "draft"]}},
                      "required": ["asks", "status"], "additionalProperties": False}
POST_FIELDS = {"title", "name", "excerpt", "summary", "description", "body", "tags"}


def _maybe_the_draft(request: Request, message: str, records: list[Record]) -> bool:
    """A reading that may be about the open draft: a new post, or a change to a post that the message
    doesn't name (the draft isn't an item yet, so the first reading can't point at it). A project the
    new title mentions doesn't make it a change to that project."""
    if request.operation in DRAFTING and request.operation != "draft_new":
        return False  # already a step on the draft
    if request.operation != "draft_new" and request.kind != "post":
        return False  # a project, role, certification or the profile, or a question about them
    if request.fields and not {f for f, _ in request.fields} & POST_FIELDS:
        return False  # fields no post has (a headline, an expiry date)
    return not any(r.kind == "post" and len(r.title) > 2 and (mentions(message, r.title) or mentions(message, r.slug))
                   for r in records)


ON_AN_ITEM = ("set", "add_values", "remove_values", "replace_text", "publish", "unpublish", "hide", "show",
              "feature", "unfeature", "delete")


def _named_target(request: Request, message: str, records: list[Record], chosen: bool) -> Request:
    """A change to an item the message names by its whole title (or URL name) goes to that item, unless
    the reading's own target is named too (a clear target is never asked about, nor swapped for a
    look-alike). A word a title happens to hold ("actually") is not a name."""
    if chosen or request.operation not in ON_AN_ITEM or (
            request.kind == "profile" and request.operation in ("set", "add_values", "remove_values")):
        return request  # a change of the profile's own fields stays one
    by_title = [r for r in records if len(r.title) > 2 and (mentions(message, r.title) or mentions(message, r.slug))]
    if len(by_title) != 1 or by_title[0].key == request.target:
        return request
    current = next((r for r in records if r.key == request.target), None)
    if current is not None and names_item(message, current, weak_words(records)):
        return request
    return replace(request, target=by_title[0].key, kind=by_title[0].kind)


# "Title at Organisation" (or "for", and the words other languages use: "bei", "chez", "en", "presso"...)
_ROLE_AT = re.compile(r"^(.+)\s+(?:at|@)\s+(.+)$")
_ROLE_FOR = re.compile(r"^(.+)\s+(?:for|bei|chez|en|presso|na|no|em)\s+(.+)$")


def _split_role(kind: str, fields: dict[str, Any], message: str = "") -> dict[str, Any]:
    """A role said as "Title at Organisation": the two fields (a model may put the organisation into
    the title, or take it for the location)."""
    if kind != "experience" or fields.get("organisation"):
        return fields
    fields = dict(fields)
    said_at = _ROLE_AT.match(fields.get("title", "")) or _ROLE_FOR.match(fields.get("title", ""))
    if said_at:
        fields["title"], fields["organisation"] = said_at.group(1).strip(), said_at.group(2).strip()
    elif fields.get("title") and fields.get("location") and said(f"{fields['title']} at {fields['location']}",
                                                                  message):
        fields["organisation"] = fields["location"]
    if fields.get("location") and fields.get("location") == fields.get("organisation"):
        del fields["location"]
    return fields


def _once(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A new item's name written again as its description or summary (one value read into two fields):
    kept as the name only."""
    spec = KINDS[kind]
    name = fold(str(fields.get(spec.title_field) or "")).strip()
    return {k: v for k, v in fields.items()
            if k == spec.title_field or k not in spec.text_fields or not name or fold(str(v)).strip() != name}


def _link_label(request: Request, url: str) -> str:
    """A link's label: the one the owner gave ("label Blog"), else the site's name from its address."""
    given = [v for name, v in request.fields if name in ("title", "name", "headline") and "/" not in v]
    given += [v for v in request.values if "/" not in v and "." not in v]
    if given:
        return re.sub(r"^\s*label\s*[:=]?\s*", "", given[0], flags=re.I)[:100] or given[0][:100]
    return re.sub(r"^www\.", "", url.split("//", 1)[-1]).split(".")[0].capitalize()


def _short(text: str, limit: int = 200) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fields(kind: str, request: Request, message: str, *, creating: bool) -> dict[str, Any]:
    """The request's field values that the message really says, under the kind's field names."""
    spec, today, out = KINDS[kind], date.today(), {}
    lengths: dict[str, int] = {}
    allowed = set((spec.create if creating else spec.update).model_fields)
    for name, value in request.fields:
        name = ALIASES.get(kind, {}).get(name, name)
        if name in ("tags", "tech", "highlights") or name in LIST_FIELDS[kind].values() or name not in allowed:
            continue
        if not creating and fold(value) in CLEARED and (name in DATES or name in URLS) and name not in spec.required:
            out[name] = None  # "clear the end date", "remove the live link"
            continue
        if name in DATES:
            found = as_date(value, message, today, month=kind == "experience")
            if found:
                out[name] = found.isoformat()
            elif name in LASTS_FROM and said(value, message) and (months := as_months(value, today)):
                lengths[name] = months  # "valid for 2 years": counted from the start date below
        elif name in URLS:
            url = as_url(value, message)
            if url:
                out[name] = url
        elif (text := as_text(value, message)) is not None:
            out[name] = text
    for name, months in lengths.items():
        if name not in out and out.get(LASTS_FROM[name]):
            out[name] = plus_months(date.fromisoformat(out[LASTS_FROM[name]]), months).isoformat()
    return out


def _list_values(kind: str, request: Request, message: str) -> dict[str, list[str]]:
    """Values for the kind's list fields (tags, tech...), from the request's list and its fields."""
    lists = LIST_FIELDS.get(kind, {})
    out: dict[str, list[str]] = {}
    wanted = lists.get(request.list) if request.list != "none" else None
    if request.values:
        target = wanted or next(iter(lists.values()), None)
        if target:
            out[target] = as_list(request.values, message)
    for name, value in request.fields:
        stored = lists.get(name) or (name if name in lists.values() else None)  # the owner's word, or the field's
        if stored:
            out.setdefault(stored, [])
            out[stored] += [v for v in as_list([value], message) if v not in out[stored]]
    if "tags" in out:
        out["tags"] = [t.lower().replace(" ", "-") for t in out["tags"]]
    return {k: v for k, v in out.items() if v}
