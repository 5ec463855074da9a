"""One live folio (REST + chat) per test session over a copy of the demo portfolio, its chat model a
ScriptedLLM that each test scripts afresh."""

from __future__ import annotations

import pytest
import pytest_asyncio
from testkit.live import LiveServer
from testkit.procs import ROOT
from testkit.scripted_llm import ScriptedLLM

from folio.llm.local_server import LocalLLMServer, ensure_model


@pytest.fixture(scope="session")
def live_llm():
    with ScriptedLLM() as llm:
        yield llm


@pytest.fixture(scope="session")
def live_server(pg, demo_template, live_llm):
    name = pg.create(template=demo_template)
    server = LiveServer(pg.libpq_url(name), live_llm.base_url).start()
    yield server
    server.stop()
    pg.drop(name)


@pytest.fixture
def live(live_server, live_llm):
    """The live server, with its scripted model reset for this test."""
    live_llm.reset()
    yield live_server
    live_llm.reset()


@pytest.fixture(scope="session")
def local_llm():
    """The embedded llama-server with Qwen2.5-Coder-1.5B, as `make run` starts it: one for the session
    (about 2 GB of RAM); the model file is joined once into .data/models (shared with `make run`)."""
    model = ensure_model(ROOT / ".data" / "models")
    server = LocalLLMServer(model).start()
    assert server.wait_ready(180), server.error
    yield server
    server.stop()


@pytest_asyncio.fixture
async def real_owner_requests(local_llm, demo_services):
    """(the owner, the owner chat's request path on the real embedded model) over the demo portfolio."""
    from agent.requests import make_requests
    from folio.actor import Actor

    user, _ = await demo_services.users.ensure_owner("owner@example.com", "correct horse battery")
    owner = Actor(user_id=user.id, email=user.email, is_owner=True)
    return owner, make_requests(demo_services, local_llm.endpoint)


@pytest.fixture(scope="module")
def live_local(pg, demo_template, local_llm):
    """folio serve over a copy of the demo portfolio, its chat model the session's real llama-server."""
    name = pg.create(template=demo_template)
    server = LiveServer(pg.libpq_url(name), local_llm.endpoint.base_url, llm_model=local_llm.endpoint.model).start()
    yield server
    server.stop()
    pg.drop(name)
