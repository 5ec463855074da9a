"""Chainlit's SQLAlchemy data layer on folio's database: owner threads, steps and feedback persist and
read back; visitors leave no history; any swallowed SQL error fails the test."""

import uuid
from datetime import UTC, datetime

import pytest
import pytest_asyncio
from testkit.chainlit_log import SwallowedErrors, no_chainlit_errors, watch_chainlit_errors  # noqa: F401

from chat.data_layer import HistoryDataLayer
from chainlit.context import init_http_context
from chainlit.types import Feedback, Pagination, ThreadFilter
from chainlit.user import User


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _step(thread_id: str, type_: str, output: str, **extra) -> dict:
    return {"id": str(uuid.uuid4()), "threadId": thread_id, "name": "owner" if type_ == "user_message" else "folio",
            "type": type_, "output": output, "streaming": False, "createdAt": _now(), "start": _now(),
            "end": _now(), "metadata": {}, "autoCollapse": False, "defaultOpen": False, **extra}


@pytest_asyncio.fixture
async def layer(db_url):
    dl = HistoryDataLayer(db_url)
    yield dl
    await dl.engine.dispose()


async def test_owner_thread_steps_and_feedback_persist(layer, no_chainlit_errors):
    owner = await layer.create_user(User(identifier="owner@example.com", metadata={"role": "owner"}))
    assert (await layer.get_user("owner@example.com")).id == owner.id
    init_http_context(user=owner)
    thread_id = str(uuid.uuid4())
    await layer.update_thread(thread_id, name="Add Tide Gauge", user_id=owner.id, metadata={"draft": None})
    question = _step(thread_id, "user_message", "add a project called Tide Gauge")
    answer = _step(thread_id, "assistant_message", "Here is the change; confirm?", parentId=None)
    tool = _step(thread_id, "tool", "proposed", name="propose_create", input='{"kind": "project"}',
                 parentId=answer["id"], showInput="json", language="json")
    for step in (question, answer, tool):
        await layer.create_step(step)
    await layer.update_step({**answer, "output": "Done: Tide Gauge was created."})
    feedback_id = await layer.upsert_feedback(Feedback(forId=answer["id"], value=1, threadId=thread_id,
                                                       comment="spot on"))

    thread = await layer.get_thread(thread_id)
    assert thread["name"] == "Add Tide Gauge" and thread["userIdentifier"] == "owner@example.com"
    outputs = {s["id"]: s for s in thread["steps"]}
    assert outputs[answer["id"]]["output"] == "Done: Tide Gauge was created."
    assert outputs[answer["id"]]["feedback"]["value"] == 1
    assert outputs[answer["id"]]["feedback"]["comment"] == "spot on"
    assert outputs[tool["id"]]["name"] == "propose_create"
    assert (await layer.feedback_for_thread(thread_id))[0]["id"] == feedback_id
    assert await layer.feedback_refusal("owner@example.com", thread_id, answer["id"]) is None
    assert await layer.feedback_refusal("visitor-x", thread_id, answer["id"]) is not None  # not the author
    assert await layer.feedback_refusal("owner@example.com", thread_id, str(uuid.uuid4())) is not None
    assert await layer.feedback_delete_refusal("owner@example.com", feedback_id) is None
    assert await layer.feedback_delete_refusal("visitor-x", feedback_id) is not None

    page = await layer.list_threads(Pagination(first=10), ThreadFilter(userId=owner.id))
    assert [t["id"] for t in page.data] == [thread_id]
    assert await layer.get_thread_author(thread_id) == "owner@example.com"


async def test_visitors_leave_no_history_and_feedback_needs_a_kept_thread(layer, no_chainlit_errors):
    guest = await layer.create_user(User(identifier="guest-123", metadata={"role": "visitor"}))
    assert guest.identifier == "guest-123"
    assert await layer.get_user("guest-123") is None  # never written
    init_http_context(user=guest)
    thread_id = str(uuid.uuid4())
    await layer.update_thread(thread_id, user_id=guest.id)
    answer = _step(thread_id, "assistant_message", "Ferrox is a Rust tool.")
    await layer.create_step(answer)
    assert await layer.get_thread(thread_id) is None
    # No kept thread, so no feedback (chat/guard.py asks this before Chainlit's endpoint runs).
    assert await layer.feedback_refusal("guest-123", thread_id, answer["id"]) is not None
    assert await layer.feedback_refusal("guest-123", "not-a-uuid", "x") is not None


async def test_swallowed_sql_errors_are_caught(layer):
    """The watcher itself: a step for a thread that cannot exist logs "An error occurred:"."""
    init_http_context(user=User(identifier="owner@example.com", metadata={"role": "owner"}))
    with watch_chainlit_errors() as handler:
        await layer.create_step({**_step(str(uuid.uuid4()), "tool", "x"), "name": None})
    assert any("An error occurred" in line for line in handler.lines)
