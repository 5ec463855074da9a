"""Request dependencies: the services and who is asking (Bearer header or the session cookie)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from folio.actor import VISITOR, Actor
from folio.clients import UNKNOWN
from folio.errors import Unauthenticated
from folio.services import Services
from folio.services.auth import AuthService
from folio.services.writer import WriterService

# Chainlit's own cookie is `access_token`; REST's must not collide with it.
SESSION_COOKIE = "folio_session"

bearer_scheme = HTTPBearer(auto_error=False, description="`Authorization: Bearer <access_token>` from /auth/login")
cookie_scheme = APIKeyCookie(name=SESSION_COOKIE, auto_error=False,
                             description="The httpOnly session cookie set by /auth/login")


# Dependencies are `async def`: FastAPI runs plain `def` ones in a worker thread, a costly hop per request.
async def get_services(request: Request) -> Services:
    return request.app.state.services


async def get_auth(request: Request) -> AuthService:
    return request.app.state.auth


async def get_writer(request: Request) -> WriterService:
    return request.app.state.writer


def client_address(request: Request) -> str:
    """The client's address as api.middleware resolved it (trusted proxies, IPv6 grouped by /64)."""
    return request.scope.get("state", {}).get("client_address") or UNKNOWN


def presented_token(bearer: HTTPAuthorizationCredentials | None, cookie: str | None) -> str | None:
    if bearer is not None and bearer.credentials:
        return bearer.credentials
    return cookie or None


async def current_actor(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    cookie: Annotated[str | None, Depends(cookie_scheme)],
) -> Actor:
    """The visitor when no credentials are presented; presented credentials must be valid (401)."""
    token = presented_token(bearer, cookie)
    if token is None:
        return VISITOR
    return await request.app.state.auth.actor_for_token(token)


async def signed_in_actor(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
    """An account is required (401 without one); the services decide what it may do (403)."""
    if actor.user_id is None:
        raise Unauthenticated("log in first: POST /api/v1/auth/login")
    return actor


ServicesDep = Annotated[Services, Depends(get_services)]
ActorDep = Annotated[Actor, Depends(current_actor)]
SignedInDep = Annotated[Actor, Depends(signed_in_actor)]
AuthDep = Annotated[AuthService, Depends(get_auth)]
WriterDep = Annotated[WriterService, Depends(get_writer)]
