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
from testkit.scripted_llm import draft_step, failure, query, reply, request

from chat import handlers as chat, owner_chat
from chat.identity import visitor_user
from folio import prompts
from folio.actor import Actor
from folio.errors import NotFound


TIDE_GAUGE = {"title": "Tide Gauge", "tech": "Python, TimescaleDB", "repo_url": "github.com/x/y"}


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


def _brief(**given) -> object:
    """The brief read under the grammar: about the owner's own experience, with what it already gives (the
    brief's own words; a quote the brief doesn't hold gives nothing)."""
    return reply(json.dumps({"own_experience": True, "reasons": "", "numbers": "", "problems": "", "audience": "",
                             "skip": "", **given}))


def _outline(title: str, sections: list[str]) -> object:
    return reply(json.dumps({"title": title, "excerpt": "Why one database was enough for my side projects.",
                             "tags": ["postgres", "mongodb"], "sections": sections}), chunk_size=2)


def _section(*paragraphs: str, cut: bool = False) -> object:
    text = json.dumps({"paragraphs": list(paragraphs)})
    return reply(text[:-12] if cut else text, chunk_size=3)  # cut: the token budget ran out mid-sentence


def _edits(*edits) -> object:
    return reply(json.dumps({"edits": [dict(zip(("action", "section", "value"), e)) for e in edits]}))


def _names(llm, since: int = 0) -> list[str]:
    return [r.get("response_format", {}).get("json_schema", {}).get("name") for r in llm.requests[since:]]


ANSWERS = ("Joins: my projects kept reimplementing them in code. One database to back up instead of two. "
           "The move took two weekends, and the date handling broke once. It is for people with small side projects.")


