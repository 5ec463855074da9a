"""The composition root: the one place folio is assembled, for `folio serve`, the CLI commands and the
tests' fixtures. Settings come in; out come the database (embedded PostgreSQL started when needed,
migrations), the services with their embedder, the chat model's endpoint (the embedded llama-server is
prepared and started here, once) and the chat runtime; `build_app` hands them to api/app.py's app."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from data import migrate
from data.db import Database, make_engine
from data.embedded_pg import EmbeddedPostgres, exit_on_sigterm
from data.embeddings import Embedder, make_embedder
from folio.llm import ChatEndpoint
from folio.llm.local_server import LocalLLMServer, LocalModelError, ensure_model
from folio.services import Services, build_services
from folio.services.seed import is_empty, seed_demo
from folio.settings import Settings, load_settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from chat.runtime import ChatRuntime

log = logging.getLogger(__name__)


@contextmanager
def database_url(settings: Settings) -> Iterator[str]:
    """The async SQLAlchemy URL; starts (and afterwards stops) the embedded server when needed."""
    if not settings.uses_embedded_db:
        yield settings.sqlalchemy_url()
        return
    exit_on_sigterm()
    server = EmbeddedPostgres(settings.pgdata)
    uri = server.start()
    try:
        yield settings.sqlalchemy_url(uri)
    finally:
        server.stop()


def upgrade_schema(url: str) -> None:
    migrate.upgrade(url)


def embedder_for(settings: Settings) -> Embedder:
    """The configured embedding provider; one per process (the in-process model loads once)."""
    return _embedder(settings.embeddings_base_url, settings.embeddings_model,
                     settings.embeddings_api_key.get_secret_value(), settings.embeddings_dimensions)


@lru_cache
def _embedder(base_url: str | None, model: str, api_key: str, dimensions: int | None) -> Embedder:
    return make_embedder(base_url, model, api_key=api_key, dimensions=dimensions)


def open_services(url: str, settings: Settings | None = None, *, embedder: Embedder | None = None,
                  serving: bool = False) -> Services:
    """Services over the database at `url`. The embedder is `embedder` when given (tests share one),
    else the one `settings` (default: the FOLIO_ environment) configure. `serving` (the app, not a
    CLI command) limits every statement to FOLIO_DB_STATEMENT_TIMEOUT_MS."""
    from folio.services.importing import GitHubConfig
    from folio.services.logins import LoginPolicy
    from folio.services.ratelimit import Limit

    settings = settings if settings is not None else load_settings()
    ttl = timedelta(minutes=settings.change_ttl_minutes)
    timeout = settings.db_statement_timeout_ms
    db = Database(make_engine(url, statement_timeout_ms=timeout if serving else None), statement_timeout_ms=timeout)
    return build_services(db, embedder or embedder_for(settings), change_ttl=ttl,
                          min_relevance=settings.chat_min_relevance, login_policy=LoginPolicy.from_settings(settings),
                          secret_key=settings.resolved_secret_key() if serving else None,
                          contact_limit=Limit("contact-address", settings.contact_address_requests,
                                              settings.contact_rate_window),
                          insights_keep_days=settings.insights_keep_days,
                          github=GitHubConfig(settings.github_api_url,
                                              settings.github_token.get_secret_value() if settings.github_token
                                              else None))


async def prepare_content(settings: Settings, services: Services, seed: bool | None = None,
                          progress: Callable[[str, str], None] | None = None) -> None:
    """Create the configured owner and load the demo portfolio into an empty database."""
    await services.indexer.prepare(services.db)
    if settings.owner_email and settings.owner_password:
        _, created = await services.users.ensure_owner(
            settings.owner_email, settings.owner_password.get_secret_value())
        if created:
            log.info("created owner account %s", settings.owner_email)
    if (settings.seed_demo if seed is None else seed) and await is_empty(services):
        counts = await seed_demo(services, progress=progress)
        log.info("loaded the demo portfolio: %s", counts)


# ---- the chat model -------------------------------------------------------------------------------

def configured_chat_endpoint(settings: Settings) -> ChatEndpoint | None:
    """FOLIO_LLM_BASE_URL when set; otherwise None until the embedded llama-server has started."""
    if settings.llm_base_url is None:
        return None
    return ChatEndpoint(base_url=settings.llm_base_url, model=settings.llm_model,
                        api_key=settings.llm_api_key.get_secret_value(), timeout=settings.llm_timeout)


def prepare_local_model(settings: Settings, show_progress: bool = False) -> Path:
    """The embedded chat model's file, its parts joined and checked on first use (seconds, once)."""
    return ensure_model(settings.data_path / "models", show_progress=show_progress)


