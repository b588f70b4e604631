"""Resumes: CRUD with ETags, import/export, PDF, preview, sharing and stats."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Header, Query, Request, Response, status
from fastapi.responses import JSONResponse, StreamingResponse

from resumate.core.db import SessionDep
from resumate.core.downloads import content_disposition, download_name, file_response
from resumate.core.envelope import Envelope, PageParams, ok, page_meta
from resumate.core.text import JsonObject
from resumate.modules.auth.dependencies import CallerClaims, CurrentUser, mark_user_id
from resumate.modules.auth.schemas import Message
from resumate.modules.resumes import service as resume_service
from resumate.modules.resumes.dependencies import (
    OwnedResume,
    OwnedResumeForPdf,
    OwnedResumeToRead,
    OwnedResumeWithTemplate,
)
from resumate.modules.resumes.models import Resume, ResumePdf
from resumate.modules.resumes.schemas import (
    PdfRead,
    ResumeCreate,
    ResumeRead,
    ResumeStats,
    ResumeSummary,
    ResumeUpdate,
    ShareIn,
    ShareRead,
    SortField,
)

router = APIRouter(prefix="/resumes", tags=["resumes"])


def to_read(resume: Resume) -> ResumeRead:
    return ResumeRead(
        id=resume.id,
        title=resume.title,
        template_id=resume.template_id,
        data=resume.data,
        version=resume.version,
        etag=resume_service.etag(resume),
        share_enabled=resume.share_enabled,
        public_url=resume_service.public_url(resume.share_slug)
        if resume.share_enabled and resume.share_slug
        else None,
        created_at=resume.created_at,
        updated_at=resume.updated_at,
    )


def pdf_read(pdf: resume_service.StoredPdf, reused: bool) -> PdfRead:
    return PdfRead(
        id=pdf.id,
        url=f"/api/v1/resumes/{pdf.resume_id}/pdf",
        size_bytes=pdf.size_bytes,
        pages=pdf.pages,
        sha256=pdf.sha256,
        template_id=pdf.template_id,
        template_version=pdf.template_version,
        reused=reused,
        created_at=pdf.created_at,
    )


def _with_etag(response: Response, resume: Resume) -> None:
    response.headers["ETag"] = resume_service.etag(resume)


def resume_filename(resume: Resume, suffix: str) -> str:
    return download_name(resume.title, suffix, fallback="resume")


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_resume(
    payload: ResumeCreate, user: CurrentUser, session: SessionDep, response: Response
) -> Envelope[ResumeRead]:
    """Create a resume from a JSON Resume document (422 names the JSON path of each problem)."""
    resume = await resume_service.create_resume(
        session,
        user_id=user.id,
        title=payload.title,
        data=payload.data,
        template_id=payload.template_id,
    )
    _with_etag(response, resume)
    return ok(to_read(resume))


ResumeList = Envelope[list[ResumeSummary]]


@router.get("", response_model=ResumeList)
async def list_resumes(
    request: Request,
    claims: CallerClaims,
    session: SessionDep,
    page: Annotated[PageParams, Query()] = PageParams(),
    sort: Annotated[SortField, Query()] = "-updated_at",
) -> Response:
    """My resumes, newest change first by default."""
    # The caller and the page in one query, with the checks of CurrentUser (401).
    user_id, resumes, total = await resume_service.list_for_caller(
        session, claims=claims, page=page, sort=sort
    )
    mark_user_id(request, user_id)
    # Validated once, from the rows' columns, and written as JSON by pydantic: the same body
    # as returning the envelope, without FastAPI dumping the model to a dict, validating that
    # dict against the response model again and encoding it a third time.
    envelope = ResumeList.model_validate(
        {"data": resumes, "meta": page_meta(total=total, params=page)}
    )
    return Response(envelope.model_dump_json(), media_type="application/json")


@router.post("/import", status_code=status.HTTP_201_CREATED)
async def import_resume(
    user: CurrentUser,
    session: SessionDep,
    response: Response,
    document: Annotated[JsonObject, Body(description="A JSON Resume document")],
) -> Envelope[ResumeRead]:
    """Create a resume from a JSON Resume document sent as the whole body."""
    resume = await resume_service.import_resume(session, user_id=user.id, data=document)
    _with_etag(response, resume)
    return ok(to_read(resume))


@router.get("/{id}")
async def get_resume(resume: OwnedResumeToRead, response: Response) -> Envelope[ResumeRead]:
    """One of my resumes; the ETag header is what PATCH's If-Match expects."""
    _with_etag(response, resume)
    return ok(to_read(resume))


