"""GET /cv and /cv.pdf: the owner's CV from what visitors may see (folio/services/cv.py); 404 when the
owner has no profile or turned the CV off."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from api.deps import ServicesDep
from api.pages.cv import cv_page, cv_pdf
from api.pages.render import not_found_page
from api.routes.pages import HEADERS
from folio.errors import NotFound
from folio.services.cv import CV_PAGE, CV_PDF

router = APIRouter(include_in_schema=False)


@router.get(CV_PAGE, response_class=HTMLResponse)
async def cv_html(services: ServicesDep) -> HTMLResponse:
    try:
        cv = await services.cv.cv()
    except NotFound as exc:
        return HTMLResponse(not_found_page(exc.message), status_code=404, headers=HEADERS)
    return HTMLResponse(cv_page(cv), headers=HEADERS)


@router.get(CV_PDF)
async def cv_as_pdf(services: ServicesDep) -> Response:
    try:
        cv = await services.cv.cv()
    except NotFound as exc:
        return HTMLResponse(not_found_page(exc.message), status_code=404, headers=HEADERS)
    pdf = await asyncio.to_thread(cv_pdf, cv)  # Typst compiles in ~0.1-0.3 s: off the event loop
    filename = "".join(c for c in cv.name if c.isalnum() or c in " -_").strip().replace(" ", "-") or "cv"
    return Response(pdf, media_type="application/pdf",
                    headers={**HEADERS, "Content-Disposition": f'inline; filename="{filename}-CV.pdf"'})
