"""Chainlit's target file (api/chat.py mounts it). Chainlit executes its target outside the normal
import system; importing the real module here registers the handlers of agent/chat.py once."""

import agent.chat  # noqa: F401
