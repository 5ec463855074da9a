"""Build the agent for one conversation: its tools come from the authenticated actor (a visitor's
agent has the read tools only; the owner's adds the owner toolsets), never from the prompt."""

from __future__ import annotations

from collections.abc import Sequence

from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware
from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph

from agent.answer_check import PlanAnswer
from agent.answer_prompt import FoldResultsIntoQuestion
from agent.citations import CitationGuard
from agent.configuration import Configuration
from agent.grounding import owner_middleware
from agent.history import HistoryWindow
from agent.recovery import ToolCallRecovery
from agent.retrieve_first import RetrieveFirst
from agent.state import ChatState
from agent.tracing import run_langsmith_inline
from tools import ToolContext, tools_for


def build_agent(ctx: ToolContext, model: BaseChatModel, config: Configuration,
                checkpointer: BaseCheckpointSaver | None = None,
                middleware: Sequence[AgentMiddleware] = ()) -> CompiledStateGraph:
    """`middleware` (e.g. the owner's write confirmations) runs outside the built-in ones."""
    run_langsmith_inline()
    tools = tools_for(ctx)
    if ctx.actor.is_owner:  # proposals keep only the values the owner actually said
        middleware = [*middleware, *owner_middleware()]
    return create_agent(
        model,
        tools,
        system_prompt=config.system_prompt,
        # First is outermost: search before the first call, trim the prompt, check citations of the
        # (recovered) final answer, recover tool calls / unbind tools, shape the answering call.
        # A visitor's answer is decided by the data and checked against it (PlanAnswer).
        middleware=[*middleware, *([RetrieveFirst()] if config.retrieve_first else []),
                    HistoryWindow(config.history_turns), CitationGuard(),
                    *([PlanAnswer()] if ctx.actor.is_visitor else []), ToolCallRecovery(tools, config.max_tool_rounds),
                    *([FoldResultsIntoQuestion()] if config.fold_results else [])],
        state_schema=ChatState,
        checkpointer=checkpointer,
        name="folio",
    )
