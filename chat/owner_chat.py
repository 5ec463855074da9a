"""The owner's side of the chat: drafting posts as explicit steps, and confirming changes.

Every write the owner's agent (or the drafting flow) wants is a pending change (folio.services.changes);
it is shown here with its exact preview and Confirm / Cancel buttons, and only the Confirm button's
callback applies it. The draft being edited lives in the chat session (persisted with the thread, so it
comes back on resume) and a banner under each drafting reply says which draft it is.

Chainlit's callbacks are registered in chat/handlers.py (the app module); they call in here with the
conversation's actor and the chat runtime.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

import chainlit as cl

from agent import drafting
from agent.drafting import Draft
from agent.requests import Outcome, make_requests
from agent.safe_markdown import LinkPolicy, StreamGuard, sanitize
from agent.turn import LLM_ERRORS
from chat import owner_imports
from chat.owner_imports import retire_buttons as _retire_buttons
from folio import charts, prompts
from folio.actor import Actor
from folio.errors import DomainError
from folio.kinds import spec_of
from folio.llm import ChatEndpoint
from folio.services import Services
from folio.services.changes import ProposedChange
from folio.services.importing import import_request
from folio.visitor_text import markdown_literal
from tools.previews import render_change

log = logging.getLogger(__name__)

CONFIRM = "confirm_change"
CANCEL = "cancel_change"
SAVE_DRAFT = "save_draft"
PUBLISH_DRAFT = "publish_draft"
DRAFT_KEY = "draft"  # user_session: the draft being edited, as a plain dict (persisted with the thread)
DRAFT_CHANGES_KEY = "draft_changes"  # user_session: ids of changes proposed from the draft
HISTORY_KEY = "draft_history"  # user_session: the draft's earlier versions (dicts), for undo
INTERVIEW_KEY = "draft_interview"  # user_session: a brief waiting for the owner's answers to the questions
SKIP_INTERVIEW = "skip_interview"
UNDO_DRAFT = "undo_draft"
HISTORY = 10  # earlier versions kept
WAITING_KEY = "owner_request"  # user_session: a request waiting for the owner's answer (which item, a field)
CHOOSE = "choose_item"
LEAD_STATUS = "lead_status"
INSIGHT_DAYS = 7  # "how did this week go?"
LEAD_BUTTONS = 5  # new leads shown with their status buttons


# ---- the draft in the session ------------------------------------------------------------------

def current_draft() -> Draft | None:
    return Draft.from_dict(cl.user_session.get(DRAFT_KEY))


def keep_draft(draft: Draft | None) -> None:
    cl.user_session.set(DRAFT_KEY, draft.to_dict() if draft else None)


def banner(draft: Draft) -> str:
    if draft.slug:
        state = (prompts.DRAFT_PUBLISHED if draft.published else prompts.DRAFT_SAVED).format(slug=draft.slug)
    else:
        state = prompts.DRAFT_UNSAVED
    return prompts.DRAFT_BANNER.format(title=draft.title, version=draft.version, state=state)


def draft_actions(draft: Draft) -> list[cl.Action]:
    actions = [cl.Action(name=SAVE_DRAFT, payload={}, label="Save changes" if draft.slug else "Save as draft")]
    if not draft.published:
        actions.append(cl.Action(name=PUBLISH_DRAFT, payload={}, label="Publish"))
    if cl.user_session.get(HISTORY_KEY):
        actions.append(cl.Action(name=UNDO_DRAFT, payload={}, label=prompts.DRAFT_UNDO))
    return actions


async def show_banner(with_actions: bool = True) -> None:
    """Which draft is being edited (nothing when none is)."""
    if (draft := current_draft()) is not None:
        await cl.Message(content=banner(draft), actions=draft_actions(draft) if with_actions else []).send()


# ---- one owner message ------------------------------------------------------------------------

async def handle_message(actor: Actor, services: Services, endpoint: ChatEndpoint, text: str) -> bool:
    """The owner's request (a change, a drafting step, the inbox, an import); False when it is a question."""
    if (ask := import_request(text)) is not None:  # "import my GitHub repos": its own preview and Confirm
        await owner_imports.start(actor, services, ask)
        return True
    draft = current_draft()
    if (interview := cl.user_session.get(INTERVIEW_KEY)) is not None:  # the answers to the questions asked
        if drafting.CANCEL.match(text):
            cl.user_session.set(INTERVIEW_KEY, None)
            await cl.Message(content=prompts.REQUEST_CANCELLED).send()
        else:
            await _write_new(actor, services, endpoint, interview["brief"],
                             "\n\n".join(a for a in (interview.get("answers", ""), drafting.answers_of(text)) if a))
        return True
    if draft is not None and drafting.UNDO.match(text):
        await undo()
        return True
    outcome = await make_requests(services, endpoint).handle(
        actor, text, draft_title=draft.title if draft else None, waiting=cl.user_session.get(WAITING_KEY),
        thread_id=cl.context.session.thread_id)
    cl.user_session.set(WAITING_KEY, outcome.waiting)
    log.info("owner message read as %s", outcome.operation or "an answer")
    if outcome.question:
        return False
    if outcome.drafting:
        step = outcome.drafting
        if step != "draft_new" and draft is None:
            await cl.Message(content=prompts.DRAFT_NONE).send()
        else:
            await _drafting_step(actor, services, endpoint, step, text, draft)
    else:
        await show_outcome(outcome)
        if outcome.operation == "inbox":
            await show_insights(actor, services)
    return True


