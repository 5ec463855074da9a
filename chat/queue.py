"""Visitors take turns on the embedded model: as many answer at once as llama-server has slots
(FOLIO_LLM_PARALLEL), the others wait in line, first come first served, and see how many people are ahead
of them. One client address never holds two places at once: its next question waits for its last one,
and the visitors behind it go first meanwhile (one busy tab cannot take every slot)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import chainlit as cl

from folio import prompts


@dataclass(eq=False)
class _Place:
    address: str | None
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    ahead: int = -1  # last count told to the visitor


class ModelQueue:
    def __init__(self, slots: int):
        if slots < 1:
            raise ValueError("slots must be >= 1")
        self.slots = slots
        self._line: list[_Place] = []  # waiting, in arrival order
        self._serving: list[_Place] = []
        self._changed = asyncio.Event()

    @property
    def waiting(self) -> int:
        return len(self._line)

    @property
    def serving(self) -> int:
        return len(self._serving)

    def _busy(self, address: str | None) -> bool:
        return address is not None and any(p.address == address for p in self._serving)

    def _admit(self) -> None:
        """Give free slots to the first waiting places whose address holds none."""
        for place in list(self._line):
            if len(self._serving) >= self.slots:
                break
            if not self._busy(place.address):
                self._line.remove(place)
                self._serving.append(place)
                place.ready.set()
        self._changed.set()
        self._changed = asyncio.Event()

    def ahead_of(self, place: _Place) -> int:
        """People ahead of a waiting place: those waiting in front of it and, when it cannot be served
        now (every slot taken, or its address holds one), those being answered."""
        if place not in self._line:
            return 0
        blocked = self.serving >= self.slots or self._busy(place.address)
        return self._line.index(place) + (self.serving if blocked else 0)

    @asynccontextmanager
    async def turn(self, address: str | None,
                   tell: Callable[[int], Awaitable[None]] | None = None) -> AsyncIterator[None]:
        """Hold a slot for the body; while waiting, `tell(n)` is awaited whenever the number of people
        ahead changes (at once when the visitor must wait at all)."""
        place = _Place(address)
        self._line.append(place)
        self._admit()
        try:
            while True:
                changed = self._changed  # taken first: a change while telling is not missed
                if place.ready.is_set():
                    break
                ahead = self.ahead_of(place)
                if tell is not None and ahead != place.ahead:
                    place.ahead = ahead
                    await tell(ahead)
                    continue
                await changed.wait()
            yield
        finally:
            if place in self._line:
                self._line.remove(place)
            if place in self._serving:
                self._serving.remove(place)
            self._admit()


@asynccontextmanager
async def visitor_turn(queue: ModelQueue, address: str | None) -> AsyncIterator[None]:
    """A visitor's turn on the model: while they wait, a message in the chat says how many people are
    ahead of them (updated as the line moves, removed when their question is read)."""
    notice: cl.Message | None = None

    async def tell(ahead: int) -> None:
        nonlocal notice
        text = prompts.QUEUE_AHEAD.format(ahead=ahead, people="person" if ahead == 1 else "people")
        if notice is None:
            notice = cl.Message(content=text)
            await notice.send()
        else:
            notice.content = text
            await notice.update()

    async with queue.turn(address, tell):
        if notice is not None:
            await notice.remove()
        yield
