"""Who is acting: decided from the authenticated user, never from a prompt."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from folio.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    user_id: uuid.UUID | None = None
    email: str | None = None
    is_owner: bool = False

    @property
    def is_visitor(self) -> bool:
        return not self.is_owner

    def require_owner(self) -> None:
        if not self.is_owner:
            raise PermissionDenied("only the portfolio owner can change content")


VISITOR = Actor()
