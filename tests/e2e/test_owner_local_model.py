"""The owner's confirmed create with the real embedded model (llama-server + Qwen2.5-Coder-1.5B): the
model proposes, nothing is written until the confirmation, then the project exists as asked."""

import pytest

from folio.actor import Actor
from folio.errors import NotFound

pytestmark = pytest.mark.real_model

REQUEST = "Add a project called Tide Gauge, built with Python and TimescaleDB, repo github.com/x/tide-gauge"


@pytest.mark.timeout(900)
async def test_a_confirmed_create_with_the_real_model(local_llm, demo_services):
    """The path the owner's chat takes for a create (read under a grammar, values checked), then Confirm."""
    from agent.requests import make_requests

    user, _ = await demo_services.users.ensure_owner("owner@example.com", "correct horse battery")
    owner = Actor(user_id=user.id, email=user.email, is_owner=True)
    outcome = await make_requests(demo_services, local_llm.endpoint).handle(owner, REQUEST, thread_id="t-tide")

    change = outcome.change
    assert change is not None, outcome
    assert (change.action, change.kind, change.slug) == ("create", "project", "tide-gauge"), change
    assert change.fields["title"] == "Tide Gauge"
    assert change.fields["repo_url"] == "https://github.com/x/tide-gauge"
    assert change.fields["started_on"] is None and change.fields["live_url"] is None  # nothing invented
    assert "{" not in outcome.text  # no raw JSON shown
    with pytest.raises(NotFound):
        await demo_services.projects.get(owner, "tide-gauge")

    await demo_services.changes.confirm(owner, change.id, thread_id="t-tide")
    created = await demo_services.projects.get(Actor(), "tide-gauge")
    assert created.title == "Tide Gauge" and "TimescaleDB" in created.tech_stack


@pytest.mark.timeout(900)
async def test_owner_requests_with_the_real_model(real_owner_requests):
    """The owner chat's own path with the real model: a typo fix, and a create with its name, link and a short
    slug, and nothing the owner did not say."""
    owner, requests = real_owner_requests

    typo = await requests.handle(owner, "Fix the typo Postgress in my posts", thread_id="t-typo")
    assert typo.change is not None, typo
    assert typo.change.slug == "postgres-index-tuning-explain-analyze"
    assert all("Postgres 16" in str(d.after) for d in typo.change.diff if "Postgress" in str(d.before))

    created = await requests.handle(owner, "Add a project called Harbour Watch: a Rust service that tracks ship "
                                           "positions in PostGIS. Repo github.com/example/harbour-watch",
                                    thread_id="t-create")
    assert created.change is not None, created
    fields = created.change.fields
    assert (created.change.slug, fields["title"]) == ("harbour-watch", "Harbour Watch")
    assert fields["repo_url"] == "https://github.com/example/harbour-watch"
    assert fields["started_on"] is None and fields["live_url"] is None
