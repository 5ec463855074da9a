"""Fixtures for the agent and chat UI tests: a small portfolio and a scripted chat model."""

import pytest
from testkit.portfolio import add_sample_portfolio
from testkit.scripted_llm import ScriptedLLM


@pytest.fixture
async def portfolio(services):
    await add_sample_portfolio(services)
    return services


@pytest.fixture
def llm():
    with ScriptedLLM() as server:
        yield server
