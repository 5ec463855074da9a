"""The one mapping from errors to HTTP: typed domain errors, request validation, HTTP errors.

Every error body is {"error": {"code", "message", "details"?}, "request_id"}.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from folio.errors import (Conflict, DomainError, NotFound, PermissionDenied, RateLimited, SlugConflict,
                          Unauthenticated, Unavailable, ValidationFailed)

log = logging.getLogger("folio.api")

STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    SlugConflict: 409,
    Conflict: 409,
    Unauthenticated: 401,
    PermissionDenied: 403,
    ValidationFailed: 422,
    RateLimited: 429,
    Unavailable: 503,
}

HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "permission_denied", 404: "not_found",
              405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 413: "payload_too_large",
              415: "unsupported_media_type", 422: "validation_failed", 429: "rate_limited",
              503: "unavailable"}


class ErrorDetail(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"code": "slug_conflict", "message": "a project with slug 'glint' already exists",
         "details": {"slug": "glint"}}]})
    code: str = Field(description="Stable machine-readable error code", examples=["not_found"])
    message: str = Field(description="What went wrong, for people", examples=["no project with slug 'x'"])
    details: Any = Field(None, description="Structured context, e.g. the invalid fields")


class ErrorBody(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"error": {"code": "not_found", "message": "no project with slug 'nope'"},
         "request_id": "6f1c2d0e9a8b4c7d"}]})
    error: ErrorDetail = Field(description="The error")
    request_id: str | None = Field(description="Also in the X-Request-ID header; quote it when reporting",
                                   examples=["6f1c2d0e9a8b4c7d"])


def _described(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


# OpenAPI documentation of the errors each kind of route can answer.
COMMON = {422: _described("Invalid parameters or body"), 400: _described("Malformed request body"),
          401: _described("The presented credentials are invalid or expired"),
          429: _described("Too many requests from this address (anonymous requests and logins are "
                          "rate-limited); see Retry-After"),
          503: _described("The database is unavailable or the request took too long; see Retry-After")}
READ = {404: _described("No such item (or not visible to you)")}
WRITE = {401: _described("Not logged in, or invalid credentials"), 403: _described("Only the owner may do this"),
         409: _described("The slug is taken"), 413: _described("Request body too large")}
UNAVAILABLE = {503: _described("A dependency does not answer")}


def request_id(request: Request) -> str | None:
    return request.scope.get("state", {}).get("request_id")


def error_body(code: str, message: str, details: Any = None, rid: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error, "request_id": rid}


def error_response(request: Request, status: int, code: str, message: str, details: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    rid = request_id(request)
    headers = dict(headers or {})
    if rid:
        headers["X-Request-ID"] = rid
    return JSONResponse(error_body(code, message, details, rid), status_code=status, headers=headers)


def status_for(exc: DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


async def _domain(request: Request, exc: DomainError) -> JSONResponse:
    status = status_for(exc)
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, Unauthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    return error_response(request, status, exc.code, exc.message, exc.details, headers)


def _clean(err: dict[str, Any]) -> dict[str, Any]:
    # Never echo the input back: it may be a password, or megabytes.
    return {"loc": [str(part) for part in err.get("loc", ())], "msg": str(err.get("msg", "")),
            "type": str(err.get("type", ""))}


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [_clean(e) for e in exc.errors()]
    if any(e["type"] == "json_invalid" for e in errors):
        return error_response(request, 400, "malformed_json", "the request body is not valid JSON", errors)
    return error_response(request, 422, "validation_failed", "the request is invalid", errors)


async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return error_response(request, exc.status_code, code, message, headers=exc.headers)


# The database is down, restarting, or a statement ran past statement_timeout: a 503 that says so.
DATABASE_ERRORS = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)
DATABASE_RETRY_AFTER = 5


async def _database(request: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable (request_id=%s): %s", request_id(request), type(exc).__name__)
    return error_response(request, 503, "unavailable", "the database is unavailable; try again in a few seconds",
                          headers={"Retry-After": str(DATABASE_RETRY_AFTER)})


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error (request_id=%s)", request_id(request))
    return error_response(request, 500, "internal_error", "something went wrong on our side")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    for error in DATABASE_ERRORS:
        app.add_exception_handler(error, _database)
    app.add_exception_handler(Exception, _unexpected)
