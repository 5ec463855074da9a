"""The owner's confirmed create with the real embedded model (llama-server + Qwen2.5-Coder-1.5B): the
model proposes, nothing is written until the confirmation, then the project exists as asked."""

import pytest
from testkit.agent import AgentDriver

from folio.actor import Actor
from folio.errors import NotFound

REQUEST = "Add a project called Tide Gauge, built with Python and TimescaleDB, repo github.com/x/tide-gauge"


@pytest.mark.timeout(900)
async def test_a_confirmed_create_with_the_real_model(local_llm, demo_services):
    user, _ = await demo_services.users.ensure_owner("owner@example.com", "correct horse battery")
    owner = Actor(user_id=user.id, email=user.email, is_owner=True)
    driver = AgentDriver(demo_services, local_llm.endpoint.base_url, actor=owner, model="local", temperature=0.0)
    turn = await driver.turn(REQUEST)

    assert "propose_create" in turn.tools_called, turn.events
    [change] = await demo_services.changes.pending(owner, driver.thread_id)
    assert (change.action, change.kind, change.slug) == ("create", "project", "tide-gauge"), change
    assert change.fields["title"] == "Tide Gauge"
    assert change.fields["repo_url"] == "https://github.com/x/tide-gauge"
    assert change.fields["started_on"] is None and change.fields["live_url"] is None  # nothing invented
    assert '"arguments"' not in turn.streamed  # no raw tool JSON shown
    with pytest.raises(NotFound):
        await demo_services.projects.get(owner, "tide-gauge")

    await demo_services.changes.confirm(owner, change.id, thread_id=driver.thread_id)
    created = await demo_services.projects.get(Actor(), "tide-gauge")
    assert created.title == "Tide Gauge" and "TimescaleDB" in created.tech_stack
