"""Run folio's Chainlit handlers in process: a real Chainlit context whose emitter records what the
browser would receive (messages, streamed tokens, steps), with the chat runtime opened on a test
database and a ScriptedLLM.

    async with chat_runtime(services, db_url, llm.base_url) as rt:
        ui = chainlit_session(visitor_user("v1"))
        await chat.start()
        await chat.on_message(cl.Message(content="Which projects use Rust?"))
        ui.messages()[-1]["output"], ui.steps("tool")
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from chainlit.context import ChainlitContext, context_var
from chainlit.emitter import BaseChainlitEmitter
from chainlit.session import HTTPSession

from chat.runtime import ChatRuntime, open_chat_runtime
from folio.llm import ChatEndpoint
from folio.services import Services
from folio.settings import load_settings


class RecordingEmitter(BaseChainlitEmitter):
    def __init__(self, session: HTTPSession) -> None:
        super().__init__(session)
        self.events: list[tuple[str, Any]] = []

    async def emit(self, event: str, data: Any):
        self.events.append((event, data))

    async def send_step(self, step_dict):
        self.events.append(("send_step", dict(step_dict)))

    async def update_step(self, step_dict):
        self.events.append(("update_step", dict(step_dict)))

    async def stream_start(self, step_dict):
        self.events.append(("stream_start", dict(step_dict)))

    async def send_token(self, id: str, token: str, is_sequence=False, is_input=False):
        self.events.append(("send_token", {"id": id, "token": token}))

    async def delete_step(self, step_dict):
        self.events.append(("delete_step", dict(step_dict)))

    async def send_element(self, element_dict):
        self.events.append(("element", dict(element_dict)))

    # ---- what the browser ends up showing ----
    def _final(self) -> dict[str, dict]:
        """The last state of every step, by id, in the order they first appeared."""
        steps: dict[str, dict] = {}
        for event, data in self.events:
            if event in ("send_step", "update_step", "stream_start"):
                steps[data["id"]] = {**steps.get(data["id"], {}), **data}
            elif event == "delete_step":  # removed from the page
                steps.pop(data["id"], None)
        return steps

    def messages(self, type: str = "assistant_message") -> list[dict]:
        return [s for s in self._final().values() if s.get("type") == type]

    def steps(self, type: str = "tool") -> list[dict]:
        return [s for s in self._final().values() if s.get("type") == type]

    def tokens(self) -> list[str]:
        return [data["token"] for event, data in self.events if event == "send_token"]

    async def elements(self, count: int = 1, timeout: float = 10.0) -> list[dict]:
        """The elements sent so far, waiting up to `timeout` seconds for `count` of them (a message sends
        its elements from a task of its own)."""
        for _ in range(int(timeout / 0.05)):
            found = [data for event, data in self.events if event == "element"]
            if len(found) >= count:
                return found
            await asyncio.sleep(0.05)
        return [data for event, data in self.events if event == "element"]

    def actions(self) -> list[dict]:
        return [data for event, data in self.events if event == "action"]

    def clear(self) -> None:
        self.events.clear()


def engineio_environ(ip: str, forwarded_for: str | None = None) -> dict:
    """The environ python-engineio's ASGI driver gives a socket: REMOTE_ADDR is always 127.0.0.1, the
    peer is only in the ASGI scope it keeps."""
    headers = [(b"x-forwarded-for", forwarded_for.encode())] if forwarded_for else []
    return {"REMOTE_ADDR": "127.0.0.1", "asgi.scope": {"type": "websocket", "client": (ip, 50000), "headers": headers}}


def chainlit_session(user, ip: str = "127.0.0.1", thread_id: str | None = None,
                     forwarded_for: str | None = None) -> RecordingEmitter:
    """Make the current task a Chainlit session of `user` (a cl.User), as if connected from `ip`."""
    session = HTTPSession(id=str(uuid.uuid4()), client_type="webapp", thread_id=thread_id or str(uuid.uuid4()),
                          user=user, environ=engineio_environ(ip, forwarded_for))
    emitter = RecordingEmitter(session)
    context_var.set(ChainlitContext(session, emitter))
    return emitter


@asynccontextmanager
async def chat_runtime(services: Services, db_url: str, llm_url: str, **settings) -> AsyncIterator[ChatRuntime]:
    async with open_chat_runtime(load_settings(**settings), services, db_url,
                                 ChatEndpoint(llm_url, "scripted")) as runtime:
        yield runtime
