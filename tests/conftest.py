"""Fixtures: real PostgreSQL + pgvector (embedded), one database per test."""

from __future__ import annotations

import os

import pytest
import pytest_asyncio

import tempfile  # noqa: E402

os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="folio-xdg-")  # private (0700): no platformdirs warning
# Tests never read a developer's .env or FOLIO_* environment by accident.
for _key in [k for k in os.environ if k.startswith("FOLIO_")]:
    del os.environ[_key]

from testkit.pg import TestDatabases  # noqa: E402

from folio.actor import Actor  # noqa: E402
from folio.runtime import open_services  # noqa: E402

OWNER = Actor(email="owner@example.com", is_owner=True)
VISITOR = Actor()


@pytest.fixture(scope="session")
def pg() -> TestDatabases:
    dbs = TestDatabases()
    dbs.start()
    yield dbs
    dbs.stop()


@pytest.fixture
def db_name(pg):
    name = pg.create()
    yield name
    pg.drop(name)


@pytest.fixture
def db_url(pg, db_name) -> str:
    return pg.url(db_name)


@pytest_asyncio.fixture
async def services(db_url):
    svc = open_services(db_url)
    yield svc
    await svc.db.dispose()


@pytest.fixture
def owner() -> Actor:
    return OWNER


@pytest.fixture
def visitor() -> Actor:
    return VISITOR
