"""The embedded chat model for real: llama-server with Qwen2.5-Coder-1.5B-Instruct, as `make run`
starts it when FOLIO_LLM_BASE_URL is unset. One server for the session (about 2 GB of RAM, a few
seconds to load); the model file is joined once into .data/models (shared with `make run`)."""

import os
import re
import signal
import time

import pytest
from testkit.portfolio import link_exists

from agent.answering import PassageFinder, Thread, make_answerer
from agent.turn import Final
from folio.actor import VISITOR

pytestmark = pytest.mark.real_model

LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


@pytest.mark.timeout(600)
async def test_questions_read_by_the_real_model_are_answered_from_the_data(local_llm, demo_services):
    """The answering pipeline with the real model: the question read under a grammar, the list built in
    code (complete), every citation an item a visitor can open; a Spanish question answered in Spanish."""
    answerer = make_answerer(demo_services, local_llm.endpoint, PassageFinder(demo_services.answers.embedder))
    events = [e async for e in answerer.answer(VISITOR, "Which projects use Rust?", Thread())]
    [final] = [e.text for e in events if isinstance(e, Final)]
    assert "Ferrox" in final and "Glint" in final, final
    assert "{" not in final  # no raw JSON shown
    links = LINK.findall(final)
    assert links, final
    for _, url in links:
        assert await link_exists(demo_services, url), (url, final)

    events = [e async for e in answerer.answer(VISITOR, "¿Qué proyectos usan Rust?", Thread())]
    [final] = [e.text for e in events if isinstance(e, Final)]
    assert "Ferrox" in final and "Glint" in final, final


@pytest.mark.timeout(300)
def test_the_supervisor_restarts_a_killed_server(local_llm):
    before = local_llm.pid
    os.kill(before, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while local_llm.pid == before and time.monotonic() < deadline:  # the supervisor notices and respawns
        time.sleep(0.1)
    assert local_llm.wait_ready(120), local_llm.error
    assert local_llm.pid != before and local_llm.restarts == 1 and local_llm.state == "ready"


@pytest.mark.timeout(300)
async def test_a_crash_is_explained_in_readyz_and_the_server_comes_back(local_llm):
    """A build for the wrong CPU dies with SIGSEGV/SIGILL: /readyz says so in words a person can act on,
    and the supervisor keeps retrying (here the binary is fine, so the restart succeeds)."""
    from folio.services.health import HealthService

    health = HealthService(_NoDatabase(), lambda: local_llm.endpoint, local_llm=lambda: local_llm)
    assert (await health._llm()) == {"status": "ok"}
    before, restarts = local_llm.pid, local_llm.restarts
    os.kill(before, signal.SIGSEGV)
    deadline = time.monotonic() + 30
    while local_llm.state == "ready" and time.monotonic() < deadline:
        time.sleep(0.05)
    report = await health._llm()
    assert report["status"] in {"failed", "starting"}, report
    assert "SIGSEGV" in local_llm.error and "make llama-rebuild" in local_llm.error, local_llm.error
    assert local_llm.wait_ready(180), local_llm.error
    assert local_llm.pid != before and local_llm.restarts == restarts + 1
    assert (await health._llm()) == {"status": "ok"}


@pytest.mark.timeout(300)
def test_a_hung_server_is_killed_and_restarted(local_llm):
    """SIGSTOP: the process lives but never answers; the /health probe notices and restarts it."""
    before, restarts = local_llm.pid, local_llm.restarts
    os.kill(before, signal.SIGSTOP)
    try:
        deadline = time.monotonic() + 120
        while local_llm.pid == before and time.monotonic() < deadline:
            time.sleep(0.2)
        assert local_llm.pid != before, "the hung server was never replaced"
        assert "hung" in (local_llm.error or "") or local_llm.state == "ready"
    finally:
        try:
            os.kill(before, signal.SIGCONT)
        except ProcessLookupError:
            pass
    assert local_llm.wait_ready(180), local_llm.error
    assert local_llm.restarts == restarts + 1 and local_llm.state == "ready"


class _NoDatabase:
    async def ping(self) -> None:  # only the llm check is exercised here
        return None
