"""Render a turn's events in Chainlit: tokens stream into one assistant message, every tool call is
a step (type "tool") with its input and output, and the message ends with the checked final answer."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import chainlit as cl
from chainlit.utils import utc_now

from agent.turn import Final, Token, ToolEnd, ToolStart, TurnEvent
from folio.metrics import CHAT_FIRST_TOKEN, CHAT_TURNS


async def render_turn(events: AsyncIterator[TurnEvent]) -> cl.Message | None:
    """Show the events; returns the answer message (None when the turn produced no answer)."""
    message: cl.Message | None = None
    steps: dict[str, cl.Step] = {}
    started, first_text, outcome = time.perf_counter(), False, "failed"
    try:
        async for event in events:
            if not first_text and isinstance(event, Token | Final):
                first_text = True
                CHAT_FIRST_TOKEN.observe(time.perf_counter() - started)
            if isinstance(event, Token):
                if message is None:
                    message = cl.Message(content="")
                await message.stream_token(event.text)
            elif isinstance(event, ToolStart):
                # A child of this message's run, so it shows in place (cl.Step only finds its parent
                # by itself when used as a context manager); start without end shows it running.
                parent = cl.context.current_step
                step = cl.Step(name=event.name, type="tool", language="json",
                               parent_id=parent.id if parent is not None else None)
                step.start = utc_now()
                step.input = json.dumps(event.args, ensure_ascii=False)
                await step.send()
                steps[event.call_id] = step
            elif isinstance(event, ToolEnd):
                step = steps.pop(event.call_id, None)
                if step is not None:
                    step.output, step.is_error, step.language = event.output, event.is_error, "markdown"
                    step.end = utc_now()
                    await step.update()
            elif isinstance(event, Final):
                message = message or cl.Message(content="")
                message.content = event.text
                await message.send()
        outcome = "answered" if message is not None else "no_answer"
    finally:
        CHAT_TURNS.labels(outcome).inc()
        for step in steps.values():  # the turn failed between a tool call and its result
            step.output, step.is_error, step.end = "interrupted", True, utc_now()
            await step.update()
    return message
