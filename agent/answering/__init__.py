"""Answering a question about the portfolio: understand -> execute -> compose -> check (pipeline.py)."""

from __future__ import annotations

from dataclasses import replace

from agent.answering.passages import PassageFinder
from agent.answering.pipeline import Answerer, Thread
from folio.llm import ChatEndpoint, chat_model
from folio.services import Services

READ_TOKENS = 300  # the query's JSON
WRITE_TOKENS = 450  # a phrased answer


def make_answerer(services: Services, endpoint: ChatEndpoint | None, passages: PassageFinder,
                  timeout: float | None = None) -> Answerer:
    """`endpoint` None: the model is down; questions are read by search and answered from the data."""
    if endpoint is None:
        return Answerer(services, None, None, passages)
    if timeout is not None:
        endpoint = replace(endpoint, timeout=timeout)
    return Answerer(services,
                    chat_model(endpoint, temperature=0.0, max_tokens=READ_TOKENS, streaming=False, max_retries=0),
                    chat_model(endpoint, temperature=0.2, max_tokens=WRITE_TOKENS, max_retries=0,
                               frequency_penalty=0.3),
                    passages)


__all__ = ["Answerer", "PassageFinder", "Thread", "make_answerer"]
