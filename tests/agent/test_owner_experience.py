"""The owner adds a role and ends one in the chat, through the same classifier -> fields -> proposal ->
Confirm path as every kind (nothing experience-specific in the agent). The real app, Chainlit handlers,
PostgreSQL and the demo portfolio; only the model's answers are scripted."""

import json

import chainlit as cl
from testkit.api import client_for
from testkit.chainlit_log import no_chainlit_errors  # noqa: F401
from testkit.chainlit_session import chainlit_session
from testkit.owner_app import app, owner  # noqa: F401  (fixtures)
from testkit.owner_buttons import press
from testkit.scripted_llm import reply

from chat import handlers as chat
from folio import prompts


def routed(intent: str, kind: str = "none", item: str = ""):
    return reply(json.dumps({"intent": intent, "kind": kind, "item": item}))


ROLE = {"organisation": "", "title": "", "started_on": "", "ended_on": "", "location": "", "summary": "", "tech": []}


async def test_add_a_role_is_proposed_and_created_on_confirm(app, owner, llm):
    actor, user = owner
    ui = chainlit_session(user)
    llm.script(routed("create", "experience"),
               reply(json.dumps({**ROLE, "organisation": "Acme", "title": "Senior Engineer",
                                 "started_on": "March 2021", "ended_on": "2024-01-01", "tech": ["Python"]})))
    await chat.on_message(cl.Message(content="add a role: Senior Engineer at Acme since March 2021"))
    preview = ui.messages()[-1]["output"]
    assert "**Create experience** “Senior Engineer at Acme” · `senior-engineer-acme`" in preview, preview
    assert "| started_on | 2021-03-01 |" in preview
    assert "| ended_on | — |" in preview and "| tech | — |" in preview  # invented by the model: left out
    assert llm.requests[1]["response_format"]["json_schema"]["name"] == "experience_fields"
    async with client_for(app) as rest:
        assert (await rest.get("/api/v1/experience/senior-engineer-acme")).status_code == 404  # not yet
    done = await press(ui, "Confirm")
    assert done == prompts.CHANGE_APPLIED.format(verb="created", kind="experience", title="Senior Engineer at Acme",
                                                 url="/api/v1/experience/senior-engineer-acme")
    async with client_for(app) as rest:
        role = (await rest.get("/api/v1/experience/senior-engineer-acme")).json()
    assert role["started_on"] == "2021-03-01" and role["current"] is True and role["organisation"] == "Acme"


async def test_i_left_a_company_ends_its_role_on_confirm(app, owner, llm):
    actor, user = owner
    ui = chainlit_session(user)
    llm.script(routed("update", "experience", "Northwind Freight"),
               reply(json.dumps({"organisation": "Northwind Freight", "title": "", "started_on": "",
                                 "ended_on": "June 2024", "location": "", "summary": "", "tech": [],
                                 "published": ""})))
    await chat.on_message(cl.Message(content="I left Northwind Freight in June 2024"))
    preview = ui.messages()[-1]["output"]
    assert "**Update experience** “Senior Backend Engineer at Northwind Freight”" in preview, preview
    assert "2024-06-01" in preview and "organisation" not in preview  # only what the owner's words change
    await press(ui, "Confirm")
    async with client_for(app) as rest:
        role = (await rest.get("/api/v1/experience/senior-backend-engineer-northwind")).json()
    assert role["ended_on"] == "2024-06-01" and role["current"] is False
