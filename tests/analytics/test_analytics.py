"""The event log, rollups and pruning, my summary over time, and the admin metrics."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx
from sqlalchemy import text

from resumate.core.queue import queue
from resumate.modules.analytics import service as analytics_service
from resumate.modules.analytics.schemas import Summary
from resumate.registry import import_all_tasks
from tests.auth.test_admin import make_admin
from tests.factories import new_user_headers

API = "/api/v1"


async def _add(
    session, owner: str, event: str, when: datetime, resource: str | None = None
) -> None:  # type: ignore[no-untyped-def]
    await session.execute(
        text(
            "INSERT INTO analytics_events (owner_id, resource_type, resource_id, event, meta, "
            "created_at) VALUES (:o, 'resume', :r, :e, '{}', :t)"
        ),
        {"o": owner, "r": resource or str(uuid.uuid4()), "e": event, "t": when},
    )


def _at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


async def _summary(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> Any:
    response = await client.get(f"{API}/analytics/summary", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def test_events_are_written_where_things_happen(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    user, headers = await new_user_headers(client)
    created = await client.post(
        f"{API}/resumes", headers=headers, json={"title": "CV", "data": {"basics": {"name": "A"}}}
    )
    assert created.status_code == 201
    job = await client.post(
        f"{API}/jobs",
        headers=headers,
        json={
            "title": "Nurse",
            "description": "ICU nurse with five years of critical care experience.",
            "location_type": "on-site",
        },
    )
    assert job.status_code == 201, job.text
    today = datetime.now(UTC).date()
    data = await _summary(
        client, headers, **{"from": str(today - timedelta(days=6)), "to": str(today)}
    )
    assert data["interval"] == "day" and data["from"] == str(today - timedelta(days=6))
    assert [p["period"] for p in data["series"]] == [
        str(today - timedelta(days=n)) for n in range(6, -1, -1)
    ]
    assert data["series"][-1]["counts"]["signup"] == 1
    assert data["series"][-1]["counts"]["login"] == 1  # the bearer token
    assert data["series"][-1]["counts"]["resume_created"] == 1
    assert data["series"][-1]["counts"]["job_created"] == 1
    assert data["series"][0]["counts"]["signup"] == 0
    assert data["totals"]["resume_created"] == 1
    # Nothing personal in payloads.
    metas = await session.execute(
        text("SELECT DISTINCT meta::text FROM analytics_events WHERE owner_id = :u"),
        {"u": user["id"]},
    )
    assert {m for (m,) in metas} == {"{}"}


async def test_meta_keeps_only_known_keys(session) -> None:  # type: ignore[no-untyped-def]
    assert analytics_service._safe_meta(
        {"email": "a@b.c", "template": "classic", "pages": 2, "name": "Ana", "score": None}
    ) == {"template": "classic", "pages": 2, "score": None}
    assert analytics_service._safe_meta({"template": "x\x00" * 50})["template"] == "x" * 40


async def test_summary_validation(client: httpx.AsyncClient) -> None:
    _, headers = await new_user_headers(client)
    url = f"{API}/analytics/summary"
    for params in (
        {"from": "2026-02-01", "to": "2026-01-01"},
        {"from": "2000-01-01", "to": "2026-01-01"},
        {"from": "yesterday"},
        {"interval": "hour"},
    ):
        response = await client.get(url, headers=headers, params=params)
        assert response.status_code == 422, (params, response.text)
    default = await client.get(url, headers=headers)
    assert default.status_code == 200 and len(default.json()["data"]["series"]) == 30


async def test_rollups_keep_counts_when_raw_events_are_pruned(
    client: httpx.AsyncClient,
    session,  # type: ignore[no-untyped-def]
) -> None:
    user, headers = await new_user_headers(client)
    owner = user["id"]
    resume = await client.post(
        f"{API}/resumes", headers=headers, json={"title": "R", "data": {"basics": {"name": "R"}}}
    )
    resume_id = resume.json()["data"]["id"]
    today = datetime.now(UTC).date()
    await session.execute(
        text("UPDATE analytics_rollup_state SET rolled_until = :d"),
        {"d": today - timedelta(days=400)},
    )
    old = today - timedelta(days=120)
    for days_ago, event in ((120, "pdf_rendered"), (120, "pdf_rendered"), (40, "pdf_rendered")):
        await _add(session, owner, event, _at(today - timedelta(days=days_ago)))
    for days_ago in (120, 3, 0):
        await _add(
            session, owner, "share_viewed", _at(today - timedelta(days=days_ago), 1), resume_id
        )
    # A transaction that committed just after midnight is counted on its own day.
    await _add(session, owner, "pdf_rendered", _at(today - timedelta(days=1), 0))

    span = {"from": str(today - timedelta(days=365)), "to": str(today), "interval": "month"}
    before = await _summary(client, headers, **span)
    stats_before = (await client.get(f"{API}/resumes/{resume_id}/stats", headers=headers)).json()
    assert before["totals"]["pdf_rendered"] == 4
    assert before["totals"]["share_viewed"] == 3
    assert stats_before["data"]["views"] == 3

    rolled = await analytics_service.roll_up(session, today=today)
    assert rolled["days"] == 400
    state = await session.execute(text("SELECT rolled_until FROM analytics_rollup_state"))
    assert state.scalar_one() == today
    pruned = await analytics_service.prune(session, retention_days=90, today=today)
    assert pruned >= 3
    remaining = await session.execute(
        text("SELECT count(*) FROM analytics_events WHERE owner_id = :u AND created_at < :c"),
        {"u": owner, "c": _at(today - timedelta(days=90), 0)},
    )
    assert remaining.scalar_one() == 0
    rows = await session.execute(
        text("SELECT day, event, count FROM analytics_daily WHERE owner_id = :u AND day = :d"),
        {"u": owner, "d": old},
    )
    assert sorted(rows.all()) == [(old, "pdf_rendered", 2), (old, "share_viewed", 1)]

    after = await _summary(client, headers, **span)
    assert after == before
    stats_after = (await client.get(f"{API}/resumes/{resume_id}/stats", headers=headers)).json()
    assert stats_after["data"]["views"] == 3
    by_week = await _summary(client, headers, **{**span, "interval": "week"})
    assert sum(p["counts"]["pdf_rendered"] for p in by_week["series"]) == 4
    assert all(date.fromisoformat(p["period"]).weekday() == 0 for p in by_week["series"])

    # Running it again changes nothing (idempotent), and the platform rollup counts users.
    await analytics_service.roll_up(session, today=today)
    assert await _summary(client, headers, **span) == before
    platform = await session.execute(
        text("SELECT users FROM analytics_platform_daily WHERE day = :d AND event = 'active'"),
        {"d": old},
    )
    assert platform.scalar_one() >= 1


async def test_rollup_job_is_periodic() -> None:
    # What a worker registers at start-up (it passed only when another test had imported the
    # analytics tasks first).
    import_all_tasks()
    assert "analytics_rollup" in queue.tasks
    periodic = [t.periodic_id for t in queue.periodic_registry.periodic_tasks.values()]
    assert "analytics_rollup" in periodic


async def test_admin_metrics(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    admin = await make_admin(client, session)
    _, headers = await new_user_headers(client)
    await client.post(
        f"{API}/resumes", headers=headers, json={"title": "R", "data": {"basics": {"name": "R"}}}
    )
    await session.execute(
        text(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, args, status) "
            "VALUES ('default', 'analyze_cv', '{}', 'failed'), ('default', 'x', '{}', 'todo')"
        )
    )
    response = await client.get(f"{API}/admin/metrics", headers=admin)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["signups"]["last_day"] >= 2
    assert data["activity"]["dau"] >= 2  # the admin's and the user's logins
    assert data["activity"]["mau"] >= data["activity"]["wau"] >= data["activity"]["dau"]
    assert data["events"]["resume_created"]["last_day"] >= 1
    assert set(data["analyses"]) == {"ready", "failed"}
    assert data["queue"]["depth"] >= 1 and data["queue"]["failed"] >= 1
    assert data["storage"]["bytes"] == sum(data["storage"]["by_kind"].values())
    assert set(data["storage"]["by_kind"]) >= {"cvs", "resumes"}
    assert data["billing"]["mode"] == "off"  # billing's section
    assert (await client.get(f"{API}/admin/metrics", headers=headers)).status_code == 403


def _expected_summary(
    events: list[tuple[datetime, str]], start: date, end: date, interval: str
) -> dict[str, Any]:
    """The summary counted the plain way: every raw event put in its UTC day's period."""

    def bucket(day: date) -> date:
        if interval == "week":
            return day - timedelta(days=day.weekday())
        if interval == "month":
            return day.replace(day=1)
        return day

    periods: list[date] = []
    day = start
    while day <= end:
        if bucket(day) not in periods:
            periods.append(bucket(day))
        day += timedelta(days=1)
    counts: dict[date, dict[str, int]] = {p: {} for p in periods}
    totals: dict[str, int] = {}
    for when, event in events:
        day = when.astimezone(UTC).date()
        if start <= day <= end:
            counts[bucket(day)][event] = counts[bucket(day)].get(event, 0) + 1
            totals[event] = totals.get(event, 0) + 1
    names = sorted(set(analytics_service.EVENTS) | set(totals))
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "interval": interval,
        "events": names,
        "totals": {e: totals.get(e, 0) for e in names},
        "series": [
            {"period": p.isoformat(), "counts": {e: counts[p].get(e, 0) for e in names}}
            for p in periods
        ],
    }


