"""Build LangChain chat models for the configured OpenAI-compatible endpoint."""

from __future__ import annotations

from dataclasses import dataclass

from langchain_openai import ChatOpenAI

from folio.metrics import ModelErrorCounter


@dataclass(frozen=True)
class ChatEndpoint:
    """Where the chat model answers: FOLIO_LLM_BASE_URL, or the embedded llama-server's URL."""

    base_url: str
    model: str
    api_key: str = "not-needed"
    timeout: float = 120.0


def chat_model(endpoint: ChatEndpoint, *, temperature: float = 0.2, max_tokens: int | None = None,
               streaming: bool = True, max_retries: int = 1, **kwargs) -> ChatOpenAI:
    """Every chat model folio calls; each failed call counts in folio_model_errors_total."""
    return ChatOpenAI(
        base_url=endpoint.base_url,
        model=endpoint.model,
        api_key=endpoint.api_key,
        temperature=temperature,
        max_completion_tokens=max_tokens,
        streaming=streaming,
        timeout=endpoint.timeout,
        stream_chunk_timeout=endpoint.timeout,  # silence while streaming counts against the same limit
        max_retries=max_retries,
        callbacks=[ModelErrorCounter(), *kwargs.pop("callbacks", [])],
        **kwargs,
    )
