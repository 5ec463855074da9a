"""LangChain's agent wraps every middleware hook in LangSmith's `traceable`, which hands its bookkeeping
to a worker thread twice per hook call even when nothing is traced: ~28 thread hops per chat turn
(issue #13). folio does not trace with LangSmith unless it is switched on (LANGSMITH_TRACING=true):
then the bookkeeping runs inline, in the Context LangSmith gives it, as its documented runtime
override does; with tracing on, LangSmith's own thread hand-off is kept."""

from __future__ import annotations

import contextvars
from typing import Any

import langsmith
from langsmith import utils as langsmith_utils
from langsmith._runtime_overrides import get_runtime_overrides

_installed = False


async def _inline_unless_tracing(default, ctx: contextvars.Context, func, /, *args: Any, **kwargs: Any) -> Any:
    try:
        tracing = ctx.run(langsmith_utils.tracing_is_enabled)
    except RuntimeError:  # that Context is the running one: LangSmith's own way
        tracing = True
    if tracing:
        return await default(ctx, func, *args, **kwargs)
    return ctx.run(func, *args, **kwargs)


def run_langsmith_inline() -> None:
    """Install the override once per process (not over one someone else installed)."""
    global _installed
    if _installed or get_runtime_overrides().aio_to_thread is not None:
        return
    langsmith.set_runtime_overrides(aio_to_thread=_inline_unless_tracing)
    _installed = True
