"""The chat model: any OpenAI-compatible server (vLLM), or the embedded llama-server folio supervises."""

from folio.llm.factory import ChatEndpoint, chat_model

__all__ = ["ChatEndpoint", "chat_model"]