async def show_outcome(outcome: Outcome) -> None:
    if outcome.change is not None:
        await show_change(outcome.change)
    elif outcome.choices:
        ids = [str(uuid.uuid4()) for _ in range(len(outcome.choices) + 1)]
        actions = [cl.Action(name=CHOOSE, payload={"kind": c.kind, "slug": c.slug, "buttons": ids}, label=c.label,
                             id=button_id) for c, button_id in zip(outcome.choices, ids, strict=False)]
        actions.append(cl.Action(name=CHOOSE, payload={"none": True, "buttons": ids}, label="None of these",
                                 id=ids[-1]))
        await cl.Message(content=outcome.text, actions=actions).send()
    elif outcome.text:
        await cl.Message(content=outcome.text).send()


async def show_insights(actor: Actor, services: Services) -> None:
    """The week's figures with the activity chart (SVG), and the new leads with their status buttons."""
    ins = await services.insights.insights(actor, INSIGHT_DAYS)
    summary = prompts.INSIGHTS_SUMMARY.format(
        days=INSIGHT_DAYS, conversations=ins.conversations, visitors=ins.visitors, questions=ins.questions,
        from_data=ins.total("from_data"), by_model=ins.total("by_model"), unanswered=ins.total("unanswered"),
        **ins.lead_counts)
    chart = cl.Image(name="insights-activity", content=charts.activity(ins).encode(), mime="image/svg+xml",
                     display="inline", size="large")
    await cl.Message(content=summary, elements=[chart]).send()
    for lead in [lead for lead in ins.leads if lead.status == "new"][:LEAD_BUTTONS]:
        ids = [str(uuid.uuid4()) for _ in range(2)]
        actions = [cl.Action(name=LEAD_STATUS, payload={"lead": str(lead.id), "status": status, "buttons": ids},
                             label=f"Mark {status}", id=button_id)
                   for status, button_id in zip(("replied", "archived"), ids, strict=True)]
        await cl.Message(content=prompts.INSIGHTS_LEAD.format(
            name=markdown_literal(lead.name), email=markdown_literal(lead.email), when=f"{lead.created_at:%Y-%m-%d}",
            message=markdown_literal(lead.message[:300])), actions=actions).send()


async def change_lead(actor: Actor, services: Services, action: cl.Action) -> None:
    payload = action.payload or {}
    try:
        lead = await services.insights.set_lead_status(actor, str(payload.get("lead", "")),
                                                       str(payload.get("status", "")))
        text = prompts.LEAD_STATUS_CHANGED.format(name=markdown_literal(lead.name), status=lead.status)
    except DomainError as exc:
        text = prompts.CHANGE_REFUSED.format(reason=exc.message)
    await _retire_buttons(action)
    await cl.Message(content=text).send()


async def draft_from_brief(actor: Actor, services: Services, endpoint: ChatEndpoint) -> bool:
    """"Draft an answer" on the insights page: the chat opens drafting from the visitors' questions (the
    draft, its preview and Confirm follow as for any draft). False when no brief waits."""
    brief = await services.insights.take_brief(actor)
    if brief is None:
        return False
    shown = "\n\n".join(markdown_literal(line) for line in brief.splitlines())  # visitors' words, as written
    await cl.Message(content=prompts.BRIEF_OPENED.format(brief=shown)).send()
    await _drafting_step(actor, services, endpoint, "draft_new", brief, current_draft())
    return True