async def test_drafting_asks_first_then_writes_revises_undoes_saves_and_publishes(app, owner, llm):
    actor, user = owner
    services = app.state.services
    ui = chainlit_session(user)

    # 1. A post about the owner's own decision: first the questions only they can answer.
    llm.script(request(operation="draft_new", kind="post"),
               _brief(audience="for people with small side projects", reasons="because PostgreSQL is better",
                      numbers="a 50% speedup"))  # two quotes the brief doesn't hold: still asked
    await chat.on_message(cl.Message(content="draft a post about why I moved my side projects from MongoDB "
                                             "to PostgreSQL, for people with small side projects"))
    asked = ui.messages()[-1]
    for question in ("reasons", "numbers", "problems"):
        assert prompts.DRAFT_QUESTIONS[question] in asked["output"]
    assert prompts.DRAFT_QUESTIONS["audience"] not in asked["output"]  # the brief already said it
    assert prompts.DRAFT_SKIP in [a["label"] for a in ui.actions()]
    assert owner_chat.current_draft() is None and _names(llm) == ["owner_request", "post_brief"]

    # 2. The answers (not read as a request): outline first, then each section, streamed.
    llm.script(_outline("Draft a blog post about moving my side projects to PostgreSQL",
                        ["Why I left MongoDB", "What went wrong", "Who it is for"]),
               _section("Tags: postgres\nMy projects kept reimplementing joins in code, so I moved them to "
                        "PostgreSQL. One database is one thing to back up.",
                        "My projects kept reimplementing joins in code, so I moved them to PostgreSQL. One "
                        "database is one thing to back up."),
               _section("The move took two weekends. The date handling broke once. PostgreSQL also supports "
                        "Java and Node.js drivers."),
               _section("It is for people with small side projects. In conclusion, I have decided to move my "
                        "side projects from", cut=True))
    n = len(llm.requests)
    await chat.on_message(cl.Message(content=ANSWERS))
    assert _names(llm, n) == ["post_outline", "post_section", "post_section", "post_section"]
    assert "Joins: my projects kept reimplementing them" in llm.requests[n]["messages"][-1]["content"]
    assert "Write section 2 of 3: What went wrong" in llm.requests[n + 2]["messages"][-1]["content"]
    start = max(i for i, (e, _) in enumerate(ui.events) if e == "stream_start")  # holds the first token
    streamed = ui.events[start][1]["output"] + "".join(d["token"] for e, d in ui.events[start:] if e == "send_token")
    assert streamed.startswith("# Draft a blog post")  # the title came first, as the model wrote it, then
    assert streamed.index("Outline: Why I left MongoDB · ") < streamed.index("## Why I left MongoDB")
    draft = owner_chat.current_draft()
    assert draft.title == "Moving my side projects to PostgreSQL"  # the instruction is not a title
    assert draft.body == ("## Why I left MongoDB\n\nMy projects kept reimplementing joins in code, so I moved "
                          "them to PostgreSQL. One database is one thing to back up.\n\n## What went wrong\n\n"
                          "The move took two weekends. The date handling broke once. PostgreSQL also supports "
                          "Java and Node.js drivers.\n\n## Who it is for\n\nIt is for people with small side "
                          "projects.")  # no metadata, no repeat, no half sentence
    shown = ui.messages()[-1]["output"]
    assert shown.startswith(prompts.DRAFT_BANNER.format(title=draft.title, version=1, state=prompts.DRAFT_UNSAVED))
    assert "> PostgreSQL also supports Java and Node.js drivers." in shown  # a claim the owner never made

    # 3. A revision is a checked edit: only the title changes; the diff shows it.
    llm.script(request(operation="draft_revise", kind="post"),
               _edits(("title", "whole post", "One database is enough")))
    await chat.on_message(cl.Message(content='change the title to "One database is enough"'))
    assert owner_chat.current_draft().title == "One database is enough"
    assert owner_chat.current_draft().body == draft.body and owner_chat.current_draft().version == 2
    revised = ui.messages()[-1]["output"]
    assert prompts.DRAFT_DONE_TITLE.format(title="One database is enough") in revised
    assert prompts.DRAFT_DIFF.format(version=1, diff="") in revised and "~~Moving" in revised
    assert "**One database is enough**" in revised
    assert owner_chat.UNDO_DRAFT in [a["name"] for a in ui.actions()]

    # 4. Undo: back to version 1, without asking the model anything.
    n = len(llm.requests)
    await chat.on_message(cl.Message(content="undo"))
    assert len(llm.requests) == n
    assert owner_chat.current_draft() == draft
    assert ui.messages()[-1]["output"].startswith(prompts.DRAFT_BANNER.format(
        title=draft.title, version=1, state=prompts.DRAFT_UNSAVED))
    assert prompts.DRAFT_UNDONE.format(version=1) in ui.messages()[-1]["output"]
    await chat.undo_draft(cl.Action(name=owner_chat.UNDO_DRAFT, payload={}))
    assert ui.messages()[-1]["output"] == prompts.DRAFT_NOTHING_TO_UNDO

    # 5. Saved as a draft post, then published: the body holds no metadata lines.
    llm.script(request(operation="draft_save", kind="post"))
    await chat.on_message(cl.Message(content="save it as a draft"))
    preview = ui.messages()[-1]["output"]
    assert f"**Create post** “{draft.title}”" in preview and "| status | draft |" in preview
    slug = "moving-my-side-projects-to-postgresql"
    with pytest.raises(NotFound):
        await _get(services, "post", slug, actor)
    await _press(ui, owner_chat.CONFIRM)
    assert ui.messages()[-1]["output"] == prompts.DRAFT_BANNER.format(
        title=draft.title, version=1, state=prompts.DRAFT_SAVED.format(slug=slug))
    async with client_for(app, token=app.state.auth.issue(actor)) as rest:
        saved = (await rest.get(f"/api/v1/posts/{slug}")).json()
    assert saved["status"] == "draft" and saved["tags"] == ["postgres", "mongodb"]
    assert saved["body"] == draft.body and "Tags:" not in saved["body"] and "Excerpt:" not in saved["body"]
    async with client_for(app) as anonymous:
        assert (await anonymous.get(f"/api/v1/posts/{slug}")).status_code == 404

    llm.script(request(operation="draft_publish", kind="post"))
    await chat.on_message(cl.Message(content="publish it"))
    assert "| status | draft | published |" in ui.messages()[-1]["output"]
    await _press(ui, owner_chat.CONFIRM)
    async with client_for(app) as anonymous:
        public = await anonymous.get(f"/api/v1/posts/{slug}")
    assert public.status_code == 200 and public.json()["status"] == "published"
    assert slug in [h.slug for h in await services.search.search(Actor(), "reimplementing joins")]


