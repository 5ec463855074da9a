"""The owner's re-import in the chat (chat/owner_imports.py) against a fake GitHub API on 127.0.0.1 and
the real ImportService: after the owner edited a title, the preview marks the conflict, Confirm keeps
the owner's title, updates the other fields, and shows the conflict as a diff with Accept / Keep mine;
Keep mine leaves the title. An unchanged source is one 304 and says so."""

from __future__ import annotations

import dataclasses

import chainlit as cl
import pytest
from testkit.chainlit_session import chainlit_session
from testkit.import_fixtures import github, imports  # noqa: F401  (fixtures)

from chat import owner_imports
from folio import schemas
from folio.services.importing import ImportAsk


@pytest.fixture
def chat_services(services, imports):
    return dataclasses.replace(services, imports=imports)


def _buttons(ui, *names: str) -> dict[str, dict]:
    removed = {d["id"] for e, d in ui.events if e == "remove_action"}
    return {a["name"]: a for a in ui.actions() if a["name"] in names and a["id"] not in removed}


async def _import_and_confirm(ui, services, owner) -> None:
    await owner_imports.start(owner, services, ImportAsk("github:octocat"))
    confirm = _buttons(ui, owner_imports.CONFIRM)[owner_imports.CONFIRM]
    await owner_imports.answer(owner, services, cl.Action(**confirm))


async def test_a_reimport_in_the_chat_keeps_the_owners_title_and_shows_the_conflict(chat_services, github, owner):
    ui = chainlit_session(cl.User(identifier="owner@example.com", metadata={"role": "owner"}))
    await _import_and_confirm(ui, chat_services, owner)
    assert (await chat_services.projects.get(owner, "tide-gauge")).published is False

    await chat_services.projects.update(owner, "tide-gauge", schemas.ProjectUpdate(title="Tide Gauge network"))
    repo = github.find("tide-gauge")
    repo.name, repo.description, repo.updated_at = "tide-gauge-v2", "Sea-level sensors, now on five piers.", \
        "2024-07-01T10:00:00Z"
    ui.clear()
    await owner_imports.start(owner, chat_services, ImportAsk("github:octocat"))
    table = ui.messages()[-1]["output"]
    row = next(line for line in table.splitlines() if "tide" in line)
    assert "update" in row and "conflict: title" in row and "updates " in row and "summary" in row

    confirm = _buttons(ui, owner_imports.CONFIRM)[owner_imports.CONFIRM]
    await owner_imports.answer(owner, chat_services, cl.Action(**confirm))
    project = await chat_services.projects.get(owner, "tide-gauge")
    assert project.title == "Tide Gauge network", "the owner's title is kept"
    assert project.summary == "Sea-level sensors, now on five piers.", "the unedited field is updated"
    conflict = next(m["output"] for m in ui.messages() if "the source changed it too" in m["output"])
    assert "**title**" in conflict and "`tide-gauge`" in conflict
    assert "-Tide Gauge network" in conflict and "+tide-gauge-v2" in conflict
    buttons = _buttons(ui, owner_imports.ACCEPT, owner_imports.IGNORE)
    assert {b["label"] for b in buttons.values()} == {"Accept the source's", "Keep mine"}

    await owner_imports.resolve(owner, chat_services, cl.Action(**buttons[owner_imports.IGNORE]))
    assert ui.messages()[-1]["output"] == "Ignored: title of `tide-gauge` keeps your value."
    assert (await chat_services.projects.get(owner, "tide-gauge")).title == "Tide Gauge network"
    assert await chat_services.imports.conflicts(owner) == []
    assert not _buttons(ui, owner_imports.ACCEPT, owner_imports.IGNORE), "the buttons are gone once answered"


async def test_an_unchanged_source_in_the_chat_is_one_304(chat_services, github, owner):
    ui = chainlit_session(cl.User(identifier="owner@example.com", metadata={"role": "owner"}))
    await _import_and_confirm(ui, chat_services, owner)
    github.reset_counts()
    ui.clear()
    await owner_imports.start(owner, chat_services, ImportAsk("github:octocat"))
    assert [(r.path, r.status) for r in github.requests] == [("/users/octocat/repos", 304)]
    assert not _buttons(ui, owner_imports.CONFIRM), "nothing to confirm"
    assert "`github:octocat` has not changed since the last import" in ui.messages()[-1]["output"]
