"""The Chainlit app mounted at /chat (chat/mount.py mounts it): authentication callbacks, the welcome
message with starter questions, and one agent turn per message.

Chainlit's `@cl.on_app_startup` never runs when mounted: everything shared comes from the runtime the
FastAPI lifespan opens (chat/runtime.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import chainlit as cl
from chainlit.types import ThreadDict

from agent.answering import Thread
from agent.turn import LLM_ERRORS
from chat import failures, owner_chat, owner_imports
from chat import runtime as chat_runtime
from chat.identity import (actor_of, owner_user, visitor_id_from, visitor_id_of, visitor_user,
                            wants_owner_login)
from chat.queue import visitor_turn
from chat.sessions import end_session
from chat.streaming import render_turn
from chat.welcome import ASK_ACTION, welcome
from folio import prompts
from folio.actor import Actor
from folio.clients import (current_client, current_device, refuse_current, remember_device, scope_client,
                           trusted)
from folio.errors import RateLimited
from folio.services.inbox import Origin
from folio.services.insights import outcome_of

log = logging.getLogger(__name__)
failures.install()
MAX_MESSAGE_CHARS = 4000


@dataclass
class Conversation:
    actor: Actor
    visitor_id: str | None
    origin: Origin  # the chat thread and visitor id, stamped on what visitors leave
    thread: Thread = field(default_factory=Thread)  # the items of the last answer (follow-ups)


# ---- who is talking ---------------------------------------------------------------------------

@cl.header_auth_callback
async def visitor_sign_in(headers) -> cl.User | None:
    """Every visitor is signed in silently as a guest; the owner's login page opts out of it."""
    if wants_owner_login(headers):
        return None
    try:  # guest sessions per client address (FOLIO_CHAT_ADDRESS_SESSIONS): each costs server memory
        await chat_runtime.current().limits.sign_in(current_client())
    except RateLimited as exc:  # the middleware answers 429 with Retry-After
        refuse_current(exc.retry_after)
        return None
    return visitor_user(visitor_id_from(headers))


@cl.on_logout
async def owner_sign_out(request, response) -> dict:
    """Chainlit's POST /chat/logout deletes the cookie; the token's id is revoked too (chat/sessions.py)."""
    await end_session(chat_runtime.current().services, request)
    return {"success": True}


@cl.password_auth_callback
async def owner_sign_in(email: str, password: str) -> cl.User | None:
    """Chainlit's login form (POST /chat/login), through the same throttled check as REST's login; the
    client address comes from api.middleware (Chainlit passes no request)."""
    logins = chat_runtime.current().services.logins
    try:
        user = await logins.authenticate(email, password, current_client(), current_device())
    except RateLimited as exc:  # Chainlit swallows exceptions here: the middleware answers 429 instead
        refuse_current(exc.retry_after)
        return None
    if user is None or not user.is_owner:
        return None
    remember_device(logins.device_token(email))  # the middleware sets it as the known-device cookie
    return owner_user(user)


# ---- the conversation -------------------------------------------------------------------------

async def _conversation() -> Conversation:
    conversation = cl.user_session.get("conversation")
    rt = chat_runtime.current()
    user = cl.user_session.get("user")
    if conversation is not None and not conversation.actor.is_owner:
        return conversation
    actor = await actor_of(user, rt.services)  # the owner's session is checked on every message and button
    if conversation is not None and actor.is_owner:
        return conversation
    if conversation is not None:  # ended (logout, password change, reset): no longer the owner here
        await cl.Message(content=prompts.SESSION_ENDED).send()
    visitor_id = None if actor.is_owner else visitor_id_of(user)
    origin = Origin(thread_id=cl.context.session.thread_id, visitor_id=visitor_id, address=_client_ip())
    conversation = Conversation(actor, visitor_id, origin)
    cl.user_session.set("conversation", conversation)
    return conversation


@cl.on_chat_start
@failures.shielded
async def start() -> None:
    conversation = await _conversation()
    rt = chat_runtime.current()
    await (await welcome(conversation.actor, rt.services)).send()
    if conversation.actor.is_owner and await rt.llm_state() == "ready":  # "Draft an answer" on the insights page
        await owner_chat.draft_from_brief(conversation.actor, rt.services, rt.endpoint)


@cl.action_callback(ASK_ACTION)
@failures.shielded
async def ask_starter(action: cl.Action) -> None:
    question = str(action.payload.get("question", ""))[:500]
    if question:
        await cl.Message(content=question, author="You", type="user_message").send()
        await answer(question)


@cl.on_message
@failures.shielded
async def on_message(message: cl.Message) -> None:
    await answer(message.content or "")


def _client_ip() -> str | None:
    """The visitor's address: python-engineio sets REMOTE_ADDR to 127.0.0.1 for every client, so read
    the ASGI scope it keeps (trusted proxies' X-Forwarded-For honoured, IPv6 grouped by /64)."""
    environ = getattr(cl.context.session, "environ", None) or {}
    scope = environ.get("asgi.scope")
    if not scope:
        return None
    return scope_client(scope, trusted(chat_runtime.current().settings.trusted_proxies))