async def test_just_draft_it_skips_the_questions_and_a_failed_model_keeps_the_answers(app, owner, llm):
    actor, user = owner
    ui = chainlit_session(user)
    llm.script(request(operation="draft_new", kind="post"), _brief())
    await chat.on_message(cl.Message(content="write a post about why I moved to Postgres"))
    llm.script(failure(500), failure(500))  # the model is down (the client retries once)
    await chat.on_message(cl.Message(content="Joins, mostly."))
    assert ui.messages()[-1]["output"] == prompts.LLM_UNAVAILABLE
    assert owner_chat.current_draft() is None
    llm.script(_outline("Why I moved to Postgres", ["Joins", "Wrapping up"]),
               _section("Joins were the reason I moved to Postgres."), _section("I would do it again."))
    n = len(llm.requests)
    await chat.on_message(cl.Message(content="just draft it"))
    outline_input = llm.requests[n]["messages"][-1]["content"]
    assert "Joins, mostly." in outline_input and "just draft it" not in outline_input  # kept, and a skip
    assert owner_chat.current_draft().title == "Why I moved to Postgres"

    # A general topic, or "no questions": drafted at once. The button skips a waiting interview.
    llm.script(request(operation="draft_new", kind="post"), draft_step("new_post"), _brief(own_experience=False),
               _outline("HNSW in pgvector", ["How it works", "Tuning"]),
               _section("HNSW builds a layered graph over the vectors."), _section("Raise ef_search for recall."))
    await chat.on_message(cl.Message(content="draft a post explaining HNSW indexes in pgvector"))
    assert owner_chat.current_draft().title == "HNSW in pgvector"
    llm.script(request(operation="draft_new", kind="post"), draft_step("new_post"), _brief())
    await chat.on_message(cl.Message(content="draft a post about my move to Rust"))
    skip = next(a for a in reversed(ui.actions()) if a["name"] == owner_chat.SKIP_INTERVIEW)
    llm.script(_outline("Moving to Rust", ["Why", "How"]), _section("Speed was the reason."),
               _section("One service at a time."))
    await chat.skip_interview(cl.Action(**skip))
    assert owner_chat.current_draft().title == "Moving to Rust"
    assert [e for e, d in ui.events if e == "remove_action" and d["id"] == skip["id"]]


async def test_draft_steps_need_a_draft_and_discard_keeps_the_saved_post(app, owner, llm):
    actor, user = owner
    ui = chainlit_session(user)
    await chat.propose_draft(cl.Action(name=owner_chat.SAVE_DRAFT, payload={}))
    assert ui.messages()[-1]["output"] == prompts.DRAFT_NONE
    llm.script(request(operation="draft_new", kind="post"), _brief(own_experience=False),
               _outline("Kafka notes", ["Partitions", "Consumers"]), _section("Partitions order messages per key."),
               _section("Consumers read them in groups."))
    await chat.on_message(cl.Message(content="write a post about Kafka"))
    llm.script(request(operation="draft_discard", kind="post"))
    await chat.on_message(cl.Message(content="forget that draft"))
    assert ui.messages()[-1]["output"] == prompts.DRAFT_DISCARDED.format(
        title="Kafka notes", saved=prompts.DRAFT_DISCARDED_UNSAVED)
    assert owner_chat.current_draft() is None
    assert await app.state.services.changes.pending(actor) == []


async def test_with_a_draft_open_a_change_to_some_post_is_read_again_as_a_step_on_the_draft(app, owner, llm):
    """The first reading can't point at the draft (it is no item yet): a change to a post the message
    doesn't name is asked about again, as a step on the open draft; "other" keeps the first reading."""
    actor, user = owner
    services = app.state.services
    ui = chainlit_session(user)
    llm.script(request(operation="draft_new", kind="post"), _brief(own_experience=False),
               _outline("Kafka notes", ["Partitions", "Consumers"]), _section("Partitions order messages per key."),
               _section("Consumers read them in groups."))
    await chat.on_message(cl.Message(content="write a post about Kafka"))
    before = (await _get(services, "post", "tokio-cancellation-safety", actor)).title

    # Read first as a new title for an existing post; the second reading says: this draft.
    llm.script(request(operation="set", kind="post", target="post:tokio-cancellation-safety",
                       fields={"title": "Kafka, briefly"}),
               draft_step("revise", "a new title"), _edits(("title", "whole post", "Kafka, briefly")))
    n = len(llm.requests)
    await chat.on_message(cl.Message(content='call it "Kafka, briefly"'))
    assert _names(llm, n) == ["owner_request", "draft_step", "draft_edits"]
    assert owner_chat.current_draft().title == "Kafka, briefly" and owner_chat.current_draft().version == 2
    assert prompts.DRAFT_DONE_TITLE.format(title="Kafka, briefly") in ui.messages()[-1]["output"]
    assert await services.changes.pending(actor) == []
    assert (await _get(services, "post", "tokio-cancellation-safety", actor)).title == before

    # A post the message names by its title is never asked about: the change to it is previewed.
    llm.script(request(operation="add_values", kind="post", target="post:tokio-cancellation-safety",
                       list="tags", values=["load-testing"]))
    n = len(llm.requests)
    await chat.on_message(cl.Message(content="tag my tokio cancellation safety post with load-testing"))
    assert _names(llm, n) == ["owner_request"]
    assert len(await services.changes.pending(actor)) == 1, ui.messages()[-1]["output"]

    # Asked again, "other": the first reading stands (a question here), the draft is untouched.
    llm.script(request(operation="question", kind="post"), draft_step("other", "a question"),
               query(intent="count", kinds=["post"]), reply("You have 8 posts."))
    await chat.on_message(cl.Message(content="how many posts do I have by now?"))
    assert owner_chat.current_draft().version == 2
