"""Fixtures for the chat UI tests: a small portfolio and a scripted chat model (shared with tests/agent)."""

from testkit.chat_fixtures import llm, portfolio  # noqa: F401
