"""Fixtures for the agent tests: a small portfolio and a scripted chat model (shared with tests/chat)."""

from testkit.chat_fixtures import llm, portfolio  # noqa: F401
