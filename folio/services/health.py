"""Readiness: the database and the chat model must answer (a chat that can only apologise is not ready);
the embedder is reported. For the embedded llama-server, its supervisor's state says why it is down."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from data.db import Database
from folio.llm import ChatEndpoint
from folio.llm.local_server import LocalLLMServer

log = logging.getLogger(__name__)
PROBE_TIMEOUT_S = 2.0


REQUIRED = ("database", "llm")


@dataclass
class Readiness:
    checks: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def failed(self) -> list[str]:
        """The required dependencies that do not answer."""
        return [name for name in REQUIRED if self.checks.get(name, {}).get("status") != "ok"]

    @property
    def ready(self) -> bool:
        return not self.failed


async def _http_ok(url: str, api_key: str | None) -> bool:
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        async with httpx.AsyncClient(timeout=PROBE_TIMEOUT_S) as client:
            response = await client.get(url, headers=headers)
        return response.status_code < 500
    except httpx.HTTPError:
        return False


class HealthService:
    def __init__(self, db: Database, chat_endpoint: Callable[[], ChatEndpoint | None],
                 embeddings_base_url: str | None = None, embeddings_api_key: str | None = None,
                 local_llm: Callable[[], LocalLLMServer | None] = lambda: None):
        self.db = db
        self._chat_endpoint = chat_endpoint
        self._local_llm = local_llm
        self.embeddings_base_url = embeddings_base_url
        self.embeddings_api_key = embeddings_api_key

    async def _database(self) -> dict[str, str]:
        try:
            await asyncio.wait_for(self.db.ping(), PROBE_TIMEOUT_S)
        except Exception as exc:  # any failure means "not ready"; the kind is logged, not returned
            log.warning("readiness: database check failed: %s", type(exc).__name__)
            return {"status": "unavailable", "detail": "the database does not answer"}
        return {"status": "ok"}

    async def _embedder(self) -> dict[str, str]:
        if self.embeddings_base_url is None:
            return {"status": "in_process"}
        ok = await _http_ok(self.embeddings_base_url + "/models", self.embeddings_api_key)
        return {"status": "ok"} if ok else {"status": "unreachable", "url": self.embeddings_base_url}

    async def _llm(self) -> dict[str, str]:
        if (local := self._local_llm()) is not None:
            return local.status()
        endpoint = self._chat_endpoint()
        if endpoint is None:
            return {"status": "not_started"}
        ok = await _http_ok(endpoint.base_url.rstrip("/") + "/models", endpoint.api_key)
        return {"status": "ok"} if ok else {"status": "unreachable", "url": endpoint.base_url}

    async def readiness(self) -> Readiness:
        database, embedder, llm = await asyncio.gather(self._database(), self._embedder(), self._llm())
        return Readiness(checks={"database": database, "embedder": embedder, "llm": llm})
