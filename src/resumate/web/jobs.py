"""Jobs in the browser: paste an ad, correct the extracted requirements, see the CVs ranked for
it, and a detailed report for one CV against one job."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from resumate.core.db import SessionDep
from resumate.core.envelope import PageParams
from resumate.core.errors import AppError, NotFound, ValidationFailed
from resumate.modules.cvs import service as cv_service
from resumate.modules.jobs import service as job_service
from resumate.modules.jobs.models import JobDescription
from resumate.modules.jobs.schemas import JobCreate, JobUpdate, MatchIn
from resumate.web.core import (
    Flash,
    WebPrincipal,
    WebRoute,
    form_text,
    page,
    parse,
    read_form,
    redirect,
)
from resumate.web.strings import t

router = APIRouter(prefix="/app", route_class=WebRoute, include_in_schema=False)
LOCATION_TYPES = ("remote", "hybrid", "on-site")


def _skills(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def _years(text: str) -> float | str | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text  # the schema refuses it next to the field


async def _jobs_page(
    request: Request, session: Any, user_id: uuid.UUID, status_code: int = 200, **context: Any
) -> HTMLResponse:
    jobs, _ = await job_service.list_jobs(
        session, user_id=user_id, page=PageParams(page=1, per_page=100)
    )
    context.setdefault("values", {"location_type": "remote"})
    return page(
        request,
        "jobs.html",
        status_code,
        title=t("jobs.title"),
        jobs=jobs,
        location_types=LOCATION_TYPES,
        **context,
    )


@router.get("/jobs", response_class=HTMLResponse)
async def jobs_page(request: Request, principal: WebPrincipal, session: SessionDep) -> Response:
    deleted = request.query_params.get("deleted")
    return await _jobs_page(
        request,
        session,
        principal.user.id,
        flash=Flash("ok", t("jobs.deleted")) if deleted else None,
    )


@router.post("/jobs")
async def create_job(request: Request, principal: WebPrincipal, session: SessionDep) -> Response:
    form = await read_form(request)
    values = {
        "title": form_text(form, "title").strip(),
        "company": form_text(form, "company").strip() or None,
        "description": form_text(form, "description"),
        "location_type": form_text(form, "location_type") or "remote",
    }
    payload, errors = parse(JobCreate, values)
    if payload is None:
        return await _jobs_page(
            request, session, principal.user.id, 422, values=values, errors=errors
        )
    job = await job_service.create_job(
        session, user_id=principal.user.id, data=payload.model_dump()
    )
    return redirect(request, f"/app/jobs/{job.id}")


async def _job_page(
    request: Request,
    session: Any,
    user_id: uuid.UUID,
    job: JobDescription,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    try:
        matches = await job_service.match_cvs_for_job(
            session, user_id=user_id, job_id=job.id, limit=10
        )
    except AppError:
        matches = []
    context.setdefault(
        "values",
        {
            "required_skills": ", ".join(job.required_skills or []),
            "nice_to_have_skills": ", ".join(job.nice_to_have_skills or []),
            "min_experience_years": ""
            if job.min_experience_years is None
            else f"{job.min_experience_years:g}",
        },
    )
    return page(
        request, "job.html", status_code, title=job.title, job=job, matches=matches, **context
    )


@router.get("/jobs/{id}", response_class=HTMLResponse)
async def job_page(
    request: Request, id: uuid.UUID, principal: WebPrincipal, session: SessionDep
) -> Response:
    job = await job_service.get_owned(session, user_id=principal.user.id, job_id=id)
    return await _job_page(request, session, principal.user.id, job)


@router.post("/jobs/{id}", response_class=HTMLResponse)
async def update_requirements(
    request: Request, id: uuid.UUID, principal: WebPrincipal, session: SessionDep
) -> Response:
    job = await job_service.get_owned(session, user_id=principal.user.id, job_id=id)
    form = await read_form(request)
    values = {
        "required_skills": form_text(form, "required_skills"),
        "nice_to_have_skills": form_text(form, "nice_to_have_skills"),
        "min_experience_years": form_text(form, "min_experience_years"),
    }
    payload, errors = parse(
        JobUpdate,
        {
            "required_skills": _skills(values["required_skills"]),
            "nice_to_have_skills": _skills(values["nice_to_have_skills"]),
            "min_experience_years": _years(values["min_experience_years"]),
        },
    )
    if payload is None:
        return await _job_page(
            request, session, principal.user.id, job, 422, values=values, errors=errors
        )
    try:
        job = await job_service.update_job(
            session, job=job, changes=payload.model_dump(exclude_unset=True)
        )
    except ValidationFailed as exc:
        return await _job_page(
            request,
            session,
            principal.user.id,
            job,
            422,
            values=values,
            flash=Flash("error", exc.message),
        )
    return await _job_page(
        request, session, principal.user.id, job, flash=Flash("ok", t("jobs.updated"))
    )


@router.post("/jobs/{id}/delete")
async def delete_job(
    request: Request, id: uuid.UUID, principal: WebPrincipal, session: SessionDep
) -> Response:
    job = await job_service.get_owned(session, user_id=principal.user.id, job_id=id)
    await job_service.delete_job(session, job=job)
    return redirect(request, "/app/jobs?deleted=1")


async def _match_choices(session: Any, user_id: uuid.UUID) -> dict[str, Any]:
    """The analysed CVs and the jobs to pick from (newest first, 100 of each)."""
    cvs, _ = await cv_service.list_cvs(
        session, user_id=user_id, page=PageParams(page=1, per_page=100), status="ready"
    )
    jobs, _ = await job_service.list_jobs(
        session, user_id=user_id, page=PageParams(page=1, per_page=100)
    )
    return {"cvs": cvs, "jobs": jobs}


async def _match_page(
    request: Request,
    session: Any,
    user_id: uuid.UUID,
    cv_id: uuid.UUID | None,
    job_id: uuid.UUID | None,
) -> HTMLResponse:
    """The report for one CV and one job; without both (or when one cannot be compared), the
    form to pick them, with the reason next to the field concerned."""
    errors: dict[str, str] = {}
    if cv_id is not None and job_id is not None:
        try:
            cv_row, job_row, result, tips = await job_service.match_report(
                session, user_id=user_id, cv_id=cv_id, job_id=job_id
            )
        except (NotFound, ValidationFailed) as exc:
            errors = {await _culprit(session, user_id, job_id, exc): exc.message}
        else:
            return page(
                request,
                "match.html",
                title=t("match.title", cv=cv_row.filename, job=job_row.title),
                cv=cv_row,
                job=job_row,
                r=result,
                suggestions=tips,
                permalink=f"/app/match?cv={cv_id}&job={job_id}",
            )
    return page(
        request,
        "match.html",
        422 if errors else 200,
        title=t("match.pick_title"),
        r=None,
        errors=errors,
        values={"cv_id": str(cv_id or ""), "job_id": str(job_id or "")},
        **await _match_choices(session, user_id),
    )


async def _culprit(session: Any, user_id: uuid.UUID, job_id: uuid.UUID, exc: AppError) -> str:
    """Which of the two fields a refusal is about: the job when it is not one of mine, else
    the CV (missing, or not analysed yet)."""
    if isinstance(exc, NotFound):
        try:
            await job_service.get_owned(session, user_id=user_id, job_id=job_id)
        except NotFound:
            return "job_id"
    return "cv_id"


@router.get("/match", response_class=HTMLResponse)
async def match_form_or_report(
    request: Request,
    principal: WebPrincipal,
    session: SessionDep,
    cv: Annotated[uuid.UUID | None, Query()] = None,
    job: Annotated[uuid.UUID | None, Query()] = None,
) -> Response:
    """The report as a link (bookmarks), or the form to pick a CV and a job."""
    return await _match_page(request, session, principal.user.id, cv, job)


@router.post("/match", response_class=HTMLResponse)
async def match_report(request: Request, principal: WebPrincipal, session: SessionDep) -> Response:
    """One CV against one job in detail, with suggestions (the API's ``POST /match``): the
    report buttons and the compare form post here, with the CSRF token."""
    form = await read_form(request)
    payload, errors = parse(
        MatchIn, {"cv_id": form_text(form, "cv_id"), "job_id": form_text(form, "job_id")}
    )
    if payload is None:
        values = {"cv_id": form_text(form, "cv_id"), "job_id": form_text(form, "job_id")}
        return page(
            request,
            "match.html",
            422,
            title=t("match.pick_title"),
            r=None,
            errors={k: t("match.pick_error") for k in errors},
            values=values,
            **await _match_choices(session, principal.user.id),
        )
    return await _match_page(request, session, principal.user.id, payload.cv_id, payload.job_id)
