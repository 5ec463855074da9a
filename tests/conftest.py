"""Fixtures: real PostgreSQL + pgvector (embedded), one database per test."""

from __future__ import annotations

import atexit
import os
import shutil
from pathlib import Path

import pytest
import pytest_asyncio

import tempfile  # noqa: E402

os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="folio-xdg-")  # private (0700): no platformdirs warning
atexit.register(shutil.rmtree, os.environ["XDG_RUNTIME_DIR"], True)
# Tests never read a developer's .env or FOLIO_* environment by accident.
for _key in [k for k in os.environ if k.startswith("FOLIO_")]:
    del os.environ[_key]
# Apps built in tests never start the embedded llama-server (2 GB) unless a test asks for it with
# llm_base_url=None (the real-model smoke test); port 9 refuses connections, so a test that does not
# point the chat at a ScriptedLLM sees "model down".
os.environ["FOLIO_LLM_BASE_URL"] = "http://127.0.0.1:9/v1"

# Before any test module imports chainlit: folio's Chainlit files laid out and CHAINLIT_APP_ROOT set
# (chat/app_root.py); otherwise Chainlit loads its defaults and the chat refuses to mount.
import chat  # noqa: E402,F401

from testkit.pg import TestDatabases  # noqa: E402

from folio.actor import Actor  # noqa: E402
from launch.composition import embedder_for, open_services  # noqa: E402
from folio.services.seed import seed_demo  # noqa: E402
from folio.settings import load_settings  # noqa: E402

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


@pytest.fixture(scope="session")
def embedder():
    """The in-process embedding model, loaded once for the whole run (and shared with open_services)."""
    model = embedder_for(load_settings())
    model.warm_up()
    return model


@pytest_asyncio.fixture
async def services(db_url, embedder):
    svc = open_services(db_url, embedder=embedder)
    yield svc
    await svc.db.dispose()


@pytest_asyncio.fixture(scope="session")
async def demo_template(pg, embedder) -> str:
    """A database holding the demo portfolio, seeded and embedded once; tests copy it."""
    name = pg.create()
    svc = open_services(pg.url(name), embedder=embedder)
    try:
        await seed_demo(svc)
    finally:
        await svc.db.dispose()
    yield name
    pg.drop(name)


@pytest.fixture
def demo_db_url(pg, demo_template):
    name = pg.create(template=demo_template)
    yield pg.url(name)
    pg.drop(name)


@pytest_asyncio.fixture
async def demo_services(demo_db_url, embedder):
    """Services over a fresh copy of the seeded, embedded demo portfolio."""
    svc = open_services(demo_db_url, embedder=embedder)
    yield svc
    await svc.db.dispose()


@pytest.fixture
def short_tmp():
    """make(prefix) -> a new folder directly under /tmp (short: an embedded PostgreSQL's socket path has a
    length limit), removed after the test: a data dir may hold a 1 GB model file."""
    made: list[Path] = []

    def make(prefix: str) -> Path:
        made.append(Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp")))
        return made[-1]

    yield make
    for folder in made:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def owner() -> Actor:
    return OWNER


@pytest.fixture
def visitor() -> Actor:
    return VISITOR
