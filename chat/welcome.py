"""The first message of every conversation: the one place its text and starter buttons are chosen
(the owner's greeting, or the visitor's welcome with starter questions)."""

from __future__ import annotations

import chainlit as cl

from folio import prompts
from folio.actor import Actor
from folio.services import Services

ASK_ACTION = "ask"  # a starter button: asks its question as if the visitor had typed it


async def welcome(actor: Actor, services: Services) -> cl.Message:
    """The greeting `actor` sees when a conversation starts; a visitor's opens with the owner's name and
    headline (the profile)."""
    if actor.is_owner:
        return cl.Message(content=prompts.WELCOME_OWNER)
    actions = [cl.Action(name=ASK_ACTION, payload={"question": q}, label=q) for q in prompts.STARTERS_VISITOR]
    return cl.Message(content=await services.profile.welcome(prompts.WELCOME_VISITOR), actions=actions)
