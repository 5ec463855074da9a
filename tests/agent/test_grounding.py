"""Proposals keep only what the owner said: invented values are left out (and the model is told)."""

import json

import chainlit as cl
import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from testkit.api import running_app
from testkit.chainlit_session import chainlit_session
from testkit.scripted_llm import ScriptedLLM, reply, tool_call

from chat import handlers as chat
from agent.grounding import grounded, owner_words
from chat.identity import owner_user
from folio.actor import Actor
from folio.settings import load_settings


def test_values_the_owner_did_not_say_are_left_out():
    said = "add a project called tide gauge, python and timescaledb, repo github.com/x/tide-gauge"
    kept, left_out = grounded({
        "title": "Tide Gauge", "summary": "A web app that shows tide data.", "tech_stack": ["Python", "Flask"],
        "repo_url": "https://github.com/x/tide-gauge", "live_url": "https://tide-gauge.example.com",
        "started_on": "2023-01-01", "featured": False, "published": True, "finished_on": None}, said)
    assert kept == {"title": "Tide Gauge", "tech_stack": ["Python"], "repo_url": "https://github.com/x/tide-gauge",
                    "finished_on": None}
    assert left_out == ["summary", "tech_stack", "live_url", "started_on", "featured", "published"]


@pytest.mark.parametrize("value, said, kept", [
    ("2025-01-10", "issued on 2025-01-10", True),
    ("2025-01-10", "issued on January 10, 2025", True),
    ("2025-01-10", "issued in 2025", False),
    ("A fast terminal log viewer.", "change the summary to 'a fast terminal log viewer.'", True),
    ("A fast terminal log viewer for Kubernetes clusters.", "change the summary to 'a fast log viewer'", False),
])
def test_dates_and_texts(value, said, kept):
    assert (grounded({"f": value}, said)[0] == {"f": value}) is kept


def test_flags_need_the_owners_word_and_recent_messages_count():
    assert grounded({"featured": True}, "mark heartbeat as featured")[0] == {"featured": True}
    assert grounded({"published": False}, "hide pocket transit from visitors")[0] == {"published": False}
    assert grounded({"featured": True}, "rename heartbeat to pulse")[0] == {}
    said = owner_words([HumanMessage("add a certification called Azure Fundamentals"), AIMessage("Who issued it?"),
                        HumanMessage("Microsoft")])
    assert grounded({"name": "Azure Fundamentals", "issuer": "Microsoft"}, said)[1] == []


def test_text_the_tools_showed_in_this_turn_counts_as_said():
    body = "Postgres tuning starts with EXPLAIN ANALYZE and ends with the right index."
    messages = [HumanMessage("show me the glint project"), ToolMessage("Glint: a log viewer", tool_call_id="a"),
                HumanMessage("fix the typo in my Postgres post"),
                ToolMessage(body.replace("tuning", "tunning"), tool_call_id="b")]
    said = owner_words(messages)
    assert grounded({"body": body}, said)[0] == {"body": body}
    assert "a log viewer" not in said  # an earlier turn's tool output does not count


@pytest.fixture
def llm():
    with ScriptedLLM() as server:
        yield server


async def test_an_invented_required_value_turns_into_a_question(tmp_path, llm, demo_db_url):
    settings = load_settings(secret_key="grounding-secret-0123456789", data_dir=str(tmp_path),
                             llm_base_url=llm.base_url, llm_model="scripted")
    async with running_app(settings, demo_db_url) as app:
        user, _ = await app.state.services.users.ensure_owner("owner@example.com", "correct horse battery")
        ui = chainlit_session(owner_user(user))
        # The classifier hands it to the agent (the fallback path): its proposal is grounded too.
        llm.script(reply('{"intent": "question", "kind": "none", "item": ""}'),
                   tool_call("propose_create", {"kind": "certification", "fields": {
                       "name": "Azure Fundamentals", "issuer": "Microsoft", "credential_id": "123456"}}),
                   reply("Who issued the Azure Fundamentals certification?"))
        await chat.on_message(cl.Message(content="Azure Fundamentals belongs in the portfolio as well"))
        first = llm.requests[2]["messages"][-1]["content"]
        assert "Ask the owner for: issuer" in first and "Left out because the owner did not say them: issuer, " \
            "credential_id" in first
        owner = Actor(user_id=user.id, email=user.email, is_owner=True)
        assert await app.state.services.changes.pending(owner) == []
        assert ui.messages()[-1]["output"] == "Who issued the Azure Fundamentals certification?"


async def test_extracted_fields_keep_only_what_the_owner_said(tmp_path, llm, demo_db_url):
    """The structured path: the extraction call invents an issuer, a credential id and a date, and
    repeats the whole sentence as the name; folio keeps the name from "called ..." and asks for the issuer."""
    settings = load_settings(secret_key="grounding-secret-0123456789", data_dir=str(tmp_path),
                             llm_base_url=llm.base_url, llm_model="scripted")
    async with running_app(settings, demo_db_url) as app:
        user, _ = await app.state.services.users.ensure_owner("owner@example.com", "correct horse battery")
        ui = chainlit_session(owner_user(user))
        text = "add a certification called Azure Fundamentals"
        llm.script(reply('{"intent": "create", "kind": "certification", "item": ""}'),
                   reply(json.dumps({"name": text, "issuer": "Microsoft", "issued_on": "2024-01-01",
                                     "expires_on": "", "credential_id": "123456", "credential_url": "",
                                     "description": ""})))
        await chat.on_message(cl.Message(content=text))
        asked = ui.messages()[-1]["output"]
        assert "name: Azure Fundamentals" in asked and "I still need: issuer" in asked
        assert "Microsoft" not in asked and "123456" not in asked and "2024" not in asked
        owner = Actor(user_id=user.id, email=user.email, is_owner=True)
        assert await app.state.services.changes.pending(owner) == []
