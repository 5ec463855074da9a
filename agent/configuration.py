"""Per-conversation configuration of the agent, derived from the actor and folio's settings."""

from __future__ import annotations

from dataclasses import dataclass

from folio import prompts
from folio.actor import Actor
from folio.settings import Settings


@dataclass(frozen=True)
class Configuration:
    system_prompt: str
    # Rounds of tool calls the model may make per turn; then it is asked again with no tools bound
    # (folio's own retrieval does not count).
    max_tool_rounds: int = 1
    # Earlier turns kept in the prompt (tool traffic of earlier turns is dropped): small context windows.
    history_turns: int = 3
    temperature: float = 0.2
    max_tokens: int = 400
    # Search the portfolio with the visitor's message before the model's first call (the search is a
    # real tool call, shown as a step): small models often answer without calling any tool.
    retrieve_first: bool = False
    # Send the answering call (no tools bound) as one "Search results: ... Question: ..." message.
    fold_results: bool = False

    @classmethod
    def for_actor(cls, actor: Actor, settings: Settings) -> Configuration:
        if actor.is_owner:
            return cls(system_prompt=prompts.OWNER_SYSTEM_PROMPT, max_tool_rounds=settings.llm_owner_tool_rounds)
        return cls(system_prompt=prompts.VISITOR_SYSTEM_PROMPT, max_tool_rounds=settings.visitor_tool_rounds,
                   retrieve_first=settings.chat_retrieve_first, fold_results=True)
