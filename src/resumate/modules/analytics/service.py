"""Product analytics: an append-only event log written where things happen, daily rollups kept
forever, and the raw events pruned after ``RESUMATE_ANALYTICS_RETENTION_DAYS`` (default 90).

Events name what happened and to which resource; their ``meta`` holds no personal data (only
the keys in ``META_KEYS``, with short scalar values; anything else is dropped). Days before
``analytics_rollup_state.rolled_until`` are read from the rollups, later ones from raw events,
so a count never changes when raw events are pruned.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import Insert, bindparam, insert, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import FromClause

from resumate.core import usercache
from resumate.core.errors import ValidationFailed
from resumate.core.text import clean_text
from resumate.modules.analytics.models import AnalyticsEvent
from resumate.modules.users import providers as user_providers

# What is recorded, and where.
SIGNUP = "signup"
LOGIN = "login"
RESUME_CREATED = "resume_created"
PDF_RENDERED = "pdf_rendered"
CV_UPLOADED = "cv_uploaded"
CV_ANALYSED = "cv_analysed"
CV_ANALYSIS_FAILED = "cv_analysis_failed"
JOB_CREATED = "job_created"
MATCHES_VIEWED = "matches_viewed"
SHARE_VIEWED = "share_viewed"
SHARE_DOWNLOADED = "share_downloaded"
CHECKOUT_STARTED = "checkout_started"
SUBSCRIPTION_ACTIVATED = "subscription_activated"

EVENTS = (
    SIGNUP,
    LOGIN,
    RESUME_CREATED,
    PDF_RENDERED,
    CV_UPLOADED,
    CV_ANALYSED,
    CV_ANALYSIS_FAILED,
    JOB_CREATED,
    MATCHES_VIEWED,
    SHARE_VIEWED,
    SHARE_DOWNLOADED,
    CHECKOUT_STARTED,
    SUBSCRIPTION_ACTIVATED,
)
# Done by someone else to the owner's resource: not activity of the owner.
VISITOR_EVENTS = (SHARE_VIEWED, SHARE_DOWNLOADED)
# Counted per resource too (resume stats).
RESOURCE_EVENTS = VISITOR_EVENTS
ACTIVE = "active"  # the platform rollup's distinct active users per day

META_KEYS = frozenset(
    {"template", "pages", "file_kind", "score", "provider", "count", "plan", "interval", "cached"}
)
MAX_RANGE_DAYS = 3700


def _safe_meta(meta: dict[str, Any] | None) -> dict[str, Any]:
    safe: dict[str, Any] = {}
    for key, value in (meta or {}).items():
        if key not in META_KEYS:
            continue
        if isinstance(value, bool | int | float) or value is None:
            safe[key] = value
        elif isinstance(value, str):
            safe[key] = clean_text(value)[:40]
    return safe


async def record_event(
    session: AsyncSession,
    *,
    owner_id: uuid.UUID | None,
    resource_type: str,
    resource_id: uuid.UUID,
    event: str,
    meta: dict[str, Any] | None = None,
) -> None:
    """Append one event in ``session``'s transaction (it exists only if the cause commits)."""
    session.add(
        AnalyticsEvent(
            owner_id=owner_id,
            resource_type=resource_type,
            resource_id=resource_id,
            event=event,
            meta=_safe_meta(meta),
        )
    )
    usercache.touch(session, owner_id)
    await session.flush()


def event_per_row(rows: FromClause) -> Insert:
    """The INSERT of the event ``record_event`` appends, once per row of ``rows`` (a CTE of
    the caller's own write): a write and its event in one statement, the event only if the
    write happened. Build it once; ``event_params`` gives its parameters for each execution.
    The caller runs it in its transaction and calls ``usercache.touch``."""
    return insert(AnalyticsEvent).from_select(
        ["owner_id", "resource_type", "resource_id", "event", "meta"],
        select(
            bindparam("event_owner_id", type_=AnalyticsEvent.owner_id.type),
            bindparam("event_resource_type", type_=AnalyticsEvent.resource_type.type),
            bindparam("event_resource_id", type_=AnalyticsEvent.resource_id.type),
            bindparam("event_name", type_=AnalyticsEvent.event.type),
            bindparam("event_meta", type_=JSONB),
        ).select_from(rows),
    )


