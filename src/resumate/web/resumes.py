"""Resumes in the browser: the list, create and import, and the editor (form, autosave with
If-Match semantics, live preview, PDF, export, sharing with its chart)."""

from __future__ import annotations

import json
import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse

from resumate.core.db import SessionDep
from resumate.core.downloads import content_disposition, download_name
from resumate.core.envelope import PageParams
from resumate.core.errors import NotFound, PreconditionFailed, ValidationFailed
from resumate.core.storage import get_storage
from resumate.modules.resumes import service as resume_service
from resumate.modules.resumes.models import Resume
from resumate.modules.resumes.schemas import ResumeCreate, ResumeUpdate
from resumate.modules.templates import service as template_service
from resumate.web import editor
from resumate.web.core import (
    Flash,
    WebPrincipal,
    WebRoute,
    error_page,
    form_text,
    is_htmx,
    page,
    parse,
    read_form,
    redirect,
    uuid_or_none,
)
from resumate.web.strings import t

router = APIRouter(prefix="/app/resumes", route_class=WebRoute, include_in_schema=False)
MAX_IMPORT_BYTES = 2_000_000


async def _owned(session: Any, principal: Any, id: uuid.UUID) -> Resume:
    return await resume_service.get_owned(session, user_id=principal.user.id, resume_id=id)


@router.get("", response_class=HTMLResponse)
async def list_page(request: Request, principal: WebPrincipal, session: SessionDep) -> Response:
    resumes, total = await resume_service.list_resumes(
        session, user_id=principal.user.id, page=PageParams(page=1, per_page=100)
    )
    deleted = request.query_params.get("deleted")
    return page(
        request,
        "resumes.html",
        title=t("resumes.title"),
        resumes=resumes,
        total=total,
        flash=Flash("ok", t("resumes.deleted")) if deleted else None,
    )


@router.post("")
async def create(request: Request, principal: WebPrincipal, session: SessionDep) -> Response:
    form = await read_form(request)
    name = principal.user.full_name or ""
    payload, errors = parse(
        ResumeCreate,
        {
            "title": form_text(form, "title").strip() or t("resumes.new"),
            "data": {"basics": {"name": name, "email": principal.user.email}},
        },
    )
    if payload is None:
        return error_page(request, 422, "; ".join(errors.values()))
    resume = await resume_service.create_resume(
        session, user_id=principal.user.id, title=payload.title, data=payload.data
    )
    return redirect(request, f"/app/resumes/{resume.id}")


@router.post("/import")
async def import_document(
    request: Request, principal: WebPrincipal, session: SessionDep
) -> Response:
    form = await read_form(request)
    upload = form.get("file")
    raw = b""
    if upload is not None and not isinstance(upload, str):
        raw = await upload.read(MAX_IMPORT_BYTES + 1)
    try:
        if len(raw) > MAX_IMPORT_BYTES:
            raise ValueError
        document = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return error_page(request, 422, t("resumes.import_invalid"))
    resume = await resume_service.import_resume(session, user_id=principal.user.id, data=document)
    return redirect(request, f"/app/resumes/{resume.id}")


# ---- the editor --------------------------------------------------------------------------------


async def _design_choices(session: Any) -> list[Any]:
    return list(await template_service.list_templates(session))


def _error_fields(exc: ValidationFailed) -> dict[str, str]:
    """API paths ($.data.work[0].url) as the editor's field names (work.0.url)."""
    errors: dict[str, str] = {}
    for item in (exc.details or {}).get("errors", []):
        path = str(item.get("path", ""))
        name = re.sub(r"\[(\d+)\]", r".\1", path.removeprefix("$.data").removeprefix("$"))
        errors.setdefault(name.strip(".") or "data", str(item.get("message", "")))
    return errors


