"""Billing events become notifications (and analytics events) in billing's own transaction."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import text

from resumate.modules.billing import service as billing_service
from tests.billing.conftest import billing_on, set_quotas  # noqa: F401 - fixture
from tests.factories import new_user_headers

API = "/api/v1"


async def _kinds(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    response = await client.get(f"{API}/notifications", headers=headers)
    return [n["kind"] for n in response.json()["data"]]


async def test_quota_thresholds_notify(client: httpx.AsyncClient, session, billing_on) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    await set_quotas(session, "free", resumes=5)
    _, headers = await new_user_headers(client)
    for n in range(5):
        created = await client.post(
            f"{API}/resumes", headers=headers, json={"title": f"R{n}", "data": {"basics": {}}}
        )
        assert created.status_code == 201, created.text
        expected = {3: ["quota_warning"], 4: ["quota_reached", "quota_warning"]}.get(n, [])
        assert await _kinds(client, headers) == expected
    refused = await client.post(
        f"{API}/resumes", headers=headers, json={"title": "R6", "data": {"basics": {}}}
    )
    assert refused.status_code == 402
    items = (await client.get(f"{API}/notifications", headers=headers)).json()["data"]
    assert items[0]["title"] == "You have reached your resumes quota"
    assert items[0]["body"] == "5 of 5 used this period."
    assert items[1]["title"] == "You have used 80% of your resumes quota"
    dashboard = (await client.get(f"{API}/dashboard", headers=headers)).json()["data"]
    (resumes,) = [q for q in dashboard["usage"] if q["quota"] == "resumes"]
    assert resumes["used"] == 5 and resumes["limit"] == 5


async def test_subscription_events_notify_and_count(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    user, headers = await new_user_headers(client)
    user_id = uuid.UUID(user["id"])
    await billing_service._emit(
        session, user_id, "checkout_started", plan="pro", subscription_id="I-1"
    )
    await billing_service._emit(session, user_id, "subscription_activated", plan="pro")
    await billing_service._emit(
        session, user_id, "subscription_cancelled", plan="pro", ends_at="x", ends_on="2027-01-31"
    )
    await session.commit()
    items = (await client.get(f"{API}/notifications", headers=headers)).json()["data"]
    assert [n["kind"] for n in items] == ["subscription_cancelled", "subscription_activated"]
    assert items[0]["body"] == "Your pro plan ends on 2027-01-31."
    events = await session.execute(
        text("SELECT event FROM analytics_events WHERE owner_id = :u ORDER BY id"),
        {"u": user["id"]},
    )
    assert [e for (e,) in events][-2:] == ["checkout_started", "subscription_activated"]
