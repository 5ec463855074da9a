"""What the chat needs from the running app (services, the chat model endpoint, thread memory, rate
limits). The FastAPI lifespan opens it (api/chat.py); Chainlit's handlers read it: Chainlit's server
is one per process, so is this."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from agent.configuration import Configuration
from agent.data_layer import HistoryDataLayer, forget_cached_layer
from folio.llm import ChatEndpoint, chat_model
from folio.llm.local_server import LocalLLMServer
from folio.services import Services
from folio.services.ratelimit import ChatRateLimit
from folio.settings import Settings

log = logging.getLogger(__name__)

LLM_WAIT = 20.0  # seconds a message waits for the embedded model that is still starting


@dataclass
class ChatRuntime:
    settings: Settings
    services: Services
    endpoint: ChatEndpoint | None  # None: no chat model can run (the embedded one failed to start)
    memory: Memory
    limits: ChatRateLimit
    local_llm: LocalLLMServer | None = None
    history: HistoryDataLayer | None = None  # Chainlit's data layer: the owner's threads and everyone's feedback

    def model(self, config: Configuration) -> BaseChatModel:
        if self.endpoint is None:
            raise RuntimeError("no chat model endpoint")
        return chat_model(self.endpoint, temperature=config.temperature, max_tokens=config.max_tokens)

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


_current: ChatRuntime | None = None


def current() -> ChatRuntime:
    if _current is None:
        raise RuntimeError("the chat runtime is not open (it is opened by the FastAPI app's lifespan)")
    return _current


def libpq_url(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


class Memory:
    """LangGraph's PostgreSQL checkpointer (each chat thread's memory, keyed by Chainlit's thread id).
    Its tables are created by its own `setup()`: started in the background when the app starts (the
    app must come up even while the database is down) and awaited before the first turn."""

    def __init__(self, pool: AsyncConnectionPool):
        self.saver = AsyncPostgresSaver(pool)
        self._ready = False
        self._lock = asyncio.Lock()

    async def ready(self) -> AsyncPostgresSaver:
        if not self._ready:
            async with self._lock:
                if not self._ready:
                    await self.saver.setup()
                    self._ready = True
        return self.saver


async def _prepare(memory: Memory) -> None:
    try:
        await memory.ready()
    except Exception as exc:  # retried at the first chat turn
        log.warning("chat memory tables not ready yet: %s", exc)


@asynccontextmanager
async def open_memory(database_url: str, statement_timeout_ms: int = 5000) -> AsyncIterator[Memory]:
    # Connections are checked before use (a PostgreSQL restart costs nothing once it is back up), and
    # visitors' turns cannot hold a statement longer than the app's statement timeout.
    pool = AsyncConnectionPool(libpq_url(database_url), min_size=1, max_size=4, open=False, timeout=10,
                               check=AsyncConnectionPool.check_connection,
                               kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row,
                                       "options": f"-c statement_timeout={statement_timeout_ms}"})
    await pool.open(wait=False)
    memory = Memory(pool)
    setup = asyncio.create_task(_prepare(memory))
    try:
        yield memory
    finally:
        setup.cancel()
        await pool.close()


@asynccontextmanager
async def open_chat_runtime(settings: Settings, services: Services, database_url: str, endpoint: ChatEndpoint | None,
                            local_llm: LocalLLMServer | None = None) -> AsyncIterator[ChatRuntime]:
    global _current
    async with open_memory(database_url, settings.db_statement_timeout_ms) as memory:
        runtime = ChatRuntime(settings, services, endpoint, memory,
                              ChatRateLimit(services.limiter, settings.chat_visitor_messages,
                                            settings.chat_ip_messages, settings.chat_rate_window), local_llm)
        runtime.history = HistoryDataLayer(database_url)
        _current = runtime
        forget_cached_layer()
        try:
            yield runtime
        finally:
            if _current is runtime:
                _current = None
                forget_cached_layer()
            await runtime.history.close()
