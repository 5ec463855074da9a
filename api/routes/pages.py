"""GET /p/{kind}/{slug}: an item's readable page (server-rendered HTML), what the chat's citations
link to. The REST url (/api/v1/...) stays for machines. Visitors' view: hidden items are not found."""

from __future__ import annotations

import re
from datetime import date

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import ServicesDep
from api.pages.render import CSP, item_page, not_found_page
from folio.actor import VISITOR
from folio.errors import NotFound
from folio.kinds import KINDS
from folio.kinds import PROFILE, PROFILE_SLUG
from folio.schemas import SLUG_PATTERN

router = APIRouter(include_in_schema=False)
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


@router.get("/p/{kind}/{slug}", response_class=HTMLResponse)
async def item(kind: str, slug: str, services: ServicesDep) -> HTMLResponse:
    if kind == PROFILE.name:
        return await profile_page(slug, services)
    spec = KINDS.get(kind)
    if spec is None or len(slug) > 120 or not re.fullmatch(SLUG_PATTERN, slug):
        return HTMLResponse(not_found_page("There is no such page."), status_code=404, headers=HEADERS)
    try:
        found = await services.content(kind).get(VISITOR, slug)
    except NotFound:
        return HTMLResponse(not_found_page(f"There is no {kind} “{slug}” in this portfolio."), status_code=404,
                            headers=HEADERS)
    html = item_page(kind, spec.title_of(found), spec.summary_of(found), spec.body_of(found),
                     spec.page(found, date.today()), spec.url_of(slug))
    return HTMLResponse(html, headers=HEADERS)


async def profile_page(slug: str, services: ServicesDep) -> HTMLResponse:
    found = await services.profile.find() if slug == PROFILE_SLUG else None
    if found is None:
        return HTMLResponse(not_found_page("The owner has not written a profile yet."), status_code=404,
                            headers=HEADERS)
    html = item_page(PROFILE.name, found.name, found.headline, PROFILE.body_of(found), PROFILE.page(found, date.today()),
                     PROFILE.url_of(slug))
    return HTMLResponse(html, headers=HEADERS)