async def _editor_page(
    request: Request,
    session: Any,
    resume: Resume,
    *,
    document: dict[str, Any] | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    document = resume.data if document is None else document
    stats = await resume_service.stats(session, resume=resume)
    template = "partials/editor_form.html" if is_htmx(request) else "editor.html"
    return page(
        request,
        template,
        status_code,
        title=t("editor.title", title=resume.title),
        resume=resume,
        doc=document,
        etag=context.pop("etag", resume_service.etag(resume)),
        editor=editor,
        sections=editor.SECTIONS,
        templates=await _design_choices(session),
        stats=stats,
        public_url=resume_service.public_url(resume.share_slug)
        if resume.share_enabled and resume.share_slug
        else None,
        oob=is_htmx(request),
        preview_page=context.pop("preview_page", 1),
        **context,
    )


_FOCUS = re.compile(r"^[a-z]+(\.[a-zA-Z]+|\.\d{1,3}){0,4}$")


def _preview_page(value: str | None) -> int:
    return min(max(int(value), 1), 50) if value and value.isdigit() else 1


@router.get("/{id}", response_class=HTMLResponse)
async def editor_page(
    request: Request,
    id: uuid.UUID,
    principal: WebPrincipal,
    session: SessionDep,
    focus: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    resume = await _owned(session, principal, id)
    focus = focus if focus and _FOCUS.match(focus) else None
    return await _editor_page(request, session, resume, focus=focus)


async def _save(
    request: Request, session: Any, resume: Resume
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """Read the form, apply an edit button's change, save with If-Match. Returns
    (outcome, document, context) where outcome is saved, invalid or conflict."""
    form = await read_form(request)
    pairs = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    fields = editor.form_lists(pairs)
    document = editor.document_from_form(resume.data, fields)
    anchor = None
    op = form_text(form, "op")
    if op and op != "save":
        try:
            anchor = editor.apply_edit(document, op)
        except editor.EditError:
            return "invalid", document, {"flash": Flash("error", t("editor.edit_failed"))}
    changes: dict[str, Any] = {"data": document}
    title = form_text(form, "title").strip()
    if title:
        changes["title"] = title
    template_id = uuid_or_none(form_text(form, "template_id"))
    if template_id is not None:
        changes["template_id"] = template_id
    payload, errors = parse(ResumeUpdate, changes)
    if payload is None:
        return "invalid", document, {"errors": errors}
    # "Keep my version" after a conflict carries the ETag the user has now seen.
    if_match = form_text(form, "force_etag") or form_text(form, "etag") or None
    try:
        await resume_service.update_resume(
            session,
            resume=resume,
            changes=payload.model_dump(exclude_unset=True),
            if_match=if_match,
        )
    except PreconditionFailed:
        return "conflict", document, {}
    except ValidationFailed as exc:
        return (
            "invalid",
            document,
            {"errors": _error_fields(exc), "flash": Flash("error", exc.message)},
        )
    return (
        "saved",
        document,
        {"anchor": anchor, "preview_page": _preview_page(form_text(form, "preview_page"))},
    )


@router.post("/{id}", response_class=HTMLResponse)
async def save(
    request: Request, id: uuid.UUID, principal: WebPrincipal, session: SessionDep
) -> Response:
    """The whole form: the Save button and the add/remove/move buttons (also without JS)."""
    resume = await _owned(session, principal, id)
    outcome, document, context = await _save(request, session, resume)
    if outcome == "saved":
        anchor = context.pop("anchor", None)
        if is_htmx(request):
            return await _editor_page(request, session, resume, focus=anchor, **context)
        target = f"/app/resumes/{id}" + (f"?focus={anchor}#e-{anchor}" if anchor else "")
        return redirect(request, target)
    if outcome == "conflict":
        return await _editor_page(
            request,
            session,
            resume,
            document=document,
            status_code=409,
            conflict=_conflict(document, resume),
            etag=form_text(await read_form(request), "etag"),
        )
    return await _editor_page(
        request, session, resume, document=document, status_code=422, **context
    )


def _conflict(mine: dict[str, Any], resume: Resume) -> dict[str, str]:
    return {
        "etag": resume_service.etag(resume),
        "mine": json.dumps(mine, indent=2, ensure_ascii=False),
        "theirs": json.dumps(resume.data, indent=2, ensure_ascii=False),
    }


@router.post("/{id}/autosave", response_class=HTMLResponse)
async def autosave(
    request: Request, id: uuid.UUID, principal: WebPrincipal, session: SessionDep
) -> Response:
    """htmx, while typing: the saved/conflict state, the new ETag and preview (out of band)."""
    resume = await _owned(session, principal, id)
    outcome, document, context = await _save(request, session, resume)
    if outcome == "conflict":
        return page(
            request,
            "partials/save_status.html",
            409,
            state="conflict",
            resume=resume,
            conflict=_conflict(document, resume),
            etag=None,
        )
    if outcome == "invalid":
        flash = context.get("flash")
        errors = context.get("errors") or {}
        message = flash.message if flash else "; ".join(f"{k}: {v}" for k, v in errors.items())
        return page(
            request,
            "partials/save_status.html",
            422,
            state="invalid",
            message=message,
            resume=resume,
            etag=None,
        )
    return page(
        request,
        "partials/save_status.html",
        state="saved",
        resume=resume,
        etag=resume_service.etag(resume),
        preview_page=context.get("preview_page", 1),
    )


@router.get("/{id}/preview", response_class=HTMLResponse)
async def preview_fragment(
    request: Request,
    id: uuid.UUID,
    principal: WebPrincipal,
    session: SessionDep,
    preview_page: Annotated[int, Query(ge=1, le=50)] = 1,
) -> Response:
    """The preview image for another page (htmx swaps it in)."""
    resume = await _owned(session, principal, id)
    return page(request, "partials/preview.html", resume=resume, preview_page=preview_page)


@router.get("/{id}/preview.png")
async def preview_png(
    id: uuid.UUID,
    principal: WebPrincipal,
    session: SessionDep,
    page_number: Annotated[int, Query(alias="page", ge=1, le=50)] = 1,
) -> Response:
    resume = await _owned(session, principal, id)
    try:
        png = await resume_service.preview_png(session, resume=resume, page=page_number)
    except NotFound:
        if page_number == 1:
            raise
        # A page past the end (the resume got shorter): show the first one.
        png = await resume_service.preview_png(session, resume=resume, page=1)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=60"})


@router.get("/{id}/pdf")
async def download_pdf(id: uuid.UUID, principal: WebPrincipal, session: SessionDep) -> Response:
    resume = await _owned(session, principal, id)
    pdf, _ = await resume_service.render_resume_pdf(session, resume=resume)
    return StreamingResponse(
        get_storage().get(pdf.storage_key),
        media_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition(
                download_name(resume.title, ".pdf", fallback="resume")
            ),
            "Content-Length": str(pdf.size_bytes),
        },
    )


@router.get("/{id}/export")
async def export(id: uuid.UUID, principal: WebPrincipal, session: SessionDep) -> Response:
    resume = await _owned(session, principal, id)
    return JSONResponse(
        resume.data,
        headers={
            "Content-Disposition": content_disposition(
                download_name(resume.title, ".json", fallback="resume")
            )
        },
    )


@router.post("/{id}/share", response_class=HTMLResponse)
async def share(
    request: Request, id: uuid.UUID, principal: WebPrincipal, session: SessionDep
) -> Response:
    resume = await _owned(session, principal, id)
    enabled = form_text(await read_form(request), "enabled") == "true"
    resume = await resume_service.set_share(session, resume=resume, enabled=enabled)
    if not is_htmx(request):
        return redirect(request, f"/app/resumes/{id}#share")
    return page(
        request,
        "partials/share.html",
        resume=resume,
        stats=await resume_service.stats(session, resume=resume),
        public_url=resume_service.public_url(resume.share_slug)
        if resume.share_enabled and resume.share_slug
        else None,
    )


@router.post("/{id}/duplicate")
async def duplicate(
    request: Request, id: uuid.UUID, principal: WebPrincipal, session: SessionDep
) -> Response:
    resume = await _owned(session, principal, id)
    copy_ = await resume_service.duplicate_resume(session, resume=resume)
    return redirect(request, f"/app/resumes/{copy_.id}")


@router.post("/{id}/delete")
async def delete(
    request: Request, id: uuid.UUID, principal: WebPrincipal, session: SessionDep
) -> Response:
    resume = await _owned(session, principal, id)
    await resume_service.delete_resume(session, resume=resume)
    return redirect(request, "/app/resumes?deleted=1")