@router.patch("/{id}", responses={412: {"description": "If-Match is stale"}})
async def update_resume(
    payload: ResumeUpdate,
    resume: OwnedResume,
    session: SessionDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> Envelope[ResumeRead]:
    """Change title, template or the whole document. With a stale If-Match: 412, no change."""
    resume = await resume_service.update_resume(
        session, resume=resume, changes=payload.model_dump(exclude_unset=True), if_match=if_match
    )
    _with_etag(response, resume)
    return ok(to_read(resume))


@router.delete("/{id}")
async def delete_resume(resume: OwnedResume, session: SessionDep) -> Envelope[Message]:
    """Delete a resume and its stored PDFs."""
    await resume_service.delete_resume(session, resume=resume)
    return ok(Message(message="Resume deleted"))


@router.post("/{id}/duplicate", status_code=status.HTTP_201_CREATED)
async def duplicate_resume(
    resume: OwnedResume, session: SessionDep, response: Response
) -> Envelope[ResumeRead]:
    """A copy of the resume (not shared)."""
    copy_ = await resume_service.duplicate_resume(session, resume=resume)
    _with_etag(response, copy_)
    return ok(to_read(copy_))


@router.get("/{id}/export")
async def export_resume(resume: OwnedResumeToRead) -> JSONResponse:
    """The JSON Resume document itself, as a download (no envelope)."""
    return JSONResponse(
        resume.data,
        headers={
            "Content-Disposition": content_disposition(resume_filename(resume, ".json")),
            "ETag": resume_service.etag(resume),
        },
    )


@router.post("/{id}/pdf", status_code=status.HTTP_201_CREATED)
async def make_pdf(target: OwnedResumeForPdf, session: SessionDep) -> Envelope[PdfRead]:
    """Render with the resume's template and store the PDF (reused when nothing changed)."""
    pdf, reused = await resume_service.make_pdf(session, target=target)
    return ok(pdf_read(pdf, reused))


async def stream_pdf(
    pdf: ResumePdf | resume_service.StoredPdf, filename: str, *, inline: bool
) -> Response:
    return file_response(
        pdf.storage_key,
        filename=filename,
        media_type="application/pdf",
        size=pdf.size_bytes,
        etag=f'"{pdf.sha256}"',
        inline=inline,
    )


@router.get(
    "/{id}/pdf",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/pdf": {}}}},
)
async def get_pdf(resume: OwnedResumeToRead, session: SessionDep) -> Response:
    """The latest PDF made for this resume, or 404 if none was made."""
    pdf = await resume_service.latest_pdf(session, resume=resume)
    return await stream_pdf(pdf, resume_filename(resume, ".pdf"), inline=False)


@router.get(
    "/{id}/preview", response_class=Response, responses={200: {"content": {"image/png": {}}}}
)
async def preview(
    owned: OwnedResumeWithTemplate,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=50)] = 1,
) -> Response:
    """A PNG of page 1 (or ``?page=N``)."""
    resume = owned.resume
    png = await resume_service.preview_png(
        session, resume=resume, template=owned.template, page=page
    )
    return Response(
        png,
        media_type="image/png",
        headers={
            "Cache-Control": "private, max-age=0",
            "Content-Disposition": content_disposition(
                resume_filename(resume, f"-page{page}.png"), "inline"
            ),
        },
    )


@router.post("/{id}/share")
async def share(payload: ShareIn, resume: OwnedResume, session: SessionDep) -> Envelope[ShareRead]:
    """Turn the public link on or off; off makes the link 404 at once (the slug is kept,
    so turning it on again restores the same link)."""
    resume = await resume_service.set_share(session, resume=resume, enabled=payload.enabled)
    return ok(
        ShareRead(
            enabled=resume.share_enabled,
            slug=resume.share_slug if resume.share_enabled else None,
            public_url=resume_service.public_url(resume.share_slug)
            if resume.share_enabled and resume.share_slug
            else None,
        )
    )


@router.get("/{id}/stats")
async def resume_stats(resume: OwnedResumeToRead, session: SessionDep) -> Envelope[ResumeStats]:
    """Public views and downloads: totals and the last 30 days."""
    return ok(ResumeStats(**await resume_service.stats(session, resume=resume)))
