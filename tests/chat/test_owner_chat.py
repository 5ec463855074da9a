"""The owner manages content by talking, against a scripted OpenAI-compatible server: every write is
shown first (all fields / a diff / what is lost) and happens only on Confirm, once; Cancel writes
nothing; a missing field is asked for; drafting saves and publishes a post REST returns and search
finds. The real app (REST + chat runtime), real Chainlit handlers, real PostgreSQL and embeddings."""

import json

import chainlit as cl
import pytest
from testkit.api import client_for
from testkit.chainlit_log import no_chainlit_errors  # noqa: F401
from testkit.owner_app import app, owner  # noqa: F401  (fixtures)
from testkit.chainlit_session import chainlit_session
from testkit.scripted_llm import query, reply, request

from chat import handlers as chat, owner_chat
from chat.identity import visitor_user
from folio import prompts
from folio.actor import Actor
from folio.errors import NotFound


TIDE_GAUGE = {"title": "Tide Gauge", "tech": "Python, TimescaleDB", "repo_url": "github.com/x/y"}
DRAFT_V1 = ("# HNSW in pgvector\nTags: postgres, vectors\nExcerpt: Why HNSW makes vector search fast.\n\n"
            "HNSW builds a layered graph over the vectors. Queries walk it greedily from the top layer.\n\n"
            "## Tuning\n\nRaise ef_search for recall, m for denser graphs.")
DRAFT_V2 = ("# HNSW in pgvector, briefly\nTags: postgres, vectors\nExcerpt: HNSW in two paragraphs.\n\n"
            "HNSW is a layered proximity graph; quokkagraph queries descend it greedily.\n\n"
            "```sql\nCREATE INDEX ON items USING hnsw (embedding vector_cosine_ops);\n```")


def _change_buttons(ui) -> dict[str, dict]:
    """The Confirm/Cancel buttons on screen (by name) for the latest proposed change."""
    removed = {d["id"] for e, d in ui.events if e == "remove_action"}
    live = [a for a in ui.actions() if a["name"] in (owner_chat.CONFIRM, owner_chat.CANCEL) and a["id"] not in removed]
    return {a["name"]: a for a in live[-2:]}


async def _press(ui, name: str) -> str:
    button = _change_buttons(ui)[name]
    await chat.answer_change(cl.Action(**button))
    return ui.messages()[-1]["output"]


async def _get(services, kind, slug, actor=Actor()):
    return await services.content(kind).get(actor, slug)


async def test_create_is_shown_with_every_field_and_written_only_on_confirm_once(app, owner, llm):
    actor, user = owner
    services = app.state.services
    count = await services.projects.count()
    ui = chainlit_session(user)
    llm.script(request(operation="create", kind="project", target="new", fields=TIDE_GAUGE))
    await chat.on_message(cl.Message(content="Tide Gauge belongs in the portfolio too: Python and TimescaleDB, "
                                             "repo github.com/x/y"))

    assert llm.requests[0]["response_format"]["json_schema"]["name"] == "owner_request"
    preview = next(m["output"] for m in ui.messages() if "**Create project**" in m["output"])
    for row in ("| title | Tide Gauge |", "| tech_stack | Python, TimescaleDB |",
                "| repo_url | https://github.com/x/y |", "| published | yes |", "| summary | — |"):
        assert row in preview
    assert set(_change_buttons(ui)) == {owner_chat.CONFIRM, owner_chat.CANCEL}
    with pytest.raises(NotFound):
        await _get(services, "project", "tide-gauge", actor)

    done = await _press(ui, owner_chat.CONFIRM)
    assert done == prompts.CHANGE_APPLIED.format(verb="created", kind="project", title="Tide Gauge",
                                                 url="/api/v1/projects/tide-gauge")
    item = await _get(services, "project", "tide-gauge")
    assert (item.tech_stack, item.repo_url) == (["Python", "TimescaleDB"], "https://github.com/x/y")
    assert not _change_buttons(ui)  # both buttons retired

    # Replaying the confirmation (a stale button, a forged request) changes nothing.
    replay = [a for a in ui.actions() if a["name"] == owner_chat.CONFIRM][-1]
    await chat.answer_change(cl.Action(**replay))
    assert ui.messages()[-1]["output"] == prompts.CHANGE_REFUSED.format(
        reason="this change was already confirmed and applied")
    assert await services.projects.count() == count + 1

    async with client_for(app, token=app.state.auth.issue(actor)) as rest:
        got = await rest.get("/api/v1/projects/tide-gauge")
    assert got.status_code == 200 and got.json()["repo_url"] == "https://github.com/x/y"


