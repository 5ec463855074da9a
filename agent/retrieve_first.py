"""Retrieve first: a visitor's message is searched in the portfolio before the model is asked anything.

Instead of the turn's first model call, this middleware returns a tool call to search_portfolio with
the visitor's own words; the agent runs it like any tool call (a real step in the chat), then the
model answers from the results. Small local models often answer without calling a tool at all (and
then invent); this grounds every answer without depending on that. The model keeps its own tool
rounds (FOLIO_LLM_TOOL_ROUNDS) for anything else: an item in full, contact details.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.messages.tool import ToolCall

from agent.state import RETRIEVAL_MARK, current_turn

SEARCH_TOOL = "search_portfolio"
MAX_QUERY = 1000


class RetrieveFirst(AgentMiddleware):
    async def awrap_model_call(self, request: ModelRequest,
                               handler: Callable[[ModelRequest], Awaitable[ModelResponse]]) -> ModelResponse:
        messages = request.state["messages"]
        question = messages[-1] if messages else None
        bound = {getattr(t, "name", None) for t in request.tools}
        if (isinstance(question, HumanMessage) and not current_turn(messages) and SEARCH_TOOL in bound
                and question.text.strip()):
            call = ToolCall(name=SEARCH_TOOL, args={"query": " ".join(question.text.split())[:MAX_QUERY]},
                            id="call_" + uuid.uuid4().hex[:16], type="tool_call")
            return ModelResponse(result=[AIMessage(content="", tool_calls=[call],
                                                   additional_kwargs={RETRIEVAL_MARK: True})])
        return await handler(request)
