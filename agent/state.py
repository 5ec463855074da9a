"""The agent's state (LangChain's AgentState: the message list, checkpointed per thread) and the
questions middleware asks of it: what happened in the current turn."""

from __future__ import annotations

from collections.abc import Sequence

from langchain.agents import AgentState
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage

ChatState = AgentState


def current_turn(messages: Sequence[AnyMessage]) -> list[AnyMessage]:
    """The messages after the last human message (this turn's model calls and tool results)."""
    for index in range(len(messages) - 1, -1, -1):
        if isinstance(messages[index], HumanMessage):
            return list(messages[index + 1:])
    return list(messages)


# Marks the tool-call message folio writes itself to search before the model's first call.
RETRIEVAL_MARK = "folio_retrieval"


def is_retrieval(message: AnyMessage) -> bool:
    return isinstance(message, AIMessage) and bool(message.additional_kwargs.get(RETRIEVAL_MARK))


def tool_rounds(messages: Sequence[AnyMessage]) -> int:
    """How many times the model (not folio's own retrieval) called tools in the current turn."""
    return sum(1 for m in current_turn(messages) if isinstance(m, AIMessage) and m.tool_calls and not is_retrieval(m))


def turn_tool_results(messages: Sequence[AnyMessage]) -> list[ToolMessage]:
    return [m for m in current_turn(messages) if isinstance(m, ToolMessage)]
