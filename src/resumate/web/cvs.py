"""CV upload and analysis in the browser: upload (drag and drop or picker, with progress),
live status by polling until the analysis is ready, then the analysis itself."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, StreamingResponse
from starlette.datastructures import UploadFile

from resumate.config import get_settings
from resumate.core.db import SessionDep
from resumate.core.downloads import content_disposition
from resumate.core.envelope import PageParams
from resumate.core.errors import AppError, NotFound
from resumate.core.storage import CHUNK_SIZE
from resumate.modules.cvs import service as cv_service
from resumate.modules.cvs.models import CV
from resumate.modules.jobs import service as job_service
from resumate.web.core import (
    Flash,
    WebPrincipal,
    WebRoute,
    is_htmx,
    page,
    read_form,
    redirect,
)
from resumate.web.strings import t

router = APIRouter(prefix="/app/cvs", route_class=WebRoute, include_in_schema=False)
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(CHUNK_SIZE):
        yield chunk


async def _list_page(
    request: Request, session: Any, user_id: uuid.UUID, status_code: int = 200, **context: Any
) -> HTMLResponse:
    cvs, _ = await cv_service.list_cvs(
        session, user_id=user_id, page=PageParams(page=1, per_page=100)
    )
    return page(
        request,
        "cvs.html",
        status_code,
        title=t("cvs.title"),
        cvs=cvs,
        max_mb=get_settings().max_upload_bytes // (1024 * 1024),
        **context,
    )


@router.get("", response_class=HTMLResponse)
async def list_page(request: Request, principal: WebPrincipal, session: SessionDep) -> Response:
    deleted = request.query_params.get("deleted")
    return await _list_page(
        request,
        session,
        principal.user.id,
        flash=Flash("ok", t("cvs.deleted")) if deleted else None,
    )


@router.post("")
async def upload(request: Request, principal: WebPrincipal, session: SessionDep) -> Response:
    form = await read_form(request)
    file = form.get("file")
    if not isinstance(file, UploadFile):
        return await _list_page(
            request, session, principal.user.id, 422, errors={"file": t("error.invalid")}
        )
    try:
        cv = await cv_service.upload_cv(
            session, user_id=principal.user.id, filename=file.filename, chunks=_chunks(file)
        )
    except AppError as exc:
        if exc.status >= 500:
            raise
        return await _list_page(
            request, session, principal.user.id, exc.status, errors={"file": exc.message}
        )
    return redirect(request, f"/app/cvs/{cv.id}")


async def _owned(session: Any, principal: Any, id: uuid.UUID) -> CV:
    return await cv_service.get_owned(session, user_id=principal.user.id, cv_id=id)


async def _matches(session: Any, user_id: uuid.UUID, cv: CV) -> list[Any]:
    if cv.status != "ready":
        return []
    try:
        return await job_service.match_jobs_for_cv(session, user_id=user_id, cv_id=cv.id, limit=5)
    except AppError:
        return []


@router.get("/{id}", response_class=HTMLResponse)
async def cv_page(
    request: Request, id: uuid.UUID, principal: WebPrincipal, session: SessionDep
) -> Response:
    cv = await _owned(session, principal, id)
    template = "partials/cv_body.html" if is_htmx(request) else "cv.html"
    return page(
        request,
        template,
        title=cv.filename,
        cv=cv,
        matches=await _matches(session, principal.user.id, cv),
    )


@router.get("/{id}/file")
async def cv_file(id: uuid.UUID, principal: WebPrincipal, session: SessionDep) -> Response:
    cv = await _owned(session, principal, id)
    return StreamingResponse(
        await cv_service.file_stream(cv),
        media_type=MEDIA_TYPES.get(cv.file_kind, "application/octet-stream"),
        headers={
            "Content-Disposition": content_disposition(cv.filename),
            "Content-Length": str(cv.size_bytes),
        },
    )


@router.post("/{id}/to-resume")
async def to_resume(
    request: Request, id: uuid.UUID, principal: WebPrincipal, session: SessionDep
) -> Response:
    cv = await _owned(session, principal, id)
    resume = await cv_service.to_resume(session, cv=cv)
    return redirect(request, f"/app/resumes/{resume.id}")


@router.post("/{id}/reanalyze")
async def reanalyze(
    request: Request, id: uuid.UUID, principal: WebPrincipal, session: SessionDep
) -> Response:
    cv = await _owned(session, principal, id)
    await cv_service.reanalyze(session, cv=cv)
    return redirect(request, f"/app/cvs/{id}")


@router.post("/{id}/delete")
async def delete(
    request: Request, id: uuid.UUID, principal: WebPrincipal, session: SessionDep
) -> Response:
    try:
        cv = await _owned(session, principal, id)
    except NotFound:
        return redirect(request, "/app/cvs")
    await cv_service.delete_cv(session, cv=cv)
    return redirect(request, "/app/cvs?deleted=1")
