"""Retrieve first: a visitor's message is searched in the portfolio before the model is asked anything.

Instead of the turn's first model call, this middleware returns a tool call to search_portfolio with
the visitor's own words; the agent runs it like any tool call (a real step in the chat), then the
model answers from the results. Small local models often answer without calling a tool at all (and
then invent); this grounds every answer without depending on that. The model keeps its own tool
rounds (FOLIO_LLM_TOOL_ROUNDS) for anything else, such as an item in full.

A message carrying an email address is a visitor leaving contact details: folio's own first call is
then leave_contact_details (the address, a name when the message says "I'm ...", the message itself),
so contact requests work even with a model that never calls tools.

A follow-up is searched as a question that stands alone (folio.services.questions.standalone): "what is
it written in?" after an answer naming the project Ferrox is searched as "what is the project Ferrox
written in?". Only the previous question and the items its answer linked are used, never the answer's
words: earlier answers are not evidence.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Sequence

from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langchain_core.messages.tool import ToolCall

from agent.state import RETRIEVAL_MARK, current_turn, is_retrieval
from folio.kinds import KIND_NAMES
from folio.services.questions import standalone

SEARCH_TOOL = "search_portfolio"
CONTACT_TOOL = "leave_contact_details"
MAX_QUERY = 1000
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NAME = re.compile(r"\b(?i:i am|i'm|my name is|this is|name:)\s+([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)")


_PAGE_LINK = re.compile(r"\[([^\]\n]+)\]\(/p/(" + "|".join(KIND_NAMES) + r")/[a-z0-9-]+\)")


def previous_turn(messages: Sequence[AnyMessage]) -> tuple[str | None, list[tuple[str, str]]]:
    """(the previous turn's question as searched, (kind, title) of the items its answer linked)."""
    starts = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    if len(starts) < 2:
        return None, []
    turn = messages[starts[-2]:starts[-1]]
    searched = next((c["args"].get("query") for m in turn if is_retrieval(m) for c in m.tool_calls
                     if c["name"] == SEARCH_TOOL), None)
    answer = next((m for m in reversed(turn) if isinstance(m, AIMessage) and not m.tool_calls), None)
    items: list[tuple[str, str]] = []
    if answer is not None and isinstance(answer.content, str):
        for title, kind in _PAGE_LINK.findall(answer.content):
            if (kind, title) not in items:
                items.append((kind, title))
    return searched or turn[0].text, items


def first_call(text: str, bound: set[str], history: Sequence[AnyMessage] = ()) -> ToolCall | None:
    """folio's own tool call for a visitor's message: contact details when it gives an email address,
    else a search of the portfolio with the visitor's words (a follow-up made to stand alone)."""
    text = " ".join(text.split())
    email = EMAIL.search(text)
    if email and CONTACT_TOOL in bound:
        name = NAME.search(text)
        args = {"name": name.group(1) if name else email.group(0).split("@")[0], "email": email.group(0),
                "message": text[:2000]}
        return ToolCall(name=CONTACT_TOOL, args=args, id="call_" + uuid.uuid4().hex[:16], type="tool_call")
    if SEARCH_TOOL in bound and text:
        previous, items = previous_turn(history)
        query = standalone(text, previous, items) if history else text
        return ToolCall(name=SEARCH_TOOL, args={"query": query[:MAX_QUERY]}, id="call_" + uuid.uuid4().hex[:16],
                        type="tool_call")
    return None


class RetrieveFirst(AgentMiddleware):
    async def awrap_model_call(self, request: ModelRequest,
                               handler: Callable[[ModelRequest], Awaitable[ModelResponse]]) -> ModelResponse:
        messages = request.state["messages"]
        question = messages[-1] if messages else None
        bound = {getattr(t, "name", None) for t in request.tools}
        if isinstance(question, HumanMessage) and not current_turn(messages):
            if call := first_call(question.text, bound, messages):
                return ModelResponse(result=[AIMessage(content="", tool_calls=[call],
                                                       additional_kwargs={RETRIEVAL_MARK: True})])
        return await handler(request)
