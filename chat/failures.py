"""Every chat failure shows the standard "chat unavailable" message, never an exception's text.

Chainlit shows an uncaught exception's `str()` to the user (an ErrorMessage in `wrap_user_function` and
in its socket handlers): a database error would show its SQL, a path, a host name. Each of folio's
handlers is `shielded` (the exception is logged with its traceback, the user sees the standard
message), and `install()` makes Chainlit's own ErrorMessage say the same for failures outside them.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import chainlit.message
import chainlit.socket
from chainlit.message import ErrorMessage

from folio import prompts

log = logging.getLogger(__name__)


class StandardErrorMessage(ErrorMessage):
    def __init__(self, content: str = "", author: str = "Error", **kwargs: Any):
        log.warning("chat error shown as the standard message: %s", content[:500])
        super().__init__(content=prompts.CHAT_UNAVAILABLE, author=author, **kwargs)


def install() -> None:
    chainlit.message.ErrorMessage = StandardErrorMessage  # read at call time by chainlit.utils
    chainlit.socket.ErrorMessage = StandardErrorMessage


def shielded(handler: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(handler)
    async def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return await handler(*args, **kwargs)
        except Exception:
            log.exception("chat handler %s failed", handler.__name__)
            try:
                await chainlit.message.Message(content=prompts.CHAT_UNAVAILABLE).send()
            except Exception:  # the connection is gone too
                log.warning("could not tell the user that the chat failed")
            return None

    return run
