"""CV uploads, their analysis, and turning a CV into an editable resume."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile, status
from fastapi.responses import StreamingResponse

from resumate.core.db import SessionDep
from resumate.core.downloads import file_response
from resumate.core.envelope import Envelope, PageParams, ok, paginated
from resumate.core.storage import CHUNK_SIZE
from resumate.modules.auth.dependencies import CurrentUser
from resumate.modules.auth.schemas import Message
from resumate.modules.cvs import service as cv_service
from resumate.modules.cvs.models import CV
from resumate.modules.cvs.schemas import CVRead, CVSummary
from resumate.modules.resumes.router import to_read as resume_read
from resumate.modules.resumes.schemas import ResumeRead

router = APIRouter(prefix="/cvs", tags=["cvs"])

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


async def owned_cv(id: uuid.UUID, user: CurrentUser, session: SessionDep) -> CV:
    """The CV with this id if it is mine; 404 otherwise."""
    return await cv_service.get_owned(session, user_id=user.id, cv_id=id)


OwnedCV = Annotated[CV, Depends(owned_cv)]


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(CHUNK_SIZE):
        yield chunk


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={413: {"description": "File too large"}, 415: {"description": "Not a PDF or DOCX"}},
)
async def upload_cv(
    user: CurrentUser,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="A PDF or DOCX file (checked by content)")],
) -> Envelope[CVRead]:
    """Upload a CV; its analysis runs in the background (poll ``GET /cvs/{id}`` for status)."""
    cv = await cv_service.upload_cv(
        session, user_id=user.id, filename=file.filename, chunks=_chunks(file)
    )
    return ok(CVRead.model_validate(cv))


@router.get("")
async def list_cvs(
    user: CurrentUser,
    session: SessionDep,
    page: Annotated[PageParams, Query()] = PageParams(),
    status_filter: Annotated[
        Literal["pending", "processing", "ready", "failed"] | None, Query(alias="status")
    ] = None,
) -> Envelope[list[CVSummary]]:
    """My CVs, newest first."""
    cvs, total = await cv_service.list_cvs(
        session, user_id=user.id, page=page, status=status_filter
    )
    return paginated([CVSummary.model_validate(cv) for cv in cvs], total=total, params=page)


@router.get("/{id}")
async def get_cv(cv: OwnedCV) -> Envelope[CVRead]:
    """One CV with its analysis (status pending, processing, ready or failed with ``error``)."""
    return ok(CVRead.model_validate(cv))


@router.get(
    "/{id}/file",
    response_class=StreamingResponse,
    responses={307: {"description": "Redirect to a short-lived presigned URL (S3 storage)"}},
)
async def download_cv(cv: OwnedCV) -> Response:
    """The original file (or, with presigned S3 downloads, a redirect to it)."""
    return file_response(
        cv.storage_key,
        filename=cv.filename,
        media_type=MEDIA_TYPES.get(cv.file_kind, "application/octet-stream"),
        size=cv.size_bytes,
        etag=f'"{cv.sha256}"',
    )


@router.delete("/{id}")
async def delete_cv(cv: OwnedCV, session: SessionDep) -> Envelope[Message]:
    """Delete the CV, its analysis and its file."""
    await cv_service.delete_cv(session, cv=cv)
    return ok(Message(message="CV deleted"))


@router.post("/{id}/reanalyze", status_code=status.HTTP_202_ACCEPTED)
async def reanalyze_cv(cv: OwnedCV, session: SessionDep, response: Response) -> Envelope[CVRead]:
    """Run the analysis again (for example after changing the AI provider)."""
    cv = await cv_service.reanalyze(session, cv=cv)
    response.headers["Location"] = f"/api/v1/cvs/{cv.id}"
    return ok(CVRead.model_validate(cv))


@router.post("/{id}/to-resume", status_code=status.HTTP_201_CREATED)
async def cv_to_resume(cv: OwnedCV, session: SessionDep) -> Envelope[ResumeRead]:
    """A new, editable resume whose data is this CV parsed into JSON Resume."""
    resume = await cv_service.to_resume(session, cv=cv)
    return ok(resume_read(resume))
