"""What a conversation's tools act as and through: built per chat session from the authenticated user,
never from the model's arguments."""

from __future__ import annotations

from dataclasses import dataclass

from folio.actor import Actor
from folio.services import Services
from folio.services.inbox import Origin


@dataclass(frozen=True)
class ToolContext:
    actor: Actor
    services: Services
    origin: Origin = Origin()  # the chat thread and visitor id, stamped on what visitors leave
