"""Chat history: Chainlit's SQLAlchemy data layer on folio's database, for the owner's conversations.

Its tables live in the schema "chainlit" (migration 0005) so that its `users` table stays apart from
folio's; the layer's own engine connects with search_path=chainlit. Only the owner's threads and steps
are stored (visitors are anonymous guests: their chats are not kept and no guest rows pile up). Thumbs
feedback is accepted only on a kept thread's message from the thread's author (chat/guard.py asks
`feedback_refusal` before Chainlit's endpoint runs). Chainlit swallows this layer's SQL errors into
"An error occurred: ..." warnings; the tests fail on that line.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import chainlit.data as chainlit_data
from chainlit.context import ChainlitContextException, context
from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from chainlit.user import PersistedUser, User

SCHEMA = "chainlit"
CLOSE_WAIT = 10.0  # seconds
GUEST_NAMESPACE = uuid.UUID("6f1d3c2e-4a51-4c35-9d7e-2b9a57c0f001")


NO_STORAGE_WARNING = "storage client is not initialized"


@contextmanager
def _without_warning(text: str):
    """Drop Chainlit's log records containing `text` while the block runs."""
    def keep(record: logging.LogRecord) -> bool:
        return text not in record.getMessage()

    chainlit_logger = logging.getLogger("chainlit")
    chainlit_logger.addFilter(keep)
    try:
        yield
    finally:
        chainlit_logger.removeFilter(keep)


def is_owner_user(user: User | None) -> bool:
    return bool(user is not None and (user.metadata or {}).get("role") == "owner")


class HistoryDataLayer(SQLAlchemyDataLayer):
    def __init__(self, sqlalchemy_url: str, is_owner: Callable[[User | None], bool] = is_owner_user):
        # No storage client, deliberately: folio keeps no elements (uploads are off, create_element below
        # skips them), so Chainlit's start-up warning that elements will not be persisted is dropped.
        with _without_warning(NO_STORAGE_WARNING):
            super().__init__(conninfo=sqlalchemy_url, connect_args={"options": f"-c search_path={SCHEMA}"})
        self._is_owner = is_owner

    def _keeps_history(self) -> bool:
        """True in an owner's session; HTTP routes outside a chat session act on threads that already
        exist (and so belong to the owner)."""
        try:
            user = context.session.user
        except ChainlitContextException:
            return True
        return self._is_owner(user)

    # ---- users: guests are never written ------------------------------------------------------
    async def create_user(self, user: User) -> PersistedUser | None:
        if self._is_owner(user):
            return await super().create_user(user)
        return PersistedUser(id=str(uuid.uuid5(GUEST_NAMESPACE, user.identifier)),
                             createdAt=datetime.now(UTC).isoformat(), identifier=user.identifier,
                             display_name=user.display_name, metadata=user.metadata)

    # ---- threads, steps, elements: the owner's only --------------------------------------------
    async def update_thread(self, thread_id: str, *args: Any, **kwargs: Any):
        if self._keeps_history():
            return await super().update_thread(thread_id, *args, **kwargs)
        return None

    async def create_step(self, step_dict):
        if self._keeps_history():
            return await super().create_step(step_dict)
        return None

    async def update_step(self, step_dict):
        if self._keeps_history():
            return await super().update_step(step_dict)
        return None

    async def delete_step(self, step_id: str):
        if self._keeps_history():
            return await super().delete_step(step_id)
        return None

    async def create_element(self, element):
        if self._keeps_history() and self.storage_provider is not None:
            return await super().create_element(element)
        return None

    async def close(self) -> None:
        """Let the writes Chainlit fired off (it does not await them) finish, then close the pool."""
        pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and _runs_on(t, self)]
        if pending:
            await asyncio.wait(pending, timeout=CLOSE_WAIT)
        await super().close()

    async def get_thread_author(self, thread_id: str) -> str:
        """"" for a thread that is not kept (a visitor's): Chainlit then answers 404, not a 500."""
        try:
            return await super().get_thread_author(thread_id)
        except ValueError:
            return ""

    # ---- who may give feedback ---------------------------------------------------------------
    async def feedback_refusal(self, identifier: str, thread_id: str, for_id: str) -> str | None:
        """None when `identifier` may rate message `for_id` of thread `thread_id`; else why not."""
        if not (_is_uuid(thread_id) and _is_uuid(for_id)) or await self.get_thread_author(thread_id) != identifier:
            return "no such conversation of yours (feedback is kept for saved conversations only)"
        rows = await self.execute_sql('SELECT 1 FROM steps WHERE id = :id AND "threadId" = :thread',
                                      {"id": for_id, "thread": thread_id})
        return None if isinstance(rows, list) and rows else "no such message in this conversation"

    async def feedback_delete_refusal(self, identifier: str, feedback_id: str) -> str | None:
        rows = await self.execute_sql(
            'SELECT t."userIdentifier" AS author FROM feedbacks f JOIN threads t ON t.id = f."threadId" '
            'WHERE f.id = :id', {"id": feedback_id}) if _is_uuid(feedback_id) else None
        if isinstance(rows, list) and rows and rows[0]["author"] == identifier:
            return None
        return "no such feedback of yours"

    # ---- owner's view of feedback ------------------------------------------------------------
    async def feedback_for_thread(self, thread_id: str) -> list[dict[str, Any]]:
        rows = await self.execute_sql('SELECT * FROM feedbacks WHERE "threadId" = :id', {"id": thread_id})
        return rows if isinstance(rows, list) else []


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _runs_on(task: asyncio.Task, layer: HistoryDataLayer) -> bool:
    frame = getattr(task.get_coro(), "cr_frame", None)
    return frame is not None and frame.f_locals.get("self") is layer


def forget_cached_layer() -> None:
    chainlit_data._data_layer = None
    chainlit_data._data_layer_initialized = False