async def choose_item(actor: Actor, services: Services, endpoint: ChatEndpoint, action: cl.Action) -> None:
    """A button naming which item the owner meant: the waiting request goes on with it."""
    waiting = cl.user_session.get(WAITING_KEY) or {}
    await _retire_buttons(action)
    payload = action.payload or {}
    cl.user_session.set(WAITING_KEY, None)
    if payload.get("none") or not waiting:
        await cl.Message(content=prompts.REQUEST_CANCELLED).send()
        return
    try:
        outcome = await make_requests(services, endpoint).choose(
            actor, waiting, str(payload.get("kind", "")), str(payload.get("slug", "")), cl.context.session.thread_id)
    except LLM_ERRORS:
        await cl.Message(content=prompts.LLM_UNAVAILABLE).send()
        return
    cl.user_session.set(WAITING_KEY, outcome.waiting)
    await show_outcome(outcome)


async def _drafting_step(actor: Actor, services: Services, endpoint: ChatEndpoint, step: str, text: str,
                         draft: Draft | None) -> None:
    if step == "draft_new":
        await _interview(actor, services, endpoint, text)
    elif step == "draft_revise":
        await _revise(services, endpoint, draft, text)
    elif step == "draft_save":
        await propose_from_draft(actor, services, publish=False)
    elif step == "draft_publish":
        await propose_from_draft(actor, services, publish=True)
    else:  # discard_draft
        keep_draft(None)
        cl.user_session.set(HISTORY_KEY, [])
        saved = (prompts.DRAFT_DISCARDED_SAVED.format(slug=draft.slug) if draft.slug
                 else prompts.DRAFT_DISCARDED_UNSAVED)
        await cl.Message(content=prompts.DRAFT_DISCARDED.format(title=draft.title, saved=saved)).send()


async def _interview(actor: Actor, services: Services, endpoint: ChatEndpoint, brief: str) -> None:
    """A post about the owner's own experience: first the questions only they can answer."""
    interview = await drafting.make_drafter(services, endpoint).interview(brief)
    if not interview.questions:
        await _write_new(actor, services, endpoint, brief, "")
        return
    cl.user_session.set(INTERVIEW_KEY, {"brief": brief, "answers": ""})
    questions = "\n".join(f"{n}. {prompts.DRAFT_QUESTIONS[q]}" for n, q in enumerate(interview.questions, 1))
    skip_id = str(uuid.uuid4())
    await cl.Message(content=prompts.DRAFT_INTERVIEW.format(questions=questions), actions=[
        cl.Action(name=SKIP_INTERVIEW, payload={"buttons": [skip_id]}, label=prompts.DRAFT_SKIP, id=skip_id)]).send()


async def skip_interview(actor: Actor, services: Services, endpoint: ChatEndpoint, action: cl.Action) -> None:
    """The "Just draft it" button: draft from the brief (and whatever was answered) at once."""
    await _retire_buttons(action)
    interview = cl.user_session.get(INTERVIEW_KEY)
    if interview is None:
        return
    try:
        await _write_new(actor, services, endpoint, interview["brief"], interview.get("answers", ""))
    except LLM_ERRORS:
        await cl.Message(content=prompts.LLM_UNAVAILABLE).send()


class _Streamed:
    """A message the draft streams into: each step's visible text, shown as it grows (nothing in it may
    load outside content)."""

    def __init__(self) -> None:
        self.message = cl.Message(content="")
        self.guard = StreamGuard(LinkPolicy())
        self.sent = ""

    async def show(self, text: str) -> None:
        if not text.startswith(self.sent):
            return  # a step rewrote what was already shown: the final view replaces it
        if shown := self.guard.feed(text[len(self.sent):]):
            await self.message.stream_token(shown)
        self.sent = text

    async def done(self, content: str, actions: list[cl.Action] | None = None) -> None:
        self.message.content = sanitize(content)
        self.message.actions = actions or []
        await self.message.send()


async def _write_new(actor: Actor, services: Services, endpoint: ChatEndpoint, brief: str, answers: str) -> None:
    cl.user_session.set(INTERVIEW_KEY, {"brief": brief, "answers": answers})  # kept until the draft exists
    out = _Streamed()
    draft = await drafting.make_drafter(services, endpoint).write(actor, brief, answers, out.show)
    cl.user_session.set(INTERVIEW_KEY, None)
    if draft is None:
        await out.done(prompts.DRAFT_EMPTY)
        return
    keep_draft(draft)
    cl.user_session.set(HISTORY_KEY, [])
    await out.done(drafting.draft_view(banner(draft), draft), draft_actions(draft))


async def _revise(services: Services, endpoint: ChatEndpoint, draft: Draft, instruction: str) -> None:
    out = _Streamed()
    revision = await drafting.make_drafter(services, endpoint).revise(draft, instruction, out.show)
    if revision.undo:
        await undo()
        return
    if revision.draft is None:
        await out.done("\n".join(revision.failed), draft_actions(draft))
        return
    new = revision.draft
    cl.user_session.set(HISTORY_KEY, [*(cl.user_session.get(HISTORY_KEY) or []), draft.to_dict()][-HISTORY:])
    keep_draft(new)
    report = "\n".join(revision.done + revision.failed)
    await out.done(drafting.draft_view(banner(new), new, previous=draft, report=report), draft_actions(new))


