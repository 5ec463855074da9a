"""Drive the real agent (real tools, services, PostgreSQL) against a ScriptedLLM, without Chainlit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

from langgraph.checkpoint.base import BaseCheckpointSaver

from agent.configuration import Configuration
from agent.graph import build_agent
from agent.turn import Final, Token, ToolEnd, ToolStart, TurnEvent, run_turn
from folio.actor import Actor
from folio.llm import ChatEndpoint, chat_model
from folio.services import Services
from folio.services.inbox import Origin
from folio.settings import load_settings
from tools import ToolContext


@dataclass
class TurnRecord:
    events: list[TurnEvent] = field(default_factory=list)

    @property
    def streamed(self) -> str:
        return "".join(e.text for e in self.events if isinstance(e, Token))

    @property
    def answer(self) -> str | None:
        return next((e.text for e in self.events if isinstance(e, Final)), None)

    @property
    def tools_called(self) -> list[str]:
        return [e.name for e in self.events if isinstance(e, ToolStart)]

    @property
    def tool_outputs(self) -> list[str]:
        return [e.output for e in self.events if isinstance(e, ToolEnd)]


class AgentDriver:
    def __init__(self, services: Services, llm_url: str, actor: Actor = Actor(),
                 checkpointer: BaseCheckpointSaver | None = None, visitor_id: str = "visitor-1",
                 model: str = "scripted", temperature: float | None = None, **settings):
        self.thread_id = str(uuid.uuid4())
        config = Configuration.for_actor(actor, load_settings(**settings))
        if temperature is not None:
            config = replace(config, temperature=temperature)
        self.config = config
        ctx = ToolContext(actor, services, Origin(self.thread_id, None if actor.is_owner else visitor_id))
        llm = chat_model(ChatEndpoint(llm_url, model), temperature=config.temperature, max_tokens=config.max_tokens,
                         max_retries=0)
        self.agent = build_agent(ctx, llm, config, checkpointer)

    async def turn(self, text: str, thread_id: str | None = None) -> TurnRecord:
        record = TurnRecord()
        async for event in run_turn(self.agent, text, thread_id or self.thread_id):
            record.events.append(event)
        return record
