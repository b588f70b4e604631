"""Jobs, and explained matching between my CVs and my jobs."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, status

from resumate.core import cache
from resumate.core.db import SessionDep
from resumate.core.envelope import Envelope, PageParams, ok, paginated
from resumate.core.text import ShortText
from resumate.modules.auth.dependencies import CurrentUser
from resumate.modules.auth.schemas import Message
from resumate.modules.cvs.models import CV
from resumate.modules.cvs.router import OwnedCV
from resumate.modules.jobs import service as job_service
from resumate.modules.jobs.models import JobDescription
from resumate.modules.jobs.schemas import (
    CVBrief,
    CVMatch,
    JobBrief,
    JobCreate,
    JobMatch,
    JobRead,
    JobUpdate,
    MatchIn,
    MatchReport,
)

router = APIRouter(tags=["jobs"])


async def owned_job(id: uuid.UUID, user: CurrentUser, session: SessionDep) -> JobDescription:
    """The job with this id if it is mine; 404 otherwise."""
    return await job_service.get_owned(session, user_id=user.id, job_id=id)


OwnedJob = Annotated[JobDescription, Depends(owned_job)]
Limit = Annotated[int, Query(ge=1, le=100)]


def cv_brief(cv: CV) -> CVBrief:
    return CVBrief(
        id=cv.id,
        filename=cv.filename,
        name=(cv.contact or {}).get("name"),
        total_experience_years=cv.total_experience_years,
        quality_score=cv.quality_score,
    )


def _fields(result: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in result.items() if key != "raw_cosine"}


@router.post("/jobs", status_code=status.HTTP_201_CREATED)
async def create_job(
    payload: JobCreate, user: CurrentUser, session: SessionDep
) -> Envelope[JobRead]:
    """Save a job ad; required skills, nice-to-haves and minimum years are extracted from the
    description when not given (``extracted_fields`` says which)."""
    job = await job_service.create_job(session, user_id=user.id, data=payload.model_dump())
    return ok(JobRead.model_validate(job))


@router.get("/jobs")
async def list_jobs(
    user: CurrentUser,
    session: SessionDep,
    page: Annotated[PageParams, Query()] = PageParams(),
    q: Annotated[
        ShortText | None,
        Query(min_length=1, max_length=500, description="Semantic + keyword search"),
    ] = None,
    active: bool | None = None,
) -> Envelope[list[JobRead]]:
    """My jobs, newest first; with ``q`` the best matches of a semantic and keyword search."""
    if q:
        jobs = await job_service.search_jobs(session, user_id=user.id, query=q, limit=page.per_page)
        return ok([JobRead.model_validate(j) for j in jobs], query=q)
    jobs, total = await job_service.list_jobs(session, user_id=user.id, page=page, active=active)
    return paginated([JobRead.model_validate(j) for j in jobs], total=total, params=page)


@router.get("/jobs/{id}")
async def get_job(job: OwnedJob) -> Envelope[JobRead]:
    """One of my jobs."""
    return ok(JobRead.model_validate(job))


@router.patch("/jobs/{id}")
async def update_job(payload: JobUpdate, job: OwnedJob, session: SessionDep) -> Envelope[JobRead]:
    """Change a job; extracted requirements follow a changed description."""
    job = await job_service.update_job(
        session, job=job, changes=payload.model_dump(exclude_unset=True)
    )
    return ok(JobRead.model_validate(job))


@router.delete("/jobs/{id}")
async def delete_job(job: OwnedJob, session: SessionDep) -> Envelope[Message]:
    """Delete a job."""
    await job_service.delete_job(session, job=job)
    return ok(Message(message="Job deleted"))


@router.get("/cvs/{id}/matches")
async def matches_for_cv(
    cv: OwnedCV, user: CurrentUser, session: SessionDep, limit: Limit = 20
) -> Envelope[list[JobMatch]]:
    """My active jobs ranked for this CV, each with score, breakdown and explanation."""

    async def build() -> list[dict[str, Any]]:
        ranked = await job_service.match_jobs_for_cv(
            session, user_id=user.id, cv_id=cv.id, limit=limit
        )
        return [
            JobMatch(job=JobBrief.model_validate(job), **_fields(r)).model_dump(mode="json")
            for job, r in ranked
        ]

    found, _ = await cache.cached(
        "matches", ["cv", cv.id, limit], build, user_id=user.id, local=True
    )
    await job_service.record_matches_viewed(
        session, user_id=user.id, resource_type="cv", resource_id=cv.id
    )
    return ok([JobMatch.model_validate(item) for item in found])


@router.get("/jobs/{id}/matches")
async def matches_for_job(
    job: OwnedJob, user: CurrentUser, session: SessionDep, limit: Limit = 20
) -> Envelope[list[CVMatch]]:
    """My analysed CVs ranked for this job."""

    async def build() -> list[dict[str, Any]]:
        ranked = await job_service.match_cvs_for_job(
            session, user_id=user.id, job_id=job.id, limit=limit
        )
        return [CVMatch(cv=cv_brief(cv), **_fields(r)).model_dump(mode="json") for cv, r in ranked]

    found, _ = await cache.cached(
        "matches", ["job", job.id, limit], build, user_id=user.id, local=True
    )
    await job_service.record_matches_viewed(
        session, user_id=user.id, resource_type="job", resource_id=job.id
    )
    return ok([CVMatch.model_validate(item) for item in found])


@router.post("/match")
async def match(payload: MatchIn, user: CurrentUser, session: SessionDep) -> Envelope[MatchReport]:
    """One CV against one job in detail, with suggestions for what to add or reword."""
    cv, job, result, tips = await job_service.match_report(
        session, user_id=user.id, cv_id=payload.cv_id, job_id=payload.job_id
    )
    return ok(
        MatchReport(
            cv=cv_brief(cv), job=JobBrief.model_validate(job), suggestions=tips, **_fields(result)
        )
    )
