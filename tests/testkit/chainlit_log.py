"""Chainlit's data layer swallows its SQL errors into "An error occurred: ..." log lines; these helpers
turn such a line into a test failure (in process, or in a live server's log)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

SWALLOWED = ("An error occurred:", "An unexpected error occurred:")


class SwallowedErrors(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if any(marker in message for marker in SWALLOWED):
            self.lines.append(message)


@contextmanager
def watch_chainlit_errors() -> Iterator[SwallowedErrors]:
    handler = SwallowedErrors()
    logger = logging.getLogger("chainlit")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def assert_no_swallowed_errors(log_text: str) -> None:
    bad = [line for line in log_text.splitlines() if any(m in line for m in SWALLOWED)]
    assert not bad, "Chainlit swallowed errors:\n" + "\n".join(bad[:10])


@pytest.fixture
def no_chainlit_errors():
    """Fails the test when Chainlit logs a swallowed data-layer error while it runs."""
    with watch_chainlit_errors() as handler:
        yield handler
    assert not handler.lines, "Chainlit swallowed errors:\n" + "\n".join(handler.lines[:10])
