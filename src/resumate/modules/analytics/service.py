"""Recording and counting events (views, downloads...) of resources."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from resumate.modules.analytics.models import AnalyticsEvent


async def record_event(
    session: AsyncSession,
    *,
    owner_id: uuid.UUID | None,
    resource_type: str,
    resource_id: uuid.UUID,
    event: str,
    meta: dict[str, Any] | None = None,
) -> None:
    session.add(
        AnalyticsEvent(
            owner_id=owner_id,
            resource_type=resource_type,
            resource_id=resource_id,
            event=event,
            meta=meta or {},
        )
    )
    await session.flush()


async def event_counts(
    session: AsyncSession, *, resource_type: str, resource_id: uuid.UUID, days: int = 30
) -> dict[str, Any]:
    """Totals per event and a per-day series over the last ``days`` days."""
    base = (AnalyticsEvent.resource_type == resource_type) & (
        AnalyticsEvent.resource_id == resource_id
    )
    totals = dict(
        (
            await session.execute(
                select(AnalyticsEvent.event, func.count())
                .where(base)
                .group_by(AnalyticsEvent.event)
            )
        ).all()
    )
    since = datetime.now(UTC) - timedelta(days=days - 1)
    day = cast(func.timezone("UTC", AnalyticsEvent.created_at), Date)
    rows = (
        await session.execute(
            select(day, AnalyticsEvent.event, func.count())
            .where(base, AnalyticsEvent.created_at >= since.replace(hour=0, minute=0, second=0))
            .group_by(day, AnalyticsEvent.event)
        )
    ).all()
    per_day: dict[date, dict[str, int]] = {}
    for when, event, count in rows:
        per_day.setdefault(when, {})[event] = count
    return {"totals": {str(k): int(v) for k, v in totals.items()}, "per_day": per_day}
