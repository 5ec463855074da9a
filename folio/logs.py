"""Logging set-up: text (the default) or JSON lines (FOLIO_LOG_FORMAT=json), each JSON line carrying the
id of the HTTP request it was written for (api.middleware sets `request_id` for each request)."""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

request_id: ContextVar[str | None] = ContextVar("folio_request_id", default=None)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id (when in a request); a message
    that is itself a JSON object (the access log) is merged in rather than quoted."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        line: dict = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                      "level": record.levelname, "logger": record.name}
        merged = None
        if message.startswith("{"):
            try:
                merged = json.loads(message)
            except ValueError:
                merged = None
        if isinstance(merged, dict):
            line.update(merged)
        else:
            line["message"] = message
        rid = request_id.get()
        if rid is not None:
            line.setdefault("request_id", rid)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(level: str, fmt: str = "text") -> None:
    """The root logger's one handler (stderr), in the chosen format."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