async def answer(text: str) -> None:
    conversation = await _conversation()
    rt = chat_runtime.current()
    if not text.strip():
        return
    if conversation.actor.is_visitor and len(text) > MAX_MESSAGE_CHARS:  # would not fit the model's window
        await cl.Message(content=prompts.MESSAGE_TOO_LONG.format(limit=MAX_MESSAGE_CHARS)).send()
        return
    if conversation.actor.is_visitor:
        try:
            await rt.limits.check(conversation.visitor_id, _client_ip())
        except RateLimited as exc:
            await cl.Message(content=prompts.RATE_LIMITED.format(seconds=exc.retry_after)).send()
            return
    state = await rt.llm_state()
    if conversation.actor.is_visitor:  # without the model the portfolio's data still answers
        thread = conversation.thread
        async with visitor_turn(rt.queue, _client_ip()):  # in line for the model, shown how many are ahead
            await render_turn(rt.answerer(state == "ready").answer(conversation.actor, text, thread,
                                                                   conversation.origin))
        await rt.services.insights.record(text, conversation.origin, outcome_of(thread.intent, thread.answered,
                                                                                thread.phrased), thread.items)
        return
    if state != "ready":
        await cl.Message(content=prompts.LLM_STARTING if state == "starting" else prompts.LLM_UNAVAILABLE).send()
        return
    owner = conversation.actor
    try:
        if await owner_chat.handle_message(owner, rt.services, rt.endpoint, text):
            return  # a change proposed, a question asked back, the inbox, or a drafting step
        # A question: answered from the data, with the owner's visibility (drafts and hidden items too).
        message = await render_turn(rt.answerer(True).answer(owner, text, conversation.thread))
    except LLM_ERRORS as exc:
        log.warning("chat model unavailable: %s", exc)
        await cl.Message(content=prompts.LLM_UNAVAILABLE).send()
        return
    if message is None:
        await cl.Message(content=prompts.NO_ANSWER_AFTER_TOOLS).send()
    await owner_chat.show_banner(with_actions=False)


# ---- the owner's buttons and resumed threads ---------------------------------------------------

async def _owner() -> Actor | None:
    actor = (await _conversation()).actor
    return actor if actor.is_owner else None


@cl.action_callback(owner_chat.CONFIRM)
@cl.action_callback(owner_chat.CANCEL)
@failures.shielded
async def answer_change(action: cl.Action) -> None:
    if owner := await _owner():
        await owner_chat.answer_change(owner, chat_runtime.current().services, action)


@cl.action_callback(owner_chat.SAVE_DRAFT)
@cl.action_callback(owner_chat.PUBLISH_DRAFT)
@failures.shielded
async def propose_draft(action: cl.Action) -> None:
    if owner := await _owner():
        await owner_chat.propose_from_draft(owner, chat_runtime.current().services,
                                            publish=action.name == owner_chat.PUBLISH_DRAFT)


@cl.action_callback(owner_chat.UNDO_DRAFT)
@failures.shielded
async def undo_draft(action: cl.Action) -> None:
    if await _owner():
        await owner_chat.undo()


@cl.action_callback(owner_chat.SKIP_INTERVIEW)
@failures.shielded
async def skip_interview(action: cl.Action) -> None:
    if owner := await _owner():
        rt = chat_runtime.current()
        await owner_chat.skip_interview(owner, rt.services, rt.endpoint, action)


@cl.action_callback(owner_chat.LEAD_STATUS)
@failures.shielded
async def change_lead(action: cl.Action) -> None:
    if owner := await _owner():
        await owner_chat.change_lead(owner, chat_runtime.current().services, action)


@cl.action_callback(owner_imports.CONFIRM)
@cl.action_callback(owner_imports.SELECT_ALL)
@cl.action_callback(owner_imports.PUBLISH)
@cl.action_callback(owner_imports.CANCEL)
@failures.shielded
async def answer_import(action: cl.Action) -> None:
    if owner := await _owner():
        await owner_imports.answer(owner, chat_runtime.current().services, action)


@cl.action_callback(owner_imports.ACCEPT)
@cl.action_callback(owner_imports.IGNORE)
@failures.shielded
async def resolve_import_conflict(action: cl.Action) -> None:
    if owner := await _owner():
        await owner_imports.resolve(owner, chat_runtime.current().services, action)


@cl.action_callback(owner_chat.CHOOSE)
async def choose_item(action: cl.Action) -> None:
    if owner := await _owner():
        rt = chat_runtime.current()
        await owner_chat.choose_item(owner, rt.services, rt.endpoint, action)


@cl.on_chat_resume
@failures.shielded
async def resume(thread: ThreadDict) -> None:
    """Only the owner's threads are kept; the draft and waiting changes come back with the session."""
    if owner := await _owner():
        await owner_chat.resume(owner, chat_runtime.current().services)
