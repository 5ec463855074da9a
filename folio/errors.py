"""Typed domain errors. Adapters map them (HTTP status, chat message) in one place each."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str, details: Any = None):
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    code = "not_found"


class SlugConflict(DomainError):
    code = "slug_conflict"


class Unauthenticated(DomainError):
    code = "unauthenticated"


class PermissionDenied(DomainError):
    code = "permission_denied"


class ValidationFailed(DomainError):
    code = "validation_failed"


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int = 60, details: Any = None):
        super().__init__(message, details)
        self.retry_after = retry_after


class Unavailable(DomainError):
    """A dependency (database, embedder, chat model) does not answer."""

    code = "unavailable"


class Conflict(DomainError):
    """The request clashes with the current state (409)."""

    code = "conflict"


class ChangeSpent(Conflict):
    """A proposed change was already confirmed, cancelled or has expired: it cannot be applied again."""

    code = "change_spent"


class StaleChange(Conflict):
    """The item changed after the preview was shown, so the preview no longer says exactly what would happen."""

    code = "stale_change"


def on_domain_error(handler: Callable[[DomainError], Any]):
    """A decorator for an adapter's async function: a DomainError it raises becomes `handler(error)`
    (a tool's text for the model, an MCP ToolError...). Each adapter says once what its errors become."""
    def decorate(fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        @functools.wraps(fn)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return await fn(*args, **kwargs)
            except DomainError as exc:
                return handler(exc)
        return wrapper
    return decorate
