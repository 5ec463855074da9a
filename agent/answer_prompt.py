"""The answering call, shaped for small models: when the model must answer (no tools bound), this
turn's question and tool results are sent as one user message, "Search results: ... Question: ...".

Measured with Qwen2.5-Coder-1.5B on llama-server: given the same results as tool messages it often
answered "I don't know" even to "Tell me about Ferrox" with Ferrox's summary in the result; as a
context block in the question it answered from them. Only the request changes; the thread's memory
keeps the real tool calls and results.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.messages import AnyMessage, HumanMessage, ToolMessage

from agent.answer_check import turn_plan, turn_question
from folio import prompts


def fold_results(messages: Sequence[AnyMessage]) -> list[AnyMessage]:
    """[..., question, tool calls, results, (anything after)] -> [..., question with results, (after)]."""
    last_result = max((i for i, m in enumerate(messages) if isinstance(m, ToolMessage)), default=None)
    if last_result is None:
        return list(messages)
    question = max((i for i, m in enumerate(messages[:last_result]) if isinstance(m, HumanMessage)), default=None)
    if question is None:
        return list(messages)
    results = [m.text for m in messages[question + 1:last_result + 1] if isinstance(m, ToolMessage)]
    folded = HumanMessage(prompts.ANSWER_FROM_RESULTS.format(results="\n\n".join(results),
                                                             question=messages[question].text))
    return [*messages[:question], folded, *messages[last_result + 1:]]


def fold_standalone(messages: Sequence[AnyMessage], question: str) -> list[AnyMessage]:
    """A visitor's answering call: this turn's results and the standalone question, nothing earlier.
    Earlier answers are never evidence (a small model copies them into the next answer)."""
    last_result = max((i for i, m in enumerate(messages) if isinstance(m, ToolMessage)), default=None)
    start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)
                 and (last_result is None or i < last_result)), default=None)
    if last_result is None or start is None:
        return list(messages)
    results = [m.text for m in messages[start + 1:last_result + 1] if isinstance(m, ToolMessage)]
    folded = HumanMessage(prompts.ANSWER_FROM_RESULTS.format(results="\n\n".join(results), question=question))
    return [folded, *messages[last_result + 1:]]


class FoldResultsIntoQuestion(AgentMiddleware):
    async def awrap_model_call(self, request: ModelRequest,
                               handler: Callable[[ModelRequest], Awaitable[ModelResponse]]) -> ModelResponse:
        if request.tools:
            return await handler(request)
        plan = turn_plan(request.state["messages"])
        if plan is not None:
            question = turn_question(request.state["messages"], plan)
            return await handler(request.override(messages=fold_standalone(request.messages, question)))
        return await handler(request.override(messages=fold_results(request.messages)))