def event_params(
    *,
    owner_id: uuid.UUID | None,
    resource_type: str,
    resource_id: uuid.UUID,
    event: str,
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The parameters of an ``event_per_row`` statement (``meta`` filtered as recorded)."""
    return {
        "event_owner_id": owner_id,
        "event_resource_type": resource_type,
        "event_resource_id": resource_id,
        "event_name": event,
        "event_meta": _safe_meta(meta),
    }


async def _rolled_until(session: AsyncSession) -> date:
    value = (
        await session.execute(text("SELECT rolled_until FROM analytics_rollup_state WHERE id = 1"))
    ).scalar_one_or_none()
    return value or datetime.now(UTC).date()


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


# ---- per resource (resume stats) ----------------------------------------------------------


async def event_counts(
    session: AsyncSession, *, resource_type: str, resource_id: uuid.UUID, days: int = 30
) -> dict[str, Any]:
    """Totals per event and a per-day series over the last ``days`` days."""
    rolled = await _rolled_until(session)
    since = datetime.now(UTC).date() - timedelta(days=days - 1)
    rows = (
        await session.execute(
            text(
                """
                SELECT day, event, sum(n)::bigint FROM (
                    SELECT day, event, count AS n FROM analytics_resource_daily
                    WHERE resource_type = :rtype AND resource_id = :rid AND day < :rolled
                    UNION ALL
                    SELECT (created_at AT TIME ZONE 'UTC')::date, event, count(*)
                    FROM analytics_events
                    WHERE resource_type = :rtype AND resource_id = :rid
                      AND created_at >= :rolled_at
                    GROUP BY 1, 2
                ) AS both_sources GROUP BY 1, 2
                """
            ),
            {
                "rtype": resource_type,
                "rid": resource_id,
                "rolled": rolled,
                "rolled_at": _start(rolled),
            },
        )
    ).all()
    totals: dict[str, int] = {}
    per_day: dict[date, dict[str, int]] = {}
    for day, event, count in rows:
        totals[event] = totals.get(event, 0) + int(count)
        if day >= since:
            per_day.setdefault(day, {})[event] = int(count)
    return {"totals": totals, "per_day": per_day}


# ---- my activity over time ---------------------------------------------------------------

Interval = Literal["day", "week", "month"]


def _bucket(day: date, interval: Interval) -> date:
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def _periods(start: date, end: date, interval: Interval) -> list[date]:
    periods: list[date] = []
    current = _bucket(start, interval)
    while current <= end:
        periods.append(current)
        if interval == "day":
            current += timedelta(days=1)
        elif interval == "week":
            current += timedelta(days=7)
        else:
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    return periods


async def summary(
    session: AsyncSession, *, owner_id: uuid.UUID, start: date, end: date, interval: Interval
) -> dict[str, Any]:
    """My events counted per day, week (from Monday) or month between two dates (inclusive)."""
    if end < start:
        raise ValidationFailed(
            "'from' must not be after 'to'",
            details={"errors": [{"path": "$.from", "message": "after 'to'"}]},
        )
    if (end - start).days > MAX_RANGE_DAYS:
        raise ValidationFailed(f"The range is limited to {MAX_RANGE_DAYS} days")
    rolled = await _rolled_until(session)
    # Summed per period and event in the database: at most periods x events rows come back.
    # ``date_trunc('week', ...)`` starts weeks on Monday, like ``_bucket``.
    rows = (
        await session.execute(
            text(
                """
                SELECT date_trunc(:unit, day::timestamp)::date, event, sum(n)::bigint FROM (
                    SELECT day, event, count AS n FROM analytics_daily
                    WHERE owner_id = :owner AND day >= :start AND day <= :end AND day < :rolled
                    UNION ALL
                    SELECT (created_at AT TIME ZONE 'UTC')::date, event, count(*)
                    FROM analytics_events
                    WHERE owner_id = :owner AND created_at >= :raw_from AND created_at < :raw_to
                    GROUP BY 1, 2
                ) AS both_sources GROUP BY 1, 2
                """
            ),
            {
                "unit": interval,
                "owner": owner_id,
                "start": start,
                "end": end,
                "rolled": rolled,
                "raw_from": _start(max(start, rolled)),
                "raw_to": _start(end + timedelta(days=1)),
            },
        )
    ).all()
    periods = _periods(start, end, interval)
    counts: dict[date, dict[str, int]] = {}
    totals: dict[str, int] = {}
    for period, event, count in rows:
        counts.setdefault(period, {})[event] = int(count)
        totals[event] = totals.get(event, 0) + int(count)
    events = sorted(set(EVENTS) | set(totals))
    zero = dict.fromkeys(events, 0)
    return {
        "from": start,
        "to": end,
        "interval": interval,
        "events": events,
        "totals": {**zero, **totals},
        "series": [
            {"period": p, "counts": {**zero, **counts[p]} if p in counts else dict(zero)}
            for p in periods
        ],
    }


async def recent_activity(
    session: AsyncSession, *, owner_id: uuid.UUID, limit: int = 10
) -> list[dict[str, Any]]:
    rows = await session.execute(
        text(
            "SELECT event, resource_type, resource_id, created_at FROM analytics_events "
            "WHERE owner_id = :owner ORDER BY created_at DESC, id DESC LIMIT :limit"
        ),
        {"owner": owner_id, "limit": limit},
    )
    return [
        {"event": e, "resource_type": t, "resource_id": str(r), "created_at": c.isoformat()}
        for e, t, r, c in rows
    ]


# ---- rollups and pruning (periodic job) --------------------------------------------------


async def roll_up(session: AsyncSession, *, today: date | None = None) -> dict[str, Any]:
    """Recompute the rollups of every complete day not yet rolled up (and yesterday again, for
    transactions that committed just after midnight), then advance ``rolled_until``."""
    today = today or datetime.now(UTC).date()
    rolled = (
        await session.execute(
            text("SELECT rolled_until FROM analytics_rollup_state WHERE id = 1 FOR UPDATE")
        )
    ).scalar_one_or_none()
    if rolled is None:
        await session.execute(
            text("INSERT INTO analytics_rollup_state (id, rolled_until) VALUES (1, :d)"),
            {"d": today},
        )
        rolled = today
    start = min(rolled, today - timedelta(days=1))
    if start >= today:
        return {"from": start, "to": today, "days": 0}
    params = {
        "start": start,
        "end": today,
        "start_at": _start(start),
        "end_at": _start(today),
        "visitor": list(VISITOR_EVENTS),
        "resource_events": list(RESOURCE_EVENTS),
        "active": ACTIVE,
    }
    for table in ("analytics_daily", "analytics_resource_daily", "analytics_platform_daily"):
        await session.execute(
            text(f"DELETE FROM {table} WHERE day >= :start AND day < :end"),  # noqa: S608
            params,
        )
    day = "(created_at AT TIME ZONE 'UTC')::date"
    window = "created_at >= :start_at AND created_at < :end_at"
    await session.execute(
        text(
            f"""
            INSERT INTO analytics_daily (owner_id, day, event, count)
            SELECT owner_id, {day}, event, count(*) FROM analytics_events
            WHERE {window} AND owner_id IS NOT NULL GROUP BY 1, 2, 3
            """  # noqa: S608
        ),
        params,
    )
    await session.execute(
        text(
            f"""
            INSERT INTO analytics_resource_daily (resource_type, resource_id, event, day, count)
            SELECT resource_type, resource_id, event, {day}, count(*) FROM analytics_events
            WHERE {window} AND event = ANY(:resource_events) GROUP BY 1, 2, 3, 4
            """  # noqa: S608
        ),
        params,
    )
    await session.execute(
        text(
            f"""
            INSERT INTO analytics_platform_daily (day, event, count, users)
            SELECT {day}, event, count(*), count(DISTINCT owner_id) FROM analytics_events
            WHERE {window} GROUP BY 1, 2
            UNION ALL
            SELECT {day}, :active, count(*), count(DISTINCT owner_id) FROM analytics_events
            WHERE {window} AND owner_id IS NOT NULL AND NOT (event = ANY(:visitor))
            GROUP BY 1
            """  # noqa: S608
        ),
        params,
    )
    await session.execute(
        text("UPDATE analytics_rollup_state SET rolled_until = :end WHERE id = 1"), params
    )
    return {"from": start, "to": today, "days": (today - start).days}


async def prune(
    session: AsyncSession, *, retention_days: int, today: date | None = None, batch: int = 50_000
) -> int:
    """Delete raw events older than the retention period that are already rolled up."""
    today = today or datetime.now(UTC).date()
    rolled = await _rolled_until(session)
    cutoff = _start(min(rolled, today - timedelta(days=retention_days)))
    result = await session.execute(
        text(
            "DELETE FROM analytics_events WHERE id IN (SELECT id FROM analytics_events "
            "WHERE created_at < :cutoff LIMIT :batch)"
        ),
        {"cutoff": cutoff, "batch": batch},
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


# ---- the platform (admin metrics) --------------------------------------------------------


async def platform_metrics(session: AsyncSession) -> dict[str, Any]:
    """Active users (last day, 7 and 30 days) and event counts over the same windows."""
    now = datetime.now(UTC)
    params = {
        "d1": now - timedelta(days=1),
        "d7": now - timedelta(days=7),
        "d30": now - timedelta(days=30),
        "visitor": list(VISITOR_EVENTS),
    }
    active = (
        await session.execute(
            text(
                """
                SELECT count(DISTINCT owner_id) FILTER (WHERE created_at >= :d1),
                       count(DISTINCT owner_id) FILTER (WHERE created_at >= :d7),
                       count(DISTINCT owner_id)
                FROM analytics_events
                WHERE created_at >= :d30 AND owner_id IS NOT NULL AND NOT (event = ANY(:visitor))
                """
            ),
            params,
        )
    ).one()
    rows = await session.execute(
        text(
            """
            SELECT event, count(*) FILTER (WHERE created_at >= :d1),
                   count(*) FILTER (WHERE created_at >= :d7), count(*)
            FROM analytics_events WHERE created_at >= :d30 GROUP BY event
            """
        ),
        params,
    )
    events = {
        event: {"last_day": int(a), "last_7_days": int(b), "last_30_days": int(c)}
        for event, a, b, c in rows
    }
    return {
        "active_users": {"dau": int(active[0]), "wau": int(active[1]), "mau": int(active[2])},
        "events": events,
    }


async def queue_metrics(session: AsyncSession) -> dict[str, Any]:
    """Jobs waiting, running and failed (procrastinate's tables), per queue."""
    rows = await session.execute(
        text(
            "SELECT queue_name, status::text, count(*) FROM procrastinate_jobs "
            "WHERE status IN ('todo', 'doing', 'failed') GROUP BY 1, 2"
        )
    )
    queues: dict[str, dict[str, int]] = {}
    totals = {"todo": 0, "doing": 0, "failed": 0}
    for queue_name, status, count in rows:
        queues.setdefault(queue_name, {"todo": 0, "doing": 0, "failed": 0})[status] = int(count)
        totals[status] += int(count)
    failed_recent = (
        await session.execute(
            text(
                "SELECT count(*) FROM procrastinate_events WHERE type = 'failed' "
                "AND at >= now() - interval '24 hours'"
            )
        )
    ).scalar_one()
    return {
        "depth": totals["todo"],
        "running": totals["doing"],
        "failed": totals["failed"],
        "failed_last_24h": int(failed_recent),
        "queues": queues,
    }


async def _export(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    today = datetime.now(UTC).date()
    document = await summary(
        session, owner_id=user_id, start=today - timedelta(days=365), end=today, interval="month"
    )
    return json.loads(json.dumps(document, default=str))


user_providers.register_user_data(user_providers.UserDataProvider(name="activity", export=_export))
