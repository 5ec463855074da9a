"""The owner's server-rendered pages: /owner/login and /owner/insights (with its two forms: a lead's
status, and "Draft an answer" for a gap, which hands the questions to the owner's chat as a brief).

Who is asking is read as REST reads it (api/deps.py: the Bearer token or the `folio_session` cookie);
visitors get 401, signed-in accounts that are not the owner 403. The forms are same-origin only: the
session cookie is SameSite=Lax (a cross-site post carries none) and a foreign Origin header is refused."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials

from api.deps import AuthDep, ServicesDep, bearer_scheme, client_address, cookie_scheme, presented_token
from api.pages.insights import INSIGHTS_URL, OWNER_CSP, insights_page, login_page, refused_page
from api.routes.auth import set_session_cookies
from folio.actor import VISITOR, Actor
from folio.errors import DomainError, RateLimited, Unauthenticated
from folio.services.logins import DEVICE_COOKIE

router = APIRouter(include_in_schema=False)
HEADERS = {"Content-Security-Policy": OWNER_CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
           "Cache-Control": "no-store"}
MAX_FORM_FIELDS = 200
# The owner's way into the chat (chat/mount.py: drops a guest session, then Chainlit's login form); the
# chat picks the brief up when it opens.
CHAT_LOGIN_URL = "/login"


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=HEADERS)


async def _actor(request: Request, bearer: HTTPAuthorizationCredentials | None, cookie: str | None) -> Actor:
    token = presented_token(bearer, cookie)
    return VISITOR if token is None else await request.app.state.auth.actor_for_token(token)


async def _owner(request: Request,
                 bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
                 cookie: Annotated[str | None, Depends(cookie_scheme)]) -> Actor | HTMLResponse:
    """The owner, or the page that refuses everyone else."""
    try:
        actor = await _actor(request, bearer, cookie)
    except Unauthenticated as exc:
        return _html(refused_page(exc.message), 401)
    if actor.user_id is None:
        return _html(refused_page("This page is the portfolio owner's: log in first."), 401)
    if not actor.is_owner:
        return _html(refused_page("This page is the portfolio owner's."), 403)
    if request.method == "POST" and not _same_origin(request):
        return _html(refused_page("This form is only accepted from the owner's own page."), 403)
    return actor


OwnerDep = Annotated[Actor | HTMLResponse, Depends(_owner)]


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


# ---- login ---------------------------------------------------------------------------------------

@router.get("/owner/login", response_class=HTMLResponse)
async def login_form() -> HTMLResponse:
    return _html(login_page())


@router.post("/owner/login", response_class=HTMLResponse)
async def login(request: Request, auth: AuthDep) -> Response:
    form = await request.form(max_fields=4)
    email, password = str(form.get("email") or "")[:320], str(form.get("password") or "")[:1024]
    try:
        result = await auth.login(email, password, client_address(request), request.cookies.get(DEVICE_COOKIE))
    except RateLimited as exc:
        return _html(login_page(exc.message), 429)
    except Unauthenticated as exc:
        return _html(login_page(exc.message), 401)
    if not result.actor.is_owner:
        return _html(login_page("Only the portfolio owner has pages here."), 403)
    response = RedirectResponse(INSIGHTS_URL, status_code=303)
    set_session_cookies(request, response, result)
    return response


# ---- insights ------------------------------------------------------------------------------------

@router.get(INSIGHTS_URL, response_class=HTMLResponse)
async def insights(owner: OwnerDep, services: ServicesDep, days: int = 30, notice: str = "") -> HTMLResponse:
    if isinstance(owner, HTMLResponse):
        return owner
    try:
        found = await services.insights.insights(owner, days)
    except DomainError as exc:
        return _html(refused_page(exc.message), 422)
    return _html(insights_page(found, NOTICES.get(notice, "")))


NOTICES = {"lead": "The lead's status is changed."}


@router.post(INSIGHTS_URL + "/leads/{lead_id}")
async def lead_status(lead_id: str, request: Request, owner: OwnerDep, services: ServicesDep) -> Response:
    if isinstance(owner, HTMLResponse):
        return owner
    form = await request.form(max_fields=4)
    try:
        await services.insights.set_lead_status(owner, lead_id[:64], str(form.get("status") or ""))
    except DomainError as exc:
        return _html(refused_page(exc.message), 404 if exc.code == "not_found" else 422)
    return RedirectResponse(f"{INSIGHTS_URL}?notice=lead", status_code=303)


@router.post(INSIGHTS_URL + "/gaps")
async def draft_answer(request: Request, owner: OwnerDep, services: ServicesDep) -> Response:
    """"Draft an answer": the group's questions become a brief that the owner's chat drafts from when it
    opens (chat/owner_chat.py): the usual draft, preview and Confirm follow there."""
    if isinstance(owner, HTMLResponse):
        return owner
    form = await request.form(max_fields=MAX_FORM_FIELDS)
    try:
        ids = [int(v) for v in form.getlist("q")]
        await services.insights.brief_for(owner, ids)
    except ValueError:
        return _html(refused_page("the questions are not recognised"), 422)
    except DomainError as exc:
        return _html(refused_page(exc.message), 404 if exc.code == "not_found" else 422)
    return RedirectResponse(CHAT_LOGIN_URL, status_code=303)
