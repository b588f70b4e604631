"""Jobs in the browser: paste an ad, correct the extracted requirements, see the CVs ranked for
it, and a detailed report for one CV against one job."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from resumate.core.db import SessionDep
from resumate.core.envelope import PageParams
from resumate.core.errors import AppError, ValidationFailed
from resumate.modules.jobs import service as job_service
from resumate.modules.jobs.models import JobDescription
from resumate.modules.jobs.schemas import JobCreate, JobUpdate
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


@router.get("/match", response_class=HTMLResponse)
async def match_report(
    request: Request,
    principal: WebPrincipal,
    session: SessionDep,
    cv: Annotated[uuid.UUID, Query()],
    job: Annotated[uuid.UUID, Query()],
) -> Response:
    cv_row, job_row, result, tips = await job_service.match_report(
        session, user_id=principal.user.id, cv_id=cv, job_id=job
    )
    return page(
        request,
        "match.html",
        title=t("match.title", cv=cv_row.filename, job=job_row.title),
        cv=cv_row,
        job=job_row,
        r=result,
        suggestions=tips,
    )
