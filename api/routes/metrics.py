"""GET /metrics: Prometheus' text format, for the owner (token or cookie) or a client address inside
FOLIO_METRICS_NETWORK (default: this machine); anyone else gets 403."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import ActorDep, client_address
from folio.clients import trusted
from folio.errors import PermissionDenied
from folio.metrics import exposition
from folio.services.notify import outbox_counts

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request, actor: ActorDep) -> Response:
    allowed = trusted(request.app.state.settings.metrics_network)
    if not (actor.is_owner or client_address(request) in allowed):
        raise PermissionDenied("metrics are for the owner or FOLIO_METRICS_NETWORK")
    try:
        outbox = await outbox_counts(request.app.state.services.db)
    except Exception as exc:  # the database is down: the other numbers still answer (the backlog is not updated)
        log.warning("outbox not counted for /metrics (%s)", type(exc).__name__)
        outbox = None
    body, content_type = exposition(outbox)
    return Response(body, media_type=content_type)
