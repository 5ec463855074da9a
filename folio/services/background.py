"""A worker run as a background task of the app for the duration of a block (the notification worker,
the scheduled sync): started on entry, cancelled on exit."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any


@contextlib.asynccontextmanager
async def running(work: Callable[[], Coroutine[Any, Any, None]] | None, name: str) -> AsyncIterator[None]:
    """Run work() as the task NAME while the block runs; None runs nothing."""
    if work is None:
        yield
        return
    task = asyncio.create_task(work(), name=name)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
