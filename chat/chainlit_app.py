"""Chainlit's target file (chat/mount.py mounts it). Chainlit executes its target outside the normal
import system; importing the real module here registers the handlers of chat/handlers.py once."""

import chat.handlers  # noqa: F401
