"""My activity over time."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from resumate.core.db import SessionDep
from resumate.core.envelope import Envelope
from resumate.modules.analytics import service as analytics_service
from resumate.modules.analytics.schemas import Summary
from resumate.modules.auth.dependencies import CurrentUser

router = APIRouter(tags=["analytics"])


@router.get("/analytics/summary", response_model=Envelope[Summary])
async def summary(
    user: CurrentUser,
    session: SessionDep,
    from_: Annotated[date | None, Query(alias="from", description="YYYY-MM-DD (UTC)")] = None,
    to: Annotated[date | None, Query(description="YYYY-MM-DD (UTC), inclusive")] = None,
    interval: Literal["day", "week", "month"] = "day",
) -> Response:
    """My events (resumes created, PDFs rendered, CVs analysed, share views...) counted per day,
    week or month; 30 days up to today by default. Weeks start on Monday."""
    end = to or datetime.now(UTC).date()
    start = from_ or end - timedelta(days=29)
    data = await analytics_service.summary(
        session, owner_id=user.id, start=start, end=end, interval=interval
    )
    # A year by day is 365 x 13 counts: serialised directly (the service builds exactly the
    # ``Summary`` shape, which test_summary_matches_a_straightforward_count checks), not
    # validated and dumped again by pydantic.
    body = {"success": True, "data": data, "error": None, "meta": {}}
    return Response(
        json.dumps(body, default=date.isoformat, separators=(",", ":")).encode(),
        media_type="application/json",
    )
