"""GET /metrics: Prometheus' text format, for the owner (token or cookie) or a client address inside
FOLIO_METRICS_NETWORK (default: this machine); anyone else gets 403."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import ActorDep, client_address
from folio.clients import trusted
from folio.errors import PermissionDenied
from folio.metrics import exposition

router = APIRouter(tags=["health"])


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request, actor: ActorDep) -> Response:
    allowed = trusted(request.app.state.settings.metrics_network)
    if not (actor.is_owner or client_address(request) in allowed):
        raise PermissionDenied("metrics are for the owner or FOLIO_METRICS_NETWORK")
    body, content_type = exposition()
    return Response(body, media_type=content_type)