async def test_update_shows_a_field_by_field_diff_and_cancel_leaves_the_database_unchanged(app, owner, llm):
    actor, user = owner
    services = app.state.services
    before = await _get(services, "project", "glint", actor)
    ui = chainlit_session(user)
    # The model also offers a title the owner never said: it is dropped, not proposed.
    llm.script(request(operation="set", kind="project", target="project:glint",
                       fields={"summary": "A static site linter.", "title": "Glint Pro"}))
    await chat.on_message(cl.Message(content="change Glint's summary to 'A static site linter.'"))
    preview = next(m["output"] for m in ui.messages() if "**Update project**" in m["output"])
    assert f"| summary | {before.summary} | A static site linter. |" in preview
    assert "| title |" not in preview and "| tags |" not in preview  # only what was said changes

    assert await _press(ui, owner_chat.CANCEL) == prompts.CHANGE_CANCELLED
    after = await _get(services, "project", "glint", actor)
    assert (after.summary, after.featured, after.updated_at) == (before.summary, before.featured, before.updated_at)
    assert await services.changes.pending(actor) == []


async def test_fixing_a_typo_in_a_post_is_a_text_edit_with_a_diff(app, owner, llm):
    actor, user = owner
    services = app.state.services
    slug = "postgres-index-tuning-explain-analyze"
    before = (await _get(services, "post", slug)).body
    word = next(w for w in before.split() if len(w) > 8 and w.isalpha())
    typo_fixed = word[:-1]  # pretend the last letter was a typo
    ui = chainlit_session(user)
    llm.script(request(operation="replace_text", kind="post", target=f"post:{slug}", find=word,
                       replace=typo_fixed))
    await chat.on_message(cl.Message(content=f"fix the typo {word} in my Postgres post"))
    preview = next(m["output"] for m in ui.messages() if "**Update post**" in m["output"])
    assert "| body | (changes below) | (changes below) |" in preview
    assert f"~~{word}~~ **{typo_fixed}**" in preview  # the changed words, highlighted in their context
    assert (await _get(services, "post", slug)).body == before
    await _press(ui, owner_chat.CONFIRM)
    assert (await _get(services, "post", slug)).body == before.replace(word, typo_fixed)


async def test_delete_shows_what_is_lost_and_publish_makes_a_post_public_and_searchable(app, owner, llm):
    actor, user = owner
    services = app.state.services
    ui = chainlit_session(user)
    llm.script(request(operation="delete", kind="project", target="project:lookalike"))
    await chat.on_message(cl.Message(content="delete the Lookalike project"))
    preview = ui.messages()[-1]["output"]
    assert "**Delete project** “Lookalike”" in preview and "cannot be undone" in preview
    assert (await _get(services, "project", "lookalike")).slug == "lookalike"
    await _press(ui, owner_chat.CONFIRM)
    with pytest.raises(NotFound):
        await _get(services, "project", "lookalike", actor)

    slug = "duckdb-local-analytics-notes"
    with pytest.raises(NotFound):
        await _get(services, "post", slug)
    llm.script(request(operation="publish", kind="post", target="post:duckdb-local-analytics-notes"))
    await chat.on_message(cl.Message(content="publish my DuckDB notes"))
    assert "| status | draft | published |" in ui.messages()[-1]["output"]
    assert [h.slug for h in await services.search.search(Actor(), "DuckDB local analytics")].count(slug) == 0
    await _press(ui, owner_chat.CONFIRM)
    assert (await _get(services, "post", slug)).status == "published"
    assert slug in [h.slug for h in await services.search.search(Actor(), "DuckDB local analytics")]


