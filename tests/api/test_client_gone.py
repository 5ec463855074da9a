"""A browser that drops a request mid-flight is no server error (the /chat/logo 500s in the log).

Chainlit's app sits behind Starlette's BaseHTTPMiddleware, which raises RuntimeError("No response
returned.") when the app below it answered nothing because the client went away."""

from __future__ import annotations

import logging

import httpx
from fastapi import FastAPI
from starlette.middleware.base import BaseHTTPMiddleware

from api.errors import install_error_handlers
from api.middleware import RequestContextMiddleware


async def _silent(scope, receive, send) -> None:
    """What an asset route does when the browser has gone: returns without a response."""


async def _broken(scope, receive, send) -> None:
    raise RuntimeError("something else broke")


def _app() -> FastAPI:
    inner = FastAPI()
    inner.mount("/logo", _silent)
    inner.mount("/broken", _broken)

    async def passthrough(request, call_next):
        return await call_next(request)

    inner.add_middleware(BaseHTTPMiddleware, dispatch=passthrough)  # like Chainlit's own middleware
    app = FastAPI()
    install_error_handlers(app)
    app.mount("/chat", inner)
    app.add_middleware(RequestContextMiddleware, max_body_bytes=1_000_000)
    return app


async def test_a_dropped_request_is_logged_as_client_gone_not_as_an_error(caplog):
    caplog.set_level(logging.DEBUG)
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        await client.get("/chat/logo/")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("client closed the request" in r.getMessage() for r in caplog.records)
    assert any('"status":499' in r.getMessage() for r in caplog.records if r.name == "folio.access")


async def test_other_runtime_errors_still_answer_500_and_are_logged(caplog):
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/chat/broken/")
    assert response.status_code == 500
    assert any(r.levelno >= logging.ERROR for r in caplog.records)
