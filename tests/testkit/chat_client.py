"""A Chainlit chat client over socket.io, as the browser talks to a live server: sign in (as a guest
through /chat/auth/header, or as the owner through /chat/login), connect, send messages, read events.

    async with ChatClient.visitor(server.url) as chat:
        await chat.started()                    # the welcome message
        events = await chat.ask("Which projects use Rust?")
        chat.answer(events)                     # the final assistant message text
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import socketio

SOCKET_PATH = "/chat/ws/socket.io"
AUTH_COOKIE = "access_token"


async def guest_cookies(base_url: str, visitor_cookie: str | None = None,
                        headers: dict[str, str] | None = None) -> dict[str, str]:
    """What a visitor's browser holds after opening /chat/: the visitor id and a guest sign-in."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30, headers=headers) as http:
        if visitor_cookie:
            http.cookies.set("folio_visitor", visitor_cookie)
        (await http.get("/chat/")).raise_for_status()
        (await http.post("/chat/auth/header")).raise_for_status()
        return dict(http.cookies)


async def owner_cookies(base_url: str, email: str, password: str) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        (await http.post("/chat/login", data={"username": email, "password": password})).raise_for_status()
        return dict(http.cookies)


class ChatClient:
    def __init__(self, base_url: str, cookies: dict[str, str], thread_id: str | None = None,
                 headers: dict[str, str] | None = None):
        self.base_url = base_url
        self.cookies = cookies
        self.headers = headers or {}  # sent with the socket's handshake too (X-Forwarded-For from a proxy)
        self.thread_id = thread_id
        self.session_id = str(uuid.uuid4())  # Chainlit's session; HTTP calls (actions, feedback) name it
        self.sio = socketio.AsyncClient(reconnection=False)
        self.events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

        @self.sio.on("*")
        async def record(event, data=None):
            await self.events.put((event, data))

    @classmethod
    async def visitor(cls, base_url: str, visitor_cookie: str | None = None,
                      headers: dict[str, str] | None = None) -> ChatClient:
        return cls(base_url, await guest_cookies(base_url, visitor_cookie, headers), headers=headers)

    @classmethod
    async def owner(cls, base_url: str, email: str, password: str) -> ChatClient:
        return cls(base_url, await owner_cookies(base_url, email, password))

    async def connect(self) -> ChatClient:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        await self.sio.connect(self.base_url, socketio_path=SOCKET_PATH, transports=["websocket"],
                               headers={**self.headers, "Cookie": cookie},
                               auth={"sessionId": self.session_id, "clientType": "webapp",
                                     "threadId": self.thread_id, "userEnv": "{}"},
                               wait_timeout=20)  # the browser's socket.io client waits 20 s (python's: 1 s)
        await self.sio.emit("connection_successful")
        return self

    async def __aenter__(self) -> ChatClient:
        return await self.connect()

    async def __aexit__(self, *exc) -> None:
        await self.sio.disconnect()

    async def until(self, event_name: str, timeout: float = 60) -> list[tuple[str, Any]]:
        """Events received up to and including the next `event_name`."""
        seen = []
        async with asyncio.timeout(timeout):
            while True:
                event = await self.events.get()
                seen.append(event)
                if event[0] == event_name:
                    return seen

    async def started(self, timeout: float = 60) -> str:
        """The welcome message's text, once on_chat_start has finished (its task_end can otherwise
        arrive after the next message's task_start)."""
        welcome = None
        async with asyncio.timeout(timeout):
            while True:
                event, data = await self.events.get()
                if event == "new_message" and data.get("type") == "assistant_message":
                    welcome = data["output"]
                elif event == "task_end" and welcome is not None:
                    return welcome

    async def ask(self, text: str, timeout: float = 120) -> list[tuple[str, Any]]:
        await self.drain()
        message = {"id": str(uuid.uuid4()), "name": "User", "type": "user_message", "output": text,
                   "createdAt": datetime.now(UTC).isoformat()}
        await self.sio.emit("client_message", {"message": message, "fileReferences": []})
        events = await self.until("task_start", timeout)
        return events + await self.until("task_end", timeout)

    async def drain(self) -> None:
        while not self.events.empty():
            self.events.get_nowait()

    @staticmethod
    def steps(events: list[tuple[str, Any]], type: str) -> list[dict]:
        """The last state of each step of this type, in order of appearance."""
        final: dict[str, dict] = {}
        for event, data in events:
            if event in ("new_message", "update_message", "stream_start") and data.get("type") == type:
                final[data["id"]] = {**final.get(data["id"], {}), **data}
        return list(final.values())

    @classmethod
    def answer(cls, events: list[tuple[str, Any]]) -> str:
        messages = cls.steps(events, "assistant_message")
        return messages[-1]["output"] if messages else ""

    @staticmethod
    def tokens(events: list[tuple[str, Any]]) -> list[str]:
        return [data["token"] for event, data in events if event == "stream_token"]
