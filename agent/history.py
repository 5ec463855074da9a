"""What of the thread's memory goes into the prompt: the current turn in full, the last few turns
as plain question/answer pairs (their tool traffic dropped), nothing older. The checkpointed state
keeps everything; only the model request is trimmed (small local models have 4k-token windows)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage


def window(messages: Sequence[AnyMessage], history_turns: int) -> list[AnyMessage]:
    starts = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    if not starts:
        return list(messages)
    current = starts[-1]
    earlier = starts[-1 - history_turns:-1] if history_turns > 0 else []
    kept: list[AnyMessage] = []
    for begin, end in zip(earlier, [*earlier[1:], current]):
        turn = messages[begin:end]
        answer = next((m for m in reversed(turn) if isinstance(m, AIMessage) and not m.tool_calls
                       and m.content), None)
        kept.append(turn[0])
        if answer is not None:
            kept.append(AIMessage(content=answer.content, id=answer.id))
    return kept + list(messages[current:])


class HistoryWindow(AgentMiddleware):
    def __init__(self, history_turns: int = 3):
        super().__init__()
        self.history_turns = history_turns

    async def awrap_model_call(self, request: ModelRequest,
                               handler: Callable[[ModelRequest], Awaitable[ModelResponse]]) -> ModelResponse:
        return await handler(request.override(messages=window(request.messages, self.history_turns)))
