"""Prometheus metrics (prometheus-client), served at /metrics (api/routes/metrics.py) to the owner or to
FOLIO_METRICS_NETWORK. One registry per process: with `folio serve --workers N` each worker reports its
own numbers (multiprocess aggregation is not set up yet)."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest

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


def exposition() -> tuple[bytes, str]:
    """The text format and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
