"""The owner changes their profile in the chat: read in code (no model call), proposed with a
before/after diff, applied once on Confirm, refused when stale. The real app, Chainlit handlers,
PostgreSQL and the demo portfolio (whose profile the seed created)."""

import chainlit as cl
from testkit.api import client_for
from testkit.chainlit_log import no_chainlit_errors  # noqa: F401
from testkit.chainlit_session import chainlit_session
from testkit.owner_buttons import press
from testkit.owner_app import app, owner  # noqa: F401  (fixtures)

from chat import handlers as chat
from agent.profile_requests import profile_request
from folio import prompts
from folio.schemas_profile import ProfileIn


def test_profile_requests_are_read_in_code():
    assert profile_request("Update my headline to Staff engineer at Acme") == {"headline": "Staff engineer at Acme"}
    assert profile_request("set my location to Berlin.") == {"location": "Berlin"}
    assert profile_request("I'm open to work now") == {"open_to_work": True}
    assert profile_request("I'm no longer open to work") == {"open_to_work": False}
    assert profile_request("Is she open to work?") is None
    assert profile_request("Set the summary of Glint to fast") is None


async def test_set_my_location_is_proposed_then_applied_on_confirm(app, owner, llm):
    actor, user = owner
    ui = chainlit_session(user)
    await chat.on_message(cl.Message(content="Set my location to Berlin"))
    preview = ui.messages()[-1]["output"]
    assert "**Update profile** “Maya Okafor” · `me`" in preview and "Berlin" in preview, preview
    assert llm.requests == []  # no classifier call: read in code
    async with client_for(app) as rest:
        assert (await rest.get("/api/v1/profile")).json()["location"].startswith("Lisbon")  # not yet
    done = await press(ui, "Confirm")
    assert done == prompts.CHANGE_APPLIED.format(verb="updated", kind="profile", title="Maya Okafor",
                                                 url="/api/v1/profile")
    async with client_for(app) as rest:
        assert (await rest.get("/api/v1/profile")).json()["location"] == "Berlin"


async def test_a_stale_profile_change_is_refused_and_a_no_op_is_not_proposed(app, owner, llm):
    actor, user = owner
    ui = chainlit_session(user)
    await chat.on_message(cl.Message(content="I'm no longer open to work"))
    assert "open_to_work" in ui.messages()[-1]["output"]
    profile = app.state.services.profile
    current = await profile.find()
    await profile.put(actor, ProfileIn.model_validate({**{k: getattr(current, k) for k in ProfileIn.model_fields},
                                                       "headline": "Changed meanwhile"}))
    refused = await press(ui, "Confirm")
    assert "changed after this preview" in refused
    assert (await profile.find()).open_to_work is True
    await chat.on_message(cl.Message(content="I'm open to work now"))
    assert "nothing would change" in ui.messages()[-1]["output"]
