"""Probes: /healthz (the process is alive) and /readyz (it can serve: the database and the chat model answer).

/readyz names internal endpoints and failure reasons only to the owner and to FOLIO_METRICS_NETWORK (default
this machine: a local probe, an orchestrator on the same host); anyone else gets each dependency's status."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ActorDep, client_address
from api.errors import UNAVAILABLE, WRITE
from folio.clients import trusted
from folio.errors import Unavailable

router = APIRouter(tags=["health"])


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})
    status: Literal["ok"] = Field(description="Always ok while the process runs", examples=["ok"])


class Check(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"status": "ok"}, {"status": "unreachable", "url": "http://127.0.0.1:8081/v1"}]})
    status: str = Field(description="ok, or why not (unavailable, unreachable, in_process, not_started, "
                        "starting, failed)",
                        examples=["ok"])
    detail: str | None = Field(None, description="What failed")
    url: str | None = Field(None, description="The endpoint that was probed")


class Ready(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"status": "ready", "checks": {"database": {"status": "ok"}, "embedder": {"status": "in_process"},
                                       "llm": {"status": "ok"}}}]})
    status: Literal["ready"] = Field(description="ready: the database and the chat model answer", examples=["ready"])
    checks: dict[str, Check] = Field(
        description="database and llm (required), embedder (reported only)",
        examples=[{"database": {"status": "ok"}, "embedder": {"status": "in_process"}, "llm": {"status": "ok"}}])


@router.get("/healthz", response_model=Health, summary="Process is alive", operation_id="healthz")
async def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Ready, summary="Ready to serve", operation_id="readyz",
            responses={**UNAVAILABLE, 401: WRITE[401]},  # presented credentials must be valid
            response_model_exclude_none=True)
async def readyz(request: Request, actor: ActorDep) -> Ready:
    report = await request.app.state.health.readiness()
    checks = report.checks
    if not (actor.is_owner or client_address(request) in trusted(request.app.state.settings.metrics_network)):
        checks = {name: {"status": check.get("status", "")} for name, check in checks.items()}  # no urls, no reasons
    if not report.ready:
        raise Unavailable(f"not ready: {', '.join(report.failed)} unavailable",
                          details={"dependencies": report.failed, "checks": checks})
    return Ready(status="ready", checks=checks)
