"""The owner's requests: understand -> resolve -> validate -> propose (pipeline.py)."""

from __future__ import annotations

from agent.requests.pipeline import Choice, Outcome, OwnerRequests
from folio.llm import ChatEndpoint, chat_model
from folio.services import Services

READ_TOKENS = 400  # the request's JSON (field values included)


def make_requests(services: Services, endpoint: ChatEndpoint) -> OwnerRequests:
    return OwnerRequests(services, chat_model(endpoint, temperature=0.0, max_tokens=READ_TOKENS, streaming=False))


__all__ = ["Choice", "Outcome", "OwnerRequests", "make_requests"]