async def test_an_unclear_target_is_not_guessed_the_closest_items_are_offered(app, owner, llm):
    actor, user = owner
    ui = chainlit_session(user)
    # The model names no item ("the AWS one"): folio offers the closest certifications as buttons.
    llm.script(request(operation="set", kind="certification", target="none", fields={"expires_on": "14 May 2028"}))
    await chat.on_message(cl.Message(content="the AWS one now expires on 14 May 2028"))
    assert ui.messages()[-1]["output"] == prompts.ASK_WHICH.format(kind="certification")
    buttons = [a for a in ui.actions() if a["name"] == owner_chat.CHOOSE and a["payload"].get("slug")]
    assert "aws-solutions-architect-associate" in [b["payload"]["slug"] for b in buttons]
    assert await app.state.services.changes.pending(actor) == []
    pick = next(b for b in buttons if b["payload"]["slug"] == "aws-solutions-architect-associate")
    await chat.choose_item(cl.Action(**pick))
    assert any("| expires_on | 2027-05-14 | 2028-05-14 |" in m["output"] for m in ui.messages())
    [change] = await app.state.services.changes.pending(actor)
    assert change.slug == "aws-solutions-architect-associate"


async def test_a_target_the_message_does_not_point_at_is_not_used(app, owner, llm):
    actor, user = owner
    ui = chainlit_session(user)
    # The model says Glint; nothing in the message names or describes it: no proposal for Glint.
    llm.script(request(operation="delete", kind="project", target="project:glint"))
    await chat.on_message(cl.Message(content="remove the sensor one entirely"))
    assert all(c.slug != "glint" for c in await app.state.services.changes.pending(actor))
    assert ui.messages()[-1]["output"] == prompts.ASK_WHICH.format(kind="project")


async def test_visitors_have_no_write_tools_and_cannot_press_confirm(app, owner, llm):
    actor, user = owner
    services = app.state.services
    owner_ui = chainlit_session(user)
    llm.script(request(operation="delete", kind="project", target="project:glint"))
    await chat.on_message(cl.Message(content="delete Glint"))
    button = _change_buttons(owner_ui)[owner_chat.CONFIRM]

    llm.reset()
    visitor_ui = chainlit_session(visitor_user("v" * 32))
    llm.script(query(intent="describe", items=["project:glint"]))
    await chat.on_message(cl.Message(content="delete the Glint project"))
    # A visitor's message is only ever read as a question: no tools, no owner request, no write.
    assert "tools" not in llm.requests[0] and llm.requests[0]["response_format"]["json_schema"]["name"] == \
        "visitor_query"
    assert visitor_ui.messages()[-1]["output"].startswith("Glint (project)")
    await chat.answer_change(cl.Action(**button))  # a forged click from the visitor's session
    assert (await _get(services, "project", "glint")).slug == "glint"
    assert [c.slug for c in await services.changes.pending(actor)] == ["glint"]


