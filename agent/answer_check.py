"""The visitor's answer, decided by the data and checked against it.

After folio's search (agent/retrieve_first.py) the turn holds a plan (folio/services/answer_plan.py):
the items that answer, and for lists, experience yes/no, contact, links, greetings and off-topic
messages the whole answer written from the data. This middleware, around the answering model call:

- returns the written answer without calling the model at all;
- otherwise lets the model phrase an answer from the plan's items, then keeps only what those items
  support (folio/services/answer_text.check_answer): one voice, items called by their kind, sentences
  about items that do not answer dropped, unsupported claims dropped or replaced by the item's own line;
- when the model is down or fails, answers with the matched items themselves (extractive), never only
  an apology.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage

from agent.retrieve_first import CONTACT_TOOL, MAX_QUERY, SEARCH_TOOL, first_call
from agent.state import current_turn, is_retrieval, turn_tool_results
from agent.turn import LLM_ERRORS
from folio import prompts
from folio.errors import DomainError
from folio.services.answer_plan import Plan
from folio.services.answer_text import check_answer
from tools import ToolContext

log = logging.getLogger(__name__)
CANNED = {prompts.TOOL_NOT_AVAILABLE, prompts.NO_ANSWER_AFTER_TOOLS}


def plan_of(results: Sequence[ToolMessage]) -> Plan | None:
    """The plan of this turn's search (the last one, when there were several)."""
    for message in reversed(results):
        artifact = message.artifact
        if isinstance(artifact, dict) and isinstance(artifact.get("plan"), dict):
            return Plan.from_dict(artifact["plan"])
    return None


def turn_plan(messages: Sequence[AnyMessage]) -> Plan | None:
    return plan_of(turn_tool_results(messages))


def turn_question(messages: Sequence[AnyMessage], plan: Plan) -> str:
    """The question the answer is for: the standalone form when folio searched it itself, else the
    visitor's own words (a model's search query is not the question)."""
    if any(is_retrieval(m) for m in current_turn(messages)):
        return plan.question
    human = next((m for m in reversed(messages) if isinstance(m, HumanMessage)), None)
    return human.text if human is not None else plan.question


def this_turn_only(messages: Sequence[AnyMessage], question: str) -> list[AnyMessage]:
    """Earlier turns are never evidence: the request keeps the (standalone) question and this turn."""
    return [HumanMessage(question), *current_turn(messages)]


class PlanAnswer(AgentMiddleware):
    async def awrap_model_call(self, request: ModelRequest,
                               handler: Callable[[ModelRequest], Awaitable[ModelResponse]]) -> ModelResponse:
        plan = turn_plan(request.state["messages"])
        if plan is None:
            return await handler(request)
        if plan.direct is not None:
            return ModelResponse(result=[AIMessage(content=plan.direct)])
        question = turn_question(request.state["messages"], plan)
        try:
            response = await handler(request.override(messages=this_turn_only(request.messages, question)))
        except Exception as exc:  # down, timed out or a broken reply: the visitor still gets the matched items
            log.warning("chat model failed, answering with the matched items: %s", exc,
                        exc_info=not isinstance(exc, LLM_ERRORS))
            return ModelResponse(result=[AIMessage(content=plan.extractive(prompts.MODEL_DOWN_NOTE))])
        last = response.result[-1] if response.result else None
        if (not isinstance(last, AIMessage) or last.tool_calls or not isinstance(last.content, str)
                or last.content in CANNED):
            return response
        checked = check_answer(last.content, plan.items, [*plan.others, *plan.close])
        fixed = last.model_copy(update={"content": checked})
        return ModelResponse(result=[*response.result[:-1], fixed], structured_response=response.structured_response)


async def answer_without_model(ctx: ToolContext, text: str) -> str:
    """What a visitor gets while the chat model is not running: the answer written from the data
    (lists, experience, contact...), or the matched items themselves."""
    call = first_call(text, {CONTACT_TOOL, SEARCH_TOOL})
    if call is not None and call["name"] == CONTACT_TOOL:  # contact details are kept all the same
        try:
            entry = await ctx.services.inbox.leave_contact(call["args"]["name"], call["args"]["email"],
                                                           call["args"]["message"], ctx.origin)
        except DomainError as exc:
            return exc.message
        return prompts.CONTACT_SAVED.format(email=entry.email)
    plan = await ctx.services.answers.plan(ctx.actor, " ".join(text.split())[:MAX_QUERY], origin=ctx.origin)
    return plan.extractive(prompts.MODEL_DOWN_NOTE)
