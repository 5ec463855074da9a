"""LangSmith's bookkeeping around every middleware hook runs inline when nothing is traced (no worker
thread hand-off per hook), and in LangSmith's own thread when tracing is switched on."""

import contextvars
import threading

import langsmith
from langsmith._internal._aiter import aio_to_thread

from agent.tracing import run_langsmith_inline


async def test_hooks_bookkeeping_runs_inline_unless_tracing_is_on():
    run_langsmith_inline()
    here = threading.get_ident()
    assert await aio_to_thread(contextvars.copy_context(), threading.get_ident) == here
    with langsmith.tracing_context(enabled=True):
        assert await aio_to_thread(contextvars.copy_context(), threading.get_ident) != here

