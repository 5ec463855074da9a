"""The FastAPI application: REST under /api/v1, health probes, the chat mounted at /chat."""

from __future__ import annotations

import gc
import logging
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from api.chat import chat_lifespan, mount_chat
from api.errors import install_error_handlers
from api.mcp_server import mcp_lifespan, mount_mcp
from api.middleware import RequestContextMiddleware
from api.routes import ai, auth, content, feeds, health, pages, profile, search
from folio.llm import ChatEndpoint
from folio.runtime import open_services
from folio.services.api_tokens import ApiTokenService
from folio.services.auth import AuthService
from folio.services.health import HealthService
from folio.services.ratelimit import RestRateLimit
from folio.services.notify import notifier_for, running as notifications_running
from folio.services.writer import WriterService
from folio.settings import Settings


def configured_chat_endpoint(settings: Settings) -> ChatEndpoint | None:
    """FOLIO_LLM_BASE_URL when set; otherwise None until the embedded llama-server has started."""
    if settings.llm_base_url is None:
        return None
    return ChatEndpoint(base_url=settings.llm_base_url, model=settings.llm_model,
                        api_key=settings.llm_api_key.get_secret_value(), timeout=settings.llm_timeout)


API_PREFIX = "/api/v1"


def api_v1_routers() -> list[APIRouter]:
    # Content first: GET by slug is the hot path and routes are matched in order.
    return [*content.content_routers(), search.router, auth.router, ai.router, feeds.jsonld_router, profile.router]


def create_app(settings: Settings, database_url: str, freeze_gc: bool = False) -> FastAPI:
    """`freeze_gc` (the long-running server): once start-up is done, move everything it loaded out of
    the garbage collector's reach; its full passes over ~775k start-up objects stalled requests ~300 ms."""
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        services = open_services(database_url, settings, serving=True)
        app.state.services = services
        app.state.settings = settings
        # The one place the chat model's endpoint is read from (the llama-server supervisor may set it).
        app.state.chat_endpoint = configured_chat_endpoint(settings)
        app.state.auth = AuthService(services.users, services.logins, settings.resolved_secret_key())
        app.state.rest_limits = RestRateLimit(services.limiter, settings.rate_search_requests,
                                              settings.rate_read_requests, settings.rate_window,
                                              settings.rate_login_requests)
        app.state.api_tokens = ApiTokenService(services.db)
        app.state.notifier = notifier_for(settings, services.db)  # None without FOLIO_NOTIFY_*/FOLIO_SMTP_*
        if app.state.notifier is not None:
            services.inbox.on_contact.append(app.state.notifier.contact_left)
        app.state.writer = WriterService(lambda: app.state.chat_endpoint)
        app.state.health = HealthService(
            services.db, lambda: app.state.chat_endpoint, settings.embeddings_base_url,
            settings.embeddings_api_key.get_secret_value(), lambda: getattr(app.state, "local_llm", None))
        try:
            async with (mcp_lifespan(app), notifications_running(app.state.notifier),
                        chat_lifespan(app, settings, services, database_url)):
                if freeze_gc:
                    gc.collect()
                    gc.freeze()
                yield
        finally:
            await services.db.dispose()

    app = FastAPI(title="folio", version="0.1.0", lifespan=lifespan,
                  description="A developer portfolio you can talk to: content, search and the writing assistant.")
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes,
                       trusted_proxies=settings.trusted_proxies,
                       access_level=logging.INFO if settings.access_log else logging.DEBUG)
    install_error_handlers(app)
    for router in api_v1_routers():  # included one by one: each nesting level costs a routing pass
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(health.router)
    app.include_router(pages.router)  # /p/{kind}/{slug}: readable pages the chat cites
    app.include_router(feeds.router)  # /feed.xml, /sitemap.xml
    mount_mcp(app, settings)  # /mcp
    mount_chat(app, settings)
    return app


def app_from_environment() -> FastAPI:
    """The app for one of `folio serve --workers N`'s processes: settings from the FOLIO_ environment, the
    database the parent process started (FOLIO_DATABASE_URL)."""
    from folio.settings import load_settings

    settings = load_settings()
    return create_app(settings, settings.sqlalchemy_url(), freeze_gc=True)
