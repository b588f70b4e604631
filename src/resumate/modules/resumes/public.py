"""The public, unauthenticated pages of shared resumes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from fastapi.responses import HTMLResponse, StreamingResponse

from resumate.core.db import SessionDep
from resumate.core.text import ShortText
from resumate.modules.resumes import service as resume_service
from resumate.modules.resumes.router import resume_filename, stream_pdf
from resumate.rendering.html import render_resume_html

router = APIRouter(tags=["public"])

Slug = Annotated[ShortText, Path(max_length=100)]


async def _page(slug: str, session: SessionDep, pdf_path: str) -> HTMLResponse:
    resume = await resume_service.get_shared(session, slug=slug)
    await resume_service.record_public(session, resume=resume, event="view")
    html = render_resume_html(resume.data, title=resume.title, pdf_url=pdf_path)
    return HTMLResponse(
        html,
        headers={
            "Cache-Control": "no-store",
            "X-Robots-Tag": "noindex",
            "Referrer-Policy": "no-referrer",
        },
    )


async def _pdf(slug: str, session: SessionDep) -> Response:
    resume = await resume_service.get_shared(session, slug=slug)
    pdf, _ = await resume_service.render_resume_pdf(session, resume=resume)
    await resume_service.record_public(session, resume=resume, event="download")
    return await stream_pdf(pdf, resume_filename(resume, ".pdf"), inline=True)


@router.get("/public/r/{slug}", response_class=HTMLResponse)
async def public_resume(slug: Slug, session: SessionDep) -> HTMLResponse:
    """A shared resume as a web page (no auth); counts a view."""
    return await _page(slug, session, f"/api/v1/public/r/{slug}/pdf")


@router.get("/public/r/{slug}/pdf", response_class=StreamingResponse)
async def public_resume_pdf(slug: Slug, session: SessionDep) -> Response:
    """A shared resume's PDF (no auth); counts a download."""
    return await _pdf(slug, session)


# Short links outside /api/v1: the public_url handed out by POST /resumes/{id}/share.
short_router = APIRouter(include_in_schema=False)


@short_router.get("/r/{slug}", response_class=HTMLResponse)
async def short_public_resume(slug: Slug, session: SessionDep) -> HTMLResponse:
    return await _page(slug, session, f"/r/{slug}/pdf")


@short_router.get("/r/{slug}/pdf", response_class=StreamingResponse)
async def short_public_resume_pdf(slug: Slug, session: SessionDep) -> Response:
    return await _pdf(slug, session)
