"""Prometheus metrics (prometheus-client), served at /metrics (api/routes/metrics.py) to the owner or to
FOLIO_METRICS_NETWORK.

With `folio serve --workers N` the workers share one directory of metric files (prometheus-client's
multiprocess mode: `launch.serving` sets PROMETHEUS_MULTIPROC_DIR before the workers start, so every
metric below is file-backed in them) and a scrape of any worker adds up all of them. One process alone
keeps its numbers in memory. The embedding errors are counted where the embedders live
(data/embeddings/base.py: data never imports folio); they are served here all the same.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import openai
from langchain_core.callbacks import BaseCallbackHandler
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, \
    generate_latest, multiprocess

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

HTTP_REQUESTS = Counter("folio_http_requests", "HTTP requests answered, by method, route template and status",
                        ["method", "route", "status"])
HTTP_SECONDS = Histogram("folio_http_request_duration_seconds", "Time to answer an HTTP request, by route template",
                         ["route"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
RATE_LIMITED = Counter("folio_rate_limited", "Requests and chat messages refused by a rate limit (429), by limit",
                       ["limit"])
CHAT_TURNS = Counter("folio_chat_turns", "Chat turns rendered, by outcome (answered, no_answer, failed)",
                     ["outcome"])
CHAT_FIRST_TOKEN = Histogram("folio_chat_first_token_seconds",
                             "Time from a chat turn's start to the first text the user sees",
                             buckets=(0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60, 120))
MODEL_ERRORS = Counter("folio_model_errors", "Chat model calls that failed, by kind (timeout, connection, "
                       "http_<status>, other)", ["error"])
NOTIFICATIONS = Counter("folio_notifications", "Notification delivery attempts, by channel and outcome "
                        "(delivered, retry, failed: given up)", ["channel", "outcome"])
OUTBOX = Gauge("folio_outbox_messages", "Notifications in the outbox by status (pending: the backlog; failed: "
               "given up), counted at each scrape", ["status"], multiprocess_mode="mostrecent")


class ModelErrorCounter(BaseCallbackHandler):
    """A LangChain callback on every chat model (folio.llm.chat_model): counts each failed call once."""

    run_inline = True  # a counter needs no thread hop

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        if isinstance(error, Exception):  # not a cancellation (the visitor left)
            MODEL_ERRORS.labels(error_kind(error)).inc()


def error_kind(error: Exception) -> str:
    """A few stable labels, whatever class the client library wraps the error in."""
    status = getattr(error, "status_code", None)
    if isinstance(status, int):
        return f"http_{status}"
    if isinstance(error, openai.APITimeoutError | httpx.TimeoutException | TimeoutError):
        return "timeout"
    if isinstance(error, openai.APIConnectionError | httpx.TransportError | ConnectionError):
        return "connection"
    return "other"


def prepare_multiprocess(directory: Path) -> Path:
    """An empty directory for the workers' metric files (a restart starts the counts again), named in the
    environment the workers inherit. Call before the workers start."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.db"):
        old.unlink()
    os.environ[MULTIPROC_ENV] = str(directory)
    return directory


def exposition(outbox: dict[str, int] | None = None) -> tuple[bytes, str]:
    """The text format and its content type, all workers added up in multiprocess mode; `outbox`: the
    outbox's counts by status, read by the caller at this scrape."""
    for status, count in (outbox or {}).items():
        OUTBOX.labels(status).set(count)
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
