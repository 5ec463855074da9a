"""What the chat needs from the running app (services, the chat model endpoint, rate limits, the history data layer). The composition root (launch/composition.py) opens it for the app's
lifespan; Chainlit's handlers and the chat's guards read it through `current()`: Chainlit's server is one
per process, so is this (the one accessor of the running chat, owned by the chat package)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import chainlit as cl
from chainlit.data.base import BaseDataLayer

from chat.data_layer import HistoryDataLayer, forget_cached_layer
from chat.queue import ModelQueue
from agent.answering import Answerer, PassageFinder, Thread, make_answerer
from folio.actor import VISITOR
from folio.llm import ChatEndpoint
from folio.llm.local_server import LocalLLMServer
from folio.services import Services
from folio.services.ratelimit import ChatRateLimit
from folio.settings import Settings

log = logging.getLogger(__name__)

LLM_WAIT = 20.0  # seconds a message waits for the embedded model that is still starting
WARM_WAIT = 600.0  # seconds the slots' warm-up waits for the embedded model to start
WARM_QUESTION = "Hello"  # read once at start: its prompt's prefix (the catalogue) is then copied to every slot


@dataclass
class ChatRuntime:
    settings: Settings
    services: Services
    endpoint: ChatEndpoint | None  # None: no chat model can run (the embedded one failed to start)
    limits: ChatRateLimit
    local_llm: LocalLLMServer | None = None
    history: HistoryDataLayer | None = None  # Chainlit's data layer: the owner's threads and everyone's feedback
    passages: PassageFinder | None = None  # items' passages, embedded once per item version
    queue: ModelQueue | None = None  # visitors' turns on the chat model (FOLIO_LLM_PARALLEL at once)

    def answerer(self, model_ready: bool) -> Answerer:
        """The answering pipeline (agent/answering); without the model, questions are read by search."""
        if self.passages is None:
            self.passages = PassageFinder(self.services.answers.embedder)
        return make_answerer(self.services, self.endpoint if model_ready else None, self.passages,
                             timeout=self.settings.llm_timeout)

    async def llm_state(self) -> str:
        """"ready", "starting" (still loading after a short wait) or "failed" for the embedded model;
        always "ready" for an external server (its failures show when it is called)."""
        if self.endpoint is None:
            return "failed"
        if self.local_llm is None:
            return "ready"
        if self.local_llm.state == "failed":  # crashed: a restart is scheduled, no use waiting for it here
            return "failed"
        if await asyncio.to_thread(self.local_llm.wait_ready, LLM_WAIT):
            return "ready"
        return "failed" if self.local_llm.state in ("failed", "stopped") else "starting"


    async def warm_slots(self) -> int:
        """The reading step's prompt prefix (instructions, catalogue, vocabulary) cached in every slot of the
        embedded model, so that the first visitors at once do not each process it: one reading call, then
        its slot copied into the others. Returns the slots filled."""
        if self.local_llm is None or self.local_llm.parallel < 2:
            return 0
        if not await asyncio.to_thread(self.local_llm.wait_ready, WARM_WAIT):
            return 0
        try:
            records = await self.services.answers.catalogue.records(VISITOR)
            await self.answerer(True).understand(WARM_QUESTION, records, Thread())
            filled = await asyncio.to_thread(self.local_llm.share_prefix)
        except Exception as exc:  # a warm-up that fails costs the first visitors time, nothing else
            log.warning("the model's slots were not warmed: %s", exc)
            return 0
        log.info("the reading prompt's prefix is cached in %d more slot(s) of the embedded model", filled)
        return filled


_current: ChatRuntime | None = None


def current() -> ChatRuntime:
    if _current is None:
        raise RuntimeError("the chat runtime is not open (it is opened by the FastAPI app's lifespan)")
    return _current


@asynccontextmanager
async def open_chat_runtime(settings: Settings, services: Services, database_url: str, endpoint: ChatEndpoint | None,
                            local_llm: LocalLLMServer | None = None) -> AsyncIterator[ChatRuntime]:
    global _current
    runtime = ChatRuntime(settings, services, endpoint,
                          ChatRateLimit(services.limiter, settings.chat_visitor_messages,
                                        settings.chat_ip_messages, settings.chat_rate_window,
                                        settings.chat_address_sessions), local_llm,
                          queue=ModelQueue(settings.llm_parallel))
    runtime.history = HistoryDataLayer(database_url)
    _current = runtime
    forget_cached_layer()
    warming = asyncio.create_task(runtime.warm_slots()) if local_llm is not None else None
    try:
        yield runtime
    finally:
        if warming is not None:
            warming.cancel()
        if _current is runtime:
            _current = None
            forget_cached_layer()
        await runtime.history.close()


@cl.data_layer
def current_history() -> BaseDataLayer | None:
    """Chainlit asks once per process and caches the answer; `forget_cached_layer` makes it ask again
    when the app (and so its database) changes, e.g. between test apps in one process."""
    try:
        return current().history
    except RuntimeError:  # no app running in this process: nothing to keep history in
        return None
