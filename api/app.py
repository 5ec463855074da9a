"""The FastAPI application: REST under /api/v1, health probes, MCP at /mcp, the chat mounted at /chat.

It assembles nothing itself: what it runs on (services, the chat model's endpoint, the chat runtime)
comes from the composition root (launch/composition.py, `build_app`) through `open_runtime`."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

from fastapi import APIRouter, FastAPI

from api.errors import install_error_handlers
from api.mcp_server import mcp_lifespan, mount_mcp
from api.middleware import RequestContextMiddleware, Refusal
from api.routes import ai, auth, content, cv, feeds, health, metrics, owner, pages, profile, search
from chat.mount import mount_chat
from folio.llm import ChatEndpoint
from folio.llm.local_server import LocalLLMServer
from folio.services import Services
from folio.services.api_tokens import ApiTokenService
from folio.services.auth import AuthService
from folio.services.health import HealthService
from folio.services.ratelimit import RestRateLimit
from folio.services.importing.schedule import ScheduledSync, running as sync_running
from folio.services.notify import notifier_for, running as notifications_running
from folio.services.writer import WriterService
from folio.settings import Settings


class Running(Protocol):
    """What the app runs on while it is up (launch/composition.py's AppRuntime)."""
    services: Services
    chat_endpoint: ChatEndpoint | None  # None: no chat model can run (REST keeps working)
    local_llm: LocalLLMServer | None  # the embedded llama-server, when folio runs one


API_PREFIX = "/api/v1"


def api_v1_routers() -> list[APIRouter]:
    # Content first: GET by slug is the hot path and routes are matched in order.
    return [*content.content_routers(), search.router, auth.router, ai.router, feeds.jsonld_router, profile.router]


def create_app(settings: Settings, open_runtime: Callable[[], AbstractAsyncContextManager[Running]],
               freeze_gc: bool = False) -> FastAPI:
    """`open_runtime` opens what the app runs on for its lifespan (launch.composition.build_app passes it).
    `freeze_gc` (the long-running server): once start-up is done, move everything it loaded out of
    the garbage collector's reach; its full passes over ~775k start-up objects stalled requests ~300 ms."""
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        async with open_runtime() as running:
            async with serving(app, running):
                yield

    @asynccontextmanager
    async def serving(app: FastAPI, running: Running):
        services = running.services
        app.state.services = services
        app.state.settings = settings
        # The one place the chat model's endpoint is read from.
        app.state.chat_endpoint = running.chat_endpoint
        app.state.local_llm = running.local_llm
        app.state.auth = AuthService(services.users, services.logins, settings.resolved_secret_key())
        app.state.rest_limits = RestRateLimit(services.limiter, settings.rate_search_requests,
                                              settings.rate_read_requests, settings.rate_window,
                                              settings.rate_login_requests)
        app.state.api_tokens = ApiTokenService(services.db)
        app.state.notifier = notifier_for(settings, services.db)  # None without FOLIO_NOTIFY_*/FOLIO_SMTP_*
        if app.state.notifier is not None:
            services.inbox.on_contact.append(app.state.notifier.contact_left)
            services.imports.on_new_items.append(app.state.notifier.items_imported)
        # FOLIO_SYNC_GITHUB / FOLIO_SYNC_FEEDS every FOLIO_SYNC_HOURS (one process at a time: advisory lock).
        app.state.sync = ScheduledSync(services.imports, settings.sync_sources(), settings.sync_hours)
        app.state.writer = WriterService(lambda: app.state.chat_endpoint)
        app.state.health = HealthService(
            services.db, lambda: app.state.chat_endpoint, settings.embeddings_base_url,
            settings.embeddings_api_key.get_secret_value(), lambda: getattr(app.state, "local_llm", None))
        async with mcp_lifespan(app), notifications_running(app.state.notifier), sync_running(app.state.sync):
            if freeze_gc:
                gc.collect()
                gc.freeze()
            yield

    app = FastAPI(title="folio", version="0.1.0", lifespan=lifespan,
                  description="A developer portfolio you can talk to: content, search and the writing assistant.")
    refusals: list[Refusal] = []  # the chat's refusal of ended owner sessions joins (mount_chat)
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes,
                       trusted_proxies=settings.trusted_proxies, refusals=refusals,
                       access_level=logging.INFO if settings.access_log else logging.DEBUG)
    install_error_handlers(app)
    for router in api_v1_routers():  # included one by one: each nesting level costs a routing pass
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(health.router)
    app.include_router(metrics.router)  # /metrics: the owner or FOLIO_METRICS_NETWORK
    app.include_router(pages.router)  # /p/{kind}/{slug}: readable pages the chat cites
    app.include_router(feeds.router)  # /feed.xml, /sitemap.xml
    app.include_router(owner.router)  # /owner/login, /owner/insights: the owner's pages
    app.include_router(cv.router)  # /cv, /cv.pdf
    mount_mcp(app, settings)  # /mcp
    mount_chat(app, settings, refusals)
    return app