async def test_drafting_in_chat_then_saving_and_publishing_it(app, owner, llm):
    actor, user = owner
    services = app.state.services
    ui = chainlit_session(user)

    llm.script(request(operation="draft_new", kind="post"), reply(DRAFT_V1, chunk_size=3))
    await chat.on_message(cl.Message(content="draft a post about HNSW indexes in pgvector"))
    assert llm.requests[0]["response_format"]["type"] == "json_schema"
    assert "pgvector HNSW Indexes" in llm.requests[1]["messages"][-1]["content"]  # the portfolio as context
    assert len(ui.tokens()) > 5  # the draft streamed in
    shown = ui.messages()[-1]
    assert shown["output"].startswith(prompts.DRAFT_BANNER.format(title="HNSW in pgvector", version=1,
                                                                  state=prompts.DRAFT_UNSAVED))
    assert "## Tuning" in shown["output"]
    assert {a["name"] for a in ui.actions()} >= {owner_chat.SAVE_DRAFT, owner_chat.PUBLISH_DRAFT}

    llm.script(request(operation="draft_revise", kind="post"), reply(DRAFT_V2))
    await chat.on_message(cl.Message(content="make it shorter and add a code example"))
    assert "Revise it: make it shorter and add a code example" in llm.requests[3]["messages"][-1]["content"]
    assert prompts.DRAFT_MUST_CODE in llm.requests[3]["messages"][-1]["content"]
    assert "## Tuning" in llm.requests[3]["messages"][-1]["content"]  # the current draft went along
    assert ui.messages()[-1]["output"].startswith(prompts.DRAFT_BANNER.format(
        title="HNSW in pgvector, briefly", version=2, state=prompts.DRAFT_UNSAVED))

    llm.script(request(operation="draft_save", kind="post"))
    await chat.on_message(cl.Message(content="save it as a draft"))
    preview = ui.messages()[-1]["output"]
    assert "**Create post** “HNSW in pgvector, briefly”" in preview and "| status | draft |" in preview
    assert await services.posts.list(actor, limit=100, equals={"status": "draft"}) is not None
    slug = "hnsw-in-pgvector-briefly"
    with pytest.raises(NotFound):
        await _get(services, "post", slug, actor)
    await _press(ui, owner_chat.CONFIRM)
    assert ui.messages()[-1]["output"] == prompts.DRAFT_BANNER.format(
        title="HNSW in pgvector, briefly", version=2, state=prompts.DRAFT_SAVED.format(slug=slug))

    async with client_for(app, token=app.state.auth.issue(actor)) as rest:
        saved = await rest.get(f"/api/v1/posts/{slug}")
    assert saved.status_code == 200 and saved.json()["status"] == "draft"
    assert "CREATE INDEX ON items USING hnsw" in saved.json()["body"]
    async with client_for(app) as anonymous:
        assert (await anonymous.get(f"/api/v1/posts/{slug}")).status_code == 404

    llm.script(request(operation="draft_publish", kind="post"))
    await chat.on_message(cl.Message(content="publish it"))
    assert "| status | draft | published |" in ui.messages()[-1]["output"]
    assert slug not in [h.slug for h in await services.search.search(Actor(), "quokkagraph")]
    await _press(ui, owner_chat.CONFIRM)
    assert ui.messages()[-1]["output"] == prompts.DRAFT_BANNER.format(
        title="HNSW in pgvector, briefly", version=2, state=prompts.DRAFT_PUBLISHED.format(slug=slug))
    async with client_for(app) as anonymous:
        public = await anonymous.get(f"/api/v1/posts/{slug}")
        found = await anonymous.get("/api/v1/search", params={"q": "quokkagraph"})
    assert public.status_code == 200 and public.json()["status"] == "published"
    assert slug in [h.slug for h in await services.search.search(Actor(), "quokkagraph")]
    assert slug in found.text


async def test_draft_steps_need_a_draft_and_discard_keeps_the_saved_post(app, owner, llm):
    actor, user = owner
    ui = chainlit_session(user)
    await chat.propose_draft(cl.Action(name=owner_chat.SAVE_DRAFT, payload={}))
    assert ui.messages()[-1]["output"] == prompts.DRAFT_NONE
    llm.script(request(operation="draft_new", kind="post"), reply("# Kafka notes\n\nPartitions."))
    await chat.on_message(cl.Message(content="write a post about Kafka"))
    llm.script(request(operation="draft_discard", kind="post"))
    await chat.on_message(cl.Message(content="forget that draft"))
    assert ui.messages()[-1]["output"] == prompts.DRAFT_DISCARDED.format(
        title="Kafka notes", saved=prompts.DRAFT_DISCARDED_UNSAVED)
    assert owner_chat.current_draft() is None
    assert await app.state.services.changes.pending(actor) == []
