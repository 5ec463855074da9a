"""/api/v1/auth: log in (token + session cookie), log out, who am I."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, ConfigDict, Field

from api.deps import (SESSION_COOKIE, AuthDep, SignedInDep, bearer_scheme, client_address, cookie_scheme,
                      presented_token)
from api.errors import COMMON, ErrorBody
from folio.services.auth import Login
from folio.services.logins import DEVICE_COOKIE, DEVICE_TTL_S

router = APIRouter(prefix="/auth", tags=["auth"], responses=COMMON)


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"email": "owner@example.com", "password": "correct horse battery staple"}]})
    email: str = Field(min_length=1, max_length=320, description="The account's email")
    password: str = Field(min_length=1, max_length=1024, description="The account's password")


class TokenOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig", "token_type": "bearer",
         "expires_in": 43200}]})
    access_token: str = Field(description="Send as `Authorization: Bearer <access_token>`",
                              examples=["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."])
    token_type: Literal["bearer"] = Field("bearer", description="Always bearer")
    expires_in: int = Field(description="Seconds until the token expires", examples=[43200])


class MeOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"id": "5d3c1a2b-0e4f-4a6b-9c8d-7e6f5a4b3c2d", "email": "owner@example.com", "is_owner": True}]})
    id: uuid.UUID = Field(description="Account id")
    email: str = Field(description="Login email", examples=["owner@example.com"])
    is_owner: bool = Field(description="Whether this account may change the portfolio")


@router.post("/login", response_model=TokenOut, operation_id="login", summary="Log in",
             description="Returns a bearer token and sets the httpOnly session cookie `folio_session` and the "
                         "known-device cookie `folio_device`. Failed logins are throttled (429 with Retry-After) per "
                         "email and client address, and per email from every address, with growing waits; a known "
                         "device (a valid `folio_device`) is throttled on its own and never by the per-email tier.",
             responses={401: {"model": ErrorBody, "description": "Wrong email or password"},
                        429: {"model": ErrorBody, "description": "Too many failed logins; see Retry-After"}})
async def login(body: LoginRequest, request: Request, response: Response, auth: AuthDep):
    result = await auth.login(body.email, body.password, client_address(request), request.cookies.get(DEVICE_COOKIE))
    set_session_cookies(request, response, result)
    return TokenOut(access_token=result.token, expires_in=result.expires_in)


def set_session_cookies(request: Request, response: Response, result: Login) -> None:
    """The session cookie (and the known-device cookie) of a login: REST's and the owner's login page."""
    secure = request.url.scheme == "https"
    response.set_cookie(SESSION_COOKIE, result.token, max_age=result.expires_in, path="/", httponly=True,
                        samesite="lax", secure=secure)
    if result.device:
        response.set_cookie(DEVICE_COOKIE, result.device, max_age=DEVICE_TTL_S, path="/", httponly=True,
                            samesite="strict", secure=secure)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
             operation_id="logout", summary="Log out",
             description="Ends the presented session (token or cookie) and clears the cookie.")
async def logout(
    request: Request,
    auth: AuthDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    cookie: Annotated[str | None, Depends(cookie_scheme)],
) -> Response:
    for token in {presented_token(bearer, None), cookie} - {None}:
        await auth.revoke(token)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")
    return response


@router.get("/me", response_model=MeOut, operation_id="me", summary="The logged-in account",
            responses={401: {"model": ErrorBody, "description": "Not logged in"}})
async def me(actor: SignedInDep):
    return MeOut(id=actor.user_id, email=actor.email or "", is_owner=actor.is_owner)