async def test_summary_matches_a_straightforward_count(
    client: httpx.AsyncClient,
    session,  # type: ignore[no-untyped-def]
) -> None:
    """Periods summed in SQL from rollups, raw events and today's events give the plain count, for
    day, week and month, at midnight UTC, whatever the database session's time zone."""
    user, headers = await new_user_headers(client)
    owner = user["id"]
    today = datetime.now(UTC).date()
    # Around every week and month start of the past year, and just before/after midnight UTC.
    days = {today - timedelta(days=n) for n in (0, 1, 2, 6, 7, 8, 13, 29, 30, 31, 45, 100, 364)}
    for n in range(0, 380, 7):
        day = today - timedelta(days=n)
        days |= {day - timedelta(days=day.weekday()), day.replace(day=1)}
    kinds = ["pdf_rendered", "resume_created", "share_viewed", "legacy_kind"]
    for i, day in enumerate(sorted(days)):
        await _add(session, owner, kinds[i % 4], datetime.combine(day, time.min, tzinfo=UTC))
        await _add(session, owner, kinds[(i + 1) % 4], datetime.combine(day, time.max, tzinfo=UTC))
        await _add(session, owner, kinds[(i + 2) % 4], _at(day, 12))
    # A late evening in Los Angeles is the next day in UTC.
    la_evening = datetime(today.year, today.month, today.day, 1, 30, tzinfo=UTC)
    await _add(session, owner, "pdf_rendered", la_evening)
    rows = await session.execute(
        text("SELECT created_at, event FROM analytics_events WHERE owner_id = :u"), {"u": owner}
    )
    events = [(when, event) for when, event in rows]

    # Days before ten days ago from the rollups (raw events pruned after 90), later ones raw.
    await session.execute(
        text("UPDATE analytics_rollup_state SET rolled_until = :d"),
        {"d": today - timedelta(days=400)},
    )
    await analytics_service.roll_up(session, today=today - timedelta(days=10))
    await analytics_service.prune(session, retention_days=90, today=today)

    ranges = [
        (today - timedelta(days=364), today),
        (today - timedelta(days=45), today - timedelta(days=3)),
        (today - timedelta(days=12), today - timedelta(days=8)),
        (today, today),
    ]
    for zone in ("Pacific/Kiritimati", "America/Los_Angeles"):
        await session.execute(text(f"SET LOCAL TIME ZONE '{zone}'"))
        for start, end in ranges:
            for interval in ("day", "week", "month"):
                params = {"from": str(start), "to": str(end), "interval": interval}
                got = await _summary(client, headers, **params)
                assert got == _expected_summary(events, start, end, interval), (zone, params)
                assert Summary.model_validate(got).model_dump(mode="json", by_alias=True) == got
