"""The FastAPI application: REST under /api/v1, health probes, the chat mounted at /chat."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from folio.runtime import open_services
from folio.settings import Settings


def create_app(settings: Settings, database_url: str) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        services = open_services(database_url, settings)
        app.state.services = services
        app.state.settings = settings
        try:
            yield
        finally:
            await services.db.dispose()

    app = FastAPI(title="folio", version="0.1.0", lifespan=lifespan,
                  description="A developer portfolio you can talk to: content, search and the writing assistant.")

    @app.get("/healthz", tags=["health"], summary="Process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
