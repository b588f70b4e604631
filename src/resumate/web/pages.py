"""The landing page with the template gallery, the dashboard, template thumbnails, versioned
static files, and the API docs served from the package (no CDN)."""

from __future__ import annotations

import mimetypes
import uuid

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from resumate.core.db import SessionDep
from resumate.core.envelope import PageParams
from resumate.core.errors import NotFound
from resumate.modules.billing import service as billing_service
from resumate.modules.cvs import service as cv_service
from resumate.modules.jobs import service as job_service
from resumate.modules.resumes import service as resume_service
from resumate.modules.templates import service as template_service
from resumate.web.core import (
    Flash,
    MaybePrincipal,
    WebPrincipal,
    WebRoute,
    asset_digest,
    env,
    page,
    static_root,
)
from resumate.web.strings import t

router = APIRouter(route_class=WebRoute, include_in_schema=False)
IMMUTABLE = "public, max-age=31536000, immutable"


@router.get("/", response_class=HTMLResponse)
async def landing(request: Request, session: SessionDep, principal: MaybePrincipal) -> Response:
    templates = await template_service.list_templates(session)
    return page(request, "landing.html", title=t("landing.title"), templates=templates)


@router.get("/app", response_class=HTMLResponse)
async def dashboard(request: Request, principal: WebPrincipal, session: SessionDep) -> Response:
    user = principal.user
    first = PageParams(page=1, per_page=5)
    resumes, resume_total = await resume_service.list_resumes(session, user_id=user.id, page=first)
    cvs, cv_total = await cv_service.list_cvs(session, user_id=user.id, page=first)
    jobs, job_total = await job_service.list_jobs(session, user_id=user.id, page=first)
    usage = await billing_service.usage(session, user_id=user.id)
    subscription = await billing_service.subscription_view(session, user_id=user.id)
    welcome = request.query_params.get("welcome")
    return page(
        request,
        "dashboard.html",
        title=t("dash.title"),
        resumes=resumes,
        resume_total=resume_total,
        cvs=cvs,
        cv_total=cv_total,
        jobs=jobs,
        job_total=job_total,
        usage=usage,
        plan_name=subscription["plan"],
        flash=Flash("ok", t("signup.verify_sent", email=user.email)) if welcome else None,
    )


@router.get("/templates/{id}/preview.png")
async def template_preview(id: uuid.UUID, session: SessionDep) -> Response:
    png = await template_service.preview_png(session, template_id=id)
    return Response(png, media_type="image/png", headers={"Cache-Control": "public, max-age=3600"})


@router.get("/static/{digest}/{name:path}")
async def static_file(digest: str, name: str) -> Response:
    """Package files under a content-addressed URL: cached for a year. An old digest still
    gets the current file, briefly cached, so a page rendered before a deploy keeps working."""
    root = static_root()
    target = (root / name).resolve()
    if root.resolve() not in target.parents or not target.is_file():
        raise NotFound("No such file")
    media_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or media_type.endswith("javascript"):
        media_type += "; charset=utf-8"
    cache = IMMUTABLE if digest == asset_digest(name) else "public, max-age=60"
    return Response(target.read_bytes(), media_type=media_type, headers={"Cache-Control": cache})


# ---- API docs, offline ---------------------------------------------------------------------


def _docs_page(template: str, request: Request) -> HTMLResponse:
    html = env().get_template(template).render(openapi_url=request.app.openapi_url, t=t)
    return HTMLResponse(html)


@router.get("/docs", response_class=HTMLResponse)
async def swagger_ui(request: Request) -> HTMLResponse:
    return _docs_page("swagger.html", request)


@router.get("/redoc", response_class=HTMLResponse)
async def redoc(request: Request) -> HTMLResponse:
    return _docs_page("redoc.html", request)
