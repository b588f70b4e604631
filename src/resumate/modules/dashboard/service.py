"""The dashboard: everything a signed-in user sees first, in one call, cached per user.

The cache (``core.usercache``) is keyed on a per-user version that every write touching what
the dashboard shows bumps after its commit (resumes, CVs, jobs, notifications, events).
"""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from resumate.core import usercache
from resumate.core.envelope import PageParams
from resumate.modules.analytics import service as analytics_service
from resumate.modules.billing import service as billing_service
from resumate.modules.cvs import service as cv_service
from resumate.modules.dashboard.schemas import DashboardRead
from resumate.modules.jobs import service as job_service
from resumate.modules.notifications import service as notification_service
from resumate.modules.resumes import service as resume_service

log = structlog.get_logger(__name__)

RECENT = 5
TOP_MATCHES = 5
MATCHED_CVS = 3  # the best matches of my most recent analysed CVs


async def dashboard(session: AsyncSession, *, user_id: uuid.UUID) -> tuple[DashboardRead, bool]:
    """(the dashboard, whether it came from the cache)."""

    async def build() -> dict[str, Any]:
        return (await _build(session, user_id)).model_dump(mode="json")

    value, hit = await usercache.cached(user_id, "dashboard", build)
    return DashboardRead.model_validate(value), hit


async def _build(session: AsyncSession, user_id: uuid.UUID) -> DashboardRead:
    first = PageParams(page=1, per_page=RECENT)
    resumes, resume_total = await resume_service.list_resumes(
        session, user_id=user_id, page=first, sort="-updated_at"
    )
    states = await resume_service.pdf_states(session, resumes=resumes)
    cvs, cv_total = await cv_service.list_cvs(session, user_id=user_id, page=first)
    _, job_total = await job_service.list_jobs(
        session, user_id=user_id, page=PageParams(page=1, per_page=1)
    )
    _, active_jobs = await job_service.list_jobs(
        session, user_id=user_id, page=PageParams(page=1, per_page=1), active=True
    )
    top = await _top_matches(session, user_id) if active_jobs else []
    # Every quota with its use; limit None = unlimited (all of them when billing is off).
    usage = await billing_service.usage(session, user_id=user_id)
    return DashboardRead.model_validate(
        {
            "resumes": {
                "total": resume_total,
                "recent": [
                    {
                        "id": r.id,
                        "title": r.title,
                        "updated_at": r.updated_at,
                        "shared": r.share_enabled,
                        "pdf_state": states[r.id]["state"],
                        "pdf_pages": states[r.id]["pages"],
                        "pdf_rendered_at": states[r.id]["rendered_at"],
                    }
                    for r in resumes
                ],
            },
            "cvs": {
                "total": cv_total,
                "recent": [
                    {
                        "id": c.id,
                        "filename": c.filename,
                        "status": c.status,
                        "quality_score": c.quality_score,
                        "uploaded_at": c.uploaded_at,
                    }
                    for c in cvs
                ],
            },
            "jobs": {"total": job_total, "active": active_jobs},
            "top_matches": top,
            "usage": usage,
            "notifications_unread": await notification_service.unread_count(
                session, user_id=user_id
            ),
            "recent_activity": await analytics_service.recent_activity(
                session, owner_id=user_id, limit=10
            ),
        }
    )


async def _top_matches(session: AsyncSession, user_id: uuid.UUID) -> list[dict[str, Any]]:
    ready, _ = await cv_service.list_cvs(
        session, user_id=user_id, page=PageParams(page=1, per_page=MATCHED_CVS), status="ready"
    )
    found: list[dict[str, Any]] = []
    for cv in ready:
        try:
            ranked = await job_service.match_jobs_for_cv(
                session, user_id=user_id, cv_id=cv.id, limit=TOP_MATCHES
            )
        except Exception as exc:  # the dashboard still answers without matches
            log.warning("dashboard matches failed", cv_id=str(cv.id), error=repr(exc))
            continue
        for job, result in ranked:
            found.append(
                {
                    "cv_id": cv.id,
                    "cv_filename": cv.filename,
                    "job_id": job.id,
                    "job_title": job.title,
                    "company": job.company,
                    "score": result.get("score", 0),
                    "matched_skills": result.get("matched_skills") or [],
                    "missing_skills": result.get("missing_skills") or [],
                }
            )
    found.sort(key=lambda m: m["score"], reverse=True)
    return found[:TOP_MATCHES]
