"""Run the app under uvicorn for `folio serve`: one process, or several workers on one port.

Several workers share everything that matters through PostgreSQL (login throttle, rate limits,
revoked tokens, pending changes, chat history) and one secret key; each worker has its own chat
mount, so a chat socket stays in the worker that accepted it (a websocket is one connection).
"""

from __future__ import annotations

import os
from pathlib import Path

from folio.metrics import MULTIPROC_ENV, prepare_multiprocess
from folio.settings import Settings
from launch.composition import build_app, shared_chat_model


def serve_app(settings: Settings, url: str) -> None:
    import uvicorn

    settings.resolved_secret_key()  # generated once here, before any worker reads it
    # uvicorn believes X-Forwarded-For/-Proto only from FOLIO_TRUSTED_PROXIES (the scheme of links and
    # cookies); folio's middleware resolves client addresses by the same list.
    options = dict(host=settings.host, port=settings.port, log_level=settings.log_level.lower(),
                   proxy_headers=True, forwarded_allow_ips=settings.trusted_proxies,
                   access_log=False)  # folio.access logs each request (with its id)
    if settings.log_format == "json":
        options["log_config"] = None  # uvicorn's own lines go through folio's JSON handler too
    if settings.workers == 1:
        uvicorn.run(build_app(settings, url, freeze_gc=True), **options)
        return
    # /metrics adds up every worker's numbers from files in one directory (prometheus-client's multiprocess
    # mode), emptied at each start; PROMETHEUS_MULTIPROC_DIR, when set, names it.
    prepare_multiprocess(Path(os.environ.get(MULTIPROC_ENV) or settings.data_path / "metrics"))
    with shared_chat_model(settings):
        os.environ["FOLIO_DATABASE_URL"] = url  # the workers use the database this process started
        uvicorn.run("launch.composition:app_from_environment", factory=True, workers=settings.workers, **options)

