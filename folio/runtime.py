"""Start-up shared by `folio serve` and the other commands: database, migrations, owner, demo."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import lru_cache

from data.db import Database, make_engine
from data.embedded_pg import EmbeddedPostgres, exit_on_sigterm
from data import migrate
from data.embeddings import Embedder, make_embedder
from folio.services import Services, build_services
from folio.services.seed import is_empty, seed_demo
from folio.settings import Settings, load_settings

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
    from folio.services.logins import LoginPolicy

    settings = settings if settings is not None else load_settings()
    ttl = timedelta(minutes=settings.change_ttl_minutes)
    timeout = settings.db_statement_timeout_ms
    db = Database(make_engine(url, statement_timeout_ms=timeout if serving else None), statement_timeout_ms=timeout)
    return build_services(db, embedder or embedder_for(settings), change_ttl=ttl,
                          min_relevance=settings.chat_min_relevance, login_policy=LoginPolicy.from_settings(settings))


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
