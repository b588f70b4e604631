"""Admin: plans CRUD and the subscriptions list (MRR and churn are in test_paypal)."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from resumate.config import Settings
from tests.auth.test_admin import make_admin
from tests.billing.conftest import API
from tests.factories import new_user_headers

NEW_PLAN = {
    "slug": "team",
    "name": "Équipe 团队 🚀",
    "price": "29.50",
    "currency": "EUR",
    "interval": "year",
    "quotas": {"resumes": 500, "pdf_renders": None, "cv_analyses": 1000, "saved_jobs": None},
}


async def test_plans_are_admin_only(client: httpx.AsyncClient) -> None:
    _, headers = await new_user_headers(client)
    for method, path in (
        ("POST", f"{API}/admin/plans"),
        ("GET", f"{API}/admin/plans"),
        ("GET", f"{API}/admin/subscriptions"),
        ("PATCH", f"{API}/admin/plans/00000000-0000-0000-0000-000000000000"),
    ):
        response = await client.request(method, path, json=NEW_PLAN, headers=headers)
        assert response.status_code == 403, (method, path, response.text)


async def test_create_update_and_list_plans(
    client: httpx.AsyncClient, session: AsyncSession, billing_on: Settings
) -> None:
    headers = await make_admin(client, session)
    created = await client.post(f"{API}/admin/plans", json=NEW_PLAN, headers=headers)
    assert created.status_code == 201, created.text
    plan = created.json()["data"]
    assert plan["name"] == NEW_PLAN["name"] and plan["price"] == "29.50"
    assert plan["quotas"] == NEW_PLAN["quotas"] and plan["paypal_plan_id"] is None
    public = (await client.get(f"{API}/billing/plans")).json()["data"]
    assert "team" in [p["slug"] for p in public]

    again = await client.post(f"{API}/admin/plans", json=NEW_PLAN, headers=headers)
    assert again.status_code == 409

    linked = await client.patch(
        f"{API}/admin/plans/{plan['id']}",
        json={"paypal_plan_id": "P-5ML4271244454362WXNWU5NQ"},
        headers=headers,
    )
    assert linked.json()["data"]["paypal_plan_id"] == "P-5ML4271244454362WXNWU5NQ"
    # Quotas merge; a new price drops the PayPal plan (sync-paypal makes a new one).
    changed = await client.patch(
        f"{API}/admin/plans/{plan['id']}",
        json={"price": "35.00", "quotas": {"resumes": 50}, "is_public": False},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    data = changed.json()["data"]
    assert data["price"] == "35.00" and data["paypal_plan_id"] is None
    assert data["quotas"] == {**NEW_PLAN["quotas"], "resumes": 50}
    public = (await client.get(f"{API}/billing/plans")).json()["data"]
    assert "team" not in [p["slug"] for p in public]
    every = (await client.get(f"{API}/admin/plans", headers=headers)).json()["data"]
    assert "team" in [p["slug"] for p in every]


async def test_bad_plans_are_422(client: httpx.AsyncClient, session: AsyncSession) -> None:
    headers = await make_admin(client, session)
    for change in (
        {"quotas": {"resumes": 1}},  # every quota must be given
        {"quotas": {**NEW_PLAN["quotas"], "storage": 5}},
        {"quotas": {**NEW_PLAN["quotas"], "resumes": -1}},
        {"name": "bad\x00name"},
        {"name": "bad\ud800name"},
        {"slug": "Not A Slug"},
        {"price": "-1"},
        {"price": "1.005"},
        {"currency": "euro"},
        {"interval": "week"},
    ):
        response = await client.post(
            f"{API}/admin/plans",
            content=__import__("json").dumps({**NEW_PLAN, **change}),
            headers={**headers, "Content-Type": "application/json"},
        )
        assert response.status_code == 422, (change, response.text)
        assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    free = next(
        p
        for p in (await client.get(f"{API}/admin/plans", headers=headers)).json()["data"]
        if p["slug"] == "free"
    )
    off = await client.patch(
        f"{API}/admin/plans/{free['id']}", json={"is_active": False}, headers=headers
    )
    assert off.status_code == 422
    missing = await client.patch(
        f"{API}/admin/plans/00000000-0000-0000-0000-000000000000", json={}, headers=headers
    )
    assert missing.status_code == 404


async def test_metrics_include_billing(client: httpx.AsyncClient, session: AsyncSession) -> None:
    headers = await make_admin(client, session)
    metrics = (await client.get(f"{API}/admin/metrics", headers=headers)).json()["data"]
    billing = metrics["billing"]
    assert billing["mode"] == "off"
    assert set(billing) >= {"mrr", "active_subscriptions", "churned_last_30_days"}