async def undo() -> None:
    """Back to the previous version of the draft (the post it was saved as stays the same)."""
    history = list(cl.user_session.get(HISTORY_KEY) or [])
    draft = current_draft()
    previous = Draft.from_dict(history.pop()) if history else None
    if draft is None or previous is None:
        await cl.Message(content=prompts.DRAFT_NOTHING_TO_UNDO).send()
        return
    previous.slug, previous.published = draft.slug, draft.published
    cl.user_session.set(HISTORY_KEY, history)
    keep_draft(previous)
    view = drafting.draft_view(banner(previous), previous, previous=draft,
                               report=prompts.DRAFT_UNDONE.format(version=previous.version))
    await cl.Message(content=sanitize(view), actions=draft_actions(previous)).send()


async def propose_from_draft(actor: Actor, services: Services, *, publish: bool) -> None:
    draft = current_draft()
    if draft is None:
        await cl.Message(content=prompts.DRAFT_NONE).send()
        return
    thread_id = cl.context.session.thread_id
    try:
        if publish:
            change = await services.drafts.propose_publish(actor, draft, thread_id=thread_id)
        else:
            change = await services.drafts.propose_save(actor, draft, thread_id=thread_id)
    except DomainError as exc:
        keep_draft(draft)  # the slug may have been dropped (post deleted meanwhile)
        await cl.Message(content=prompts.CHANGE_NOT_PROPOSED.format(reason=exc.message)).send()
        return
    keep_draft(draft)
    cl.user_session.set(DRAFT_CHANGES_KEY, [*(cl.user_session.get(DRAFT_CHANGES_KEY) or []), str(change.id)])
    await show_change(change)


# ---- confirmations ------------------------------------------------------------------------------

def turn_started() -> datetime:
    return datetime.now(UTC)


async def show_new_changes(actor: Actor, services: Services, since: datetime | None) -> None:
    """After an agent turn: show each change the agent proposed in it, with Confirm / Cancel."""
    for change in await services.changes.pending(actor, cl.context.session.thread_id, since=since):
        await show_change(change)


async def show_change(change: ProposedChange) -> None:
    confirm_id, cancel_id = str(uuid.uuid4()), str(uuid.uuid4())
    payload = {"change_id": str(change.id), "buttons": [confirm_id, cancel_id]}
    await cl.Message(
        content=f"{prompts.CHANGE_PROMPT}\n\n{render_change(change)}",
        actions=[cl.Action(name=CONFIRM, payload=payload, label="Confirm", id=confirm_id),
                 cl.Action(name=CANCEL, payload=payload, label="Cancel", id=cancel_id)],
    ).send()


async def answer_change(actor: Actor, services: Services, action: cl.Action) -> None:
    """The Confirm or Cancel button: apply (once) or discard the change, then retire both buttons."""
    change_id = str((action.payload or {}).get("change_id", ""))
    thread_id = cl.context.session.thread_id
    try:
        if action.name == CONFIRM:
            applied = await services.changes.confirm(actor, change_id, thread_id=thread_id)
            _follow_draft(applied.change, applied.item)
            spec = spec_of(applied.change.kind)
            text = prompts.CHANGE_APPLIED.format(
                verb=prompts.CHANGE_VERBS[applied.change.action], kind=spec.name,
                title=spec.title_of(applied.item),
                url=spec.url_of(applied.item.slug) if applied.change.action != "delete" else "gone")
        else:
            await services.changes.cancel(actor, change_id, thread_id=thread_id)
            text = prompts.CHANGE_CANCELLED
    except DomainError as exc:
        text = prompts.CHANGE_REFUSED.format(reason=exc.message)
    await _retire_buttons(action)
    await cl.Message(content=text).send()
    if action.name == CONFIRM and str(change_id) in (cl.user_session.get(DRAFT_CHANGES_KEY) or []):
        await show_banner()


def _follow_draft(change: ProposedChange, item) -> None:
    """A confirmed save or publish of the draft: remember which post it is now."""
    if str(change.id) not in (cl.user_session.get(DRAFT_CHANGES_KEY) or []):
        return
    draft = current_draft()
    if draft is not None:
        draft.slug, draft.published = item.slug, item.status == "published"
        keep_draft(draft)


async def resume(actor: Actor, services: Services) -> None:
    """A resumed thread: show the draft being edited and any change still waiting for an answer."""
    await show_banner()
    await show_new_changes(actor, services, since=None)
