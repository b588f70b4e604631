"""One call for the signed-in user's home page."""

from __future__ import annotations

from fastapi import APIRouter, Response

from resumate.core.db import SessionDep
from resumate.core.envelope import Envelope, ok
from resumate.modules.auth.dependencies import CurrentUser
from resumate.modules.dashboard import service as dashboard_service
from resumate.modules.dashboard.schemas import DashboardRead

router = APIRouter(tags=["dashboard"])


@router.get("/dashboard")
async def dashboard(
    user: CurrentUser, session: SessionDep, response: Response
) -> Envelope[DashboardRead]:
    """My resumes (recent, with PDF state), CVs (recent, with status and score), job counts, the
    five best CV-job matches, plan usage, unread notifications and recent activity. Cached per
    user until something shown here changes (``X-Cache: hit|miss``)."""
    data, hit = await dashboard_service.dashboard(session, user_id=user.id)
    response.headers["X-Cache"] = "hit" if hit else "miss"
    return ok(data)