def local_llm_for(settings: Settings, log_name: str = "llama-server.log") -> LocalLLMServer:
    """The embedded llama-server (not started) for the configured model file and threads."""
    return LocalLLMServer(prepare_local_model(settings), threads=settings.llm_threads, context=settings.llm_context,
                          parallel=settings.llm_parallel, log_file=settings.data_path / "logs" / log_name,
                          slot_dir=settings.data_path / "llm-slots")


@contextmanager
def chat_model(settings: Settings) -> Iterator[tuple[ChatEndpoint | None, LocalLLMServer | None]]:
    """The chat model's endpoint, and the embedded server when folio runs one: with no
    FOLIO_LLM_BASE_URL the embedded llama-server starts here (and stops on exit). The endpoint is None
    when no model can run (REST keeps working; /readyz names the reason the server keeps)."""
    if settings.llm_base_url is not None:
        yield configured_chat_endpoint(settings), None
        return
    local = endpoint = None
    try:
        local = local_llm_for(settings)
        local.start()
    except LocalModelError as exc:  # a server that failed to start keeps the reason for /readyz
        log.error("the embedded chat model cannot start: %s", exc)
    else:
        endpoint = replace(local.endpoint, timeout=settings.llm_timeout)
        log.info("starting the embedded chat model on %s", local.base_url)
    try:
        yield endpoint, local
    finally:
        if local is not None:
            local.stop()


@contextmanager
def shared_chat_model(settings: Settings) -> Iterator[None]:
    """With several server processes, one embedded llama-server (2 GB) serves them all: it runs in the
    parent process and the workers reach it as an external server (FOLIO_LLM_BASE_URL)."""
    with chat_model(settings) as (endpoint, local):
        if local is not None and endpoint is not None:
            os.environ["FOLIO_LLM_BASE_URL"] = local.base_url
            os.environ["FOLIO_LLM_MODEL"] = endpoint.model
        yield


# ---- the running app ------------------------------------------------------------------------------

@dataclass
class AppRuntime:
    """What the app runs on while it is up (api/app.py's lifespan reads it)."""
    settings: Settings
    services: Services
    chat_endpoint: ChatEndpoint | None
    local_llm: LocalLLMServer | None
    chat: ChatRuntime


@asynccontextmanager
async def open_app_runtime(settings: Settings, url: str, embedder: Embedder | None = None
                           ) -> AsyncIterator[AppRuntime]:
    """Services over the database at `url` (statements time-limited: this is the server), the chat
    model (the embedded one started here when needed) and the chat runtime; all closed on exit."""
    from chat.runtime import open_chat_runtime

    services = open_services(url, settings, embedder=embedder, serving=True)
    try:
        with chat_model(settings) as (endpoint, local):
            async with open_chat_runtime(settings, services, url, endpoint, local) as chat:
                yield AppRuntime(settings, services, endpoint, local, chat)
    finally:
        await services.db.dispose()


def build_app(settings: Settings, url: str, *, freeze_gc: bool = False, embedder: Embedder | None = None
              ) -> FastAPI:
    """The FastAPI app (REST, MCP and the chat) over the database at `url`."""
    from api.app import create_app

    return create_app(settings, lambda: open_app_runtime(settings, url, embedder), freeze_gc=freeze_gc)


def app_from_environment() -> FastAPI:
    """The app for one of `folio serve --workers N`'s processes: settings from the FOLIO_ environment, the
    database the parent process started (FOLIO_DATABASE_URL)."""
    settings = load_settings()
    return build_app(settings, settings.sqlalchemy_url(), freeze_gc=True)
