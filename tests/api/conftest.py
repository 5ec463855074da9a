"""Fixtures for the REST tests: a seeded template database (accounts and content), the real app."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
import pytest_asyncio
from testkit.api import MEMBER_EMAIL, MEMBER_PASSWORD, OWNER_EMAIL, OWNER_PASSWORD, client_for, running_app
from testkit.scripted_llm import ScriptedLLM

from data.repositories import UserRepository
from folio.actor import Actor
from launch.composition import open_services
from folio.schemas import CertificationCreate, PostCreate, ProjectCreate
from folio.services.users import hash_password
from folio.settings import load_settings


PROJECTS = [
    ProjectCreate(title="Glint", summary="A fast static site linter.", body="Glint lints static sites in Rust.",
                  tags=["rust", "cli"], tech_stack=["Rust"], featured=True, started_on="2024-01-01"),
    ProjectCreate(title="Tide Gauge", summary="Coastal water-level sensors.",
                  body="Sensors on piers report sea level every minute to TimescaleDB.",
                  tags=["iot"], tech_stack=["Python", "PostgreSQL"], started_on="2023-05-01"),
    ProjectCreate(title="Secret Lab", summary="Unreleased experiments.", body="Hidden rust work.",
                  tags=["rust"], tech_stack=["Rust"], published=False),
]
POSTS = [
    PostCreate(title="HNSW in pgvector", body="Why HNSW indexes make vector search fast in PostgreSQL.",
               tags=["postgres"], status="published"),
    PostCreate(title="Draft notes", body="Unfinished thoughts about quokkas.", tags=["postgres"]),
]
CERTIFICATIONS = [
    CertificationCreate(name="AWS Solutions Architect", issuer="Amazon Web Services", featured=True),
    CertificationCreate(name="Certified Kubernetes Administrator", issuer="CNCF"),
]


@dataclass(frozen=True)
class Accounts:
    owner: Actor
    member: Actor
    template: str


@pytest_asyncio.fixture(scope="session")
async def api_template(pg) -> Accounts:
    """Created once: the owner, a non-owner member and a little content of each kind."""
    template = pg.create()
    services = open_services(pg.url(template))
    try:
        owner_user, _ = await services.users.ensure_owner(OWNER_EMAIL, OWNER_PASSWORD)
        async with services.db.unit_of_work() as session:
            member_user = await UserRepository().add(session, MEMBER_EMAIL, hash_password(MEMBER_PASSWORD),
                                                     is_owner=False)
        owner = Actor(user_id=owner_user.id, email=OWNER_EMAIL, is_owner=True)
        for kind, items in (("project", PROJECTS), ("post", POSTS), ("certification", CERTIFICATIONS)):
            for item in items:
                await services.content(kind).create(owner, item)
    finally:
        await services.db.dispose()
    yield Accounts(owner=owner, member=Actor(user_id=member_user.id, email=MEMBER_EMAIL), template=template)
    pg.drop(template)


@pytest.fixture
def api_db_url(pg, api_template):
    name = pg.create(template=api_template.template)
    yield pg.url(name)
    pg.drop(name)


@pytest.fixture(scope="session")
def llm():
    with ScriptedLLM() as server:
        yield server


@pytest.fixture
def settings(tmp_path, llm):
    llm.reset()
    # Every request of these tests comes from one address: the rate-limit tests set their own limits.
    return load_settings(secret_key="test-secret-key-" + uuid.uuid4().hex, data_dir=str(tmp_path),
                         llm_base_url=llm.base_url, llm_model="scripted", rate_search_requests=100_000,
                         rate_read_requests=100_000, rate_login_requests=10_000)


@pytest_asyncio.fixture
async def app(settings, api_db_url):
    async with running_app(settings, api_db_url) as app:
        yield app


@pytest.fixture
def accounts(api_template) -> Accounts:
    return api_template


@pytest.fixture
def owner_token(app, accounts) -> str:
    return app.state.auth.issue(accounts.owner)


@pytest.fixture
def member_token(app, accounts) -> str:
    return app.state.auth.issue(accounts.member)


@pytest_asyncio.fixture
async def anon(app):
    async with client_for(app) as client:
        yield client


@pytest_asyncio.fixture
async def owner_client(app, owner_token):
    async with client_for(app, token=owner_token) as client:
        yield client


@pytest_asyncio.fixture
async def member_client(app, member_token):
    async with client_for(app, token=member_token) as client:
        yield client
