"""The real FastAPI app in process for tests: its lifespan runs, requests go through httpx's ASGI transport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from launch.composition import build_app
from folio.settings import Settings

BASE = "http://folio.test"
OWNER_EMAIL, OWNER_PASSWORD = "owner@example.com", "correct horse battery"
MEMBER_EMAIL, MEMBER_PASSWORD = "member@example.com", "member password 1"


@asynccontextmanager
async def running_app(settings: Settings, db_url: str) -> AsyncIterator[FastAPI]:
    app = build_app(settings, db_url)
    async with app.router.lifespan_context(app):
        yield app


def client_for(app: FastAPI, *, base_url: str = BASE, client_addr: str = "127.0.0.1",
               token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(client_addr, 50000)),
                             base_url=base_url, headers=headers)
