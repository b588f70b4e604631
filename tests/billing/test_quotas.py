"""Plans and quotas through the API, in both billing modes."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from resumate.config import ConfigError, Settings, ensure_secrets
from resumate.modules.resumes import service as resume_service
from resumate.rendering.pdf import sample_resume
from tests.billing.conftest import API, set_quotas
from tests.cvs.files import make_pdf
from tests.factories import new_user_headers


async def create_resume(client: httpx.AsyncClient, headers: dict[str, str]) -> httpx.Response:
    payload = {"title": "CV", "data": copy.deepcopy(sample_resume())}
    return await client.post(f"{API}/resumes", json=payload, headers=headers)


def usage_of(rows: list[dict[str, Any]], quota: str) -> dict[str, Any]:
    return next(row for row in rows if row["quota"] == quota)


# ---- billing off (the default) ---------------------------------------------------------------


async def test_off_mode_is_unlimited_and_checkout_is_disabled(client: httpx.AsyncClient) -> None:
    _, headers = await new_user_headers(client)
    plans = (await client.get(f"{API}/billing/plans")).json()["data"]
    assert [p["slug"] for p in plans] == ["self-hosted"]
    assert set(plans[0]["quotas"].values()) == {None}
    for _ in range(5):  # free allows 3: nothing is limited when billing is off
        assert (await create_resume(client, headers)).status_code == 201
    sub = (await client.get(f"{API}/billing/subscription", headers=headers)).json()["data"]
    assert sub == {
        "plan": "self-hosted",
        "status": "active",
        "current_period_end": None,
        "cancel_at_period_end": False,
    }
    usage = (await client.get(f"{API}/billing/usage", headers=headers)).json()["data"]
    assert usage_of(usage, "resumes") == {
        "quota": "resumes",
        "used": 5,
        "limit": None,
        "resets_at": None,
    }
    checkout = await client.post(f"{API}/billing/checkout", json={"plan": "pro"}, headers=headers)
    assert checkout.status_code == 409, checkout.text
    error = checkout.json()["error"]
    assert error["code"] == "BILLING_DISABLED"
    assert "RESUMATE_BILLING" in error["message"]
    cancel = await client.post(f"{API}/billing/cancel", headers=headers)
    assert cancel.json()["error"]["code"] == "BILLING_DISABLED"


def test_paypal_mode_names_each_missing_setting(settings: Settings) -> None:
    broken = settings.model_copy(update={"billing": "paypal"})
    with pytest.raises(ConfigError) as caught:
        ensure_secrets(broken)
    message = str(caught.value)
    for name in (
        "RESUMATE_PAYPAL_CLIENT_ID",
        "RESUMATE_PAYPAL_CLIENT_SECRET",
        "RESUMATE_PAYPAL_WEBHOOK_ID",
    ):
        assert name in message
    partial = broken.model_copy(
        update={
            "paypal_client_id": "id",
            "paypal_client_secret": SecretStr("secret"),
            "paypal_api_base": "",
        }
    )
    with pytest.raises(ConfigError) as caught:
        ensure_secrets(partial)
    assert "RESUMATE_PAYPAL_WEBHOOK_ID" in str(caught.value)
    assert "RESUMATE_PAYPAL_API_BASE" in str(caught.value)
    assert "CLIENT_ID" not in str(caught.value)


# ---- billing on -------------------------------------------------------------------------------


async def test_plans_are_public_with_their_quotas(
    client: httpx.AsyncClient, billing_on: Settings
) -> None:
    response = await client.get(f"{API}/billing/plans")
    assert response.status_code == 200
    plans = {p["slug"]: p for p in response.json()["data"]}
    assert set(plans) == {"free", "pro"}
    assert plans["free"]["quotas"] == {
        "resumes": 3,
        "pdf_renders": 10,
        "cv_analyses": 5,
        "saved_jobs": 20,
    }
    assert plans["pro"]["price"] == "9.00" and plans["pro"]["currency"] == "EUR"
    assert plans["pro"]["interval"] == "month"
    assert plans["pro"]["quotas"] == {
        "resumes": 100,
        "pdf_renders": None,
        "cv_analyses": 200,
        "saved_jobs": 2000,
    }


async def test_new_account_is_on_free_and_the_resume_quota_holds(
    client: httpx.AsyncClient, billing_on: Settings
) -> None:
    _, headers = await new_user_headers(client)
    sub = (await client.get(f"{API}/billing/subscription", headers=headers)).json()["data"]
    assert sub["plan"] == "free" and sub["status"] == "active"
    for _ in range(3):
        assert (await create_resume(client, headers)).status_code == 201
    over = await create_resume(client, headers)
    assert over.status_code == 402, over.text
    body = over.json()
    assert body["success"] is False
    assert body["error"]["code"] == "QUOTA_EXCEEDED"
    assert body["error"]["details"] == {
        "quota": "resumes",
        "limit": 3,
        "used": 3,
        "resets_at": None,
    }
    listed = await client.get(f"{API}/resumes", headers=headers)
    assert listed.json()["meta"]["pagination"]["total"] == 3
    usage = (await client.get(f"{API}/billing/usage", headers=headers)).json()["data"]
    assert usage_of(usage, "resumes") == {
        "quota": "resumes",
        "used": 3,
        "limit": 3,
        "resets_at": None,
    }
    # Duplicating is creating.
    first = listed.json()["data"][0]["id"]
    dup = await client.post(f"{API}/resumes/{first}/duplicate", headers=headers)
    assert dup.status_code == 402


async def test_downgrade_keeps_data_readable_and_refuses_new_items(
    client: httpx.AsyncClient, session: AsyncSession, billing_on: Settings
) -> None:
    _, headers = await new_user_headers(client)
    ids = []
    for _ in range(3):
        response = await create_resume(client, headers)
        ids.append(response.json()["data"]["id"])
    await set_quotas(session, "free", resumes=1)
    for resume_id in ids:
        assert (await client.get(f"{API}/resumes/{resume_id}", headers=headers)).status_code == 200
    over = await create_resume(client, headers)
    assert over.status_code == 402
    assert over.json()["error"]["details"]["used"] == 3
    assert over.json()["error"]["details"]["limit"] == 1
    # Deleting down to under the limit makes room again.
    for resume_id in ids:
        await client.delete(f"{API}/resumes/{resume_id}", headers=headers)
    assert (await create_resume(client, headers)).status_code == 201


async def test_pdf_renders_are_monthly_and_reuse_is_free(
    client: httpx.AsyncClient,
    session: AsyncSession,
    billing_on: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await set_quotas(session, "free", pdf_renders=1)
    _, headers = await new_user_headers(client)
    resume = (await create_resume(client, headers)).json()["data"]
    first = await client.post(f"{API}/resumes/{resume['id']}/pdf", headers=headers)
    assert first.status_code == 201, first.text
    again = await client.post(f"{API}/resumes/{resume['id']}/pdf", headers=headers)
    assert again.status_code == 201  # the same PDF, reused: not a render
    changed = copy.deepcopy(sample_resume())
    changed["basics"]["name"] = "Someone Else"
    patched = await client.patch(
        f"{API}/resumes/{resume['id']}", json={"data": changed}, headers=headers
    )
    assert patched.status_code == 200, patched.text
    render_calls: list[object] = []
    real_render = resume_service._render

    async def counted_render(*args: Any, **kwargs: Any) -> Any:
        render_calls.append(args)
        return await real_render(*args, **kwargs)

    monkeypatch.setattr(resume_service, "_render", counted_render)
    over = await client.post(f"{API}/resumes/{resume['id']}/pdf", headers=headers)
    assert over.status_code == 402, over.text
    assert render_calls == []  # refused before rendering, not after
    details = over.json()["error"]["details"]
    assert details["quota"] == "pdf_renders"
    assert details["limit"] == 1 and details["used"] == 1
    assert details["resets_at"] is not None
    usage = (await client.get(f"{API}/billing/usage", headers=headers)).json()["data"]
    renders = usage_of(usage, "pdf_renders")
    assert renders["used"] == 1 and renders["limit"] == 1
    assert datetime.fromisoformat(renders["resets_at"]) == datetime.fromisoformat(
        details["resets_at"]
    )
    assert datetime.fromisoformat(renders["resets_at"]) > datetime.now(UTC)


async def test_monthly_counter_resets_with_the_period(
    client: httpx.AsyncClient, session: AsyncSession, billing_on: Settings
) -> None:
    await set_quotas(session, "free", pdf_renders=1)
    user, headers = await new_user_headers(client)
    resume = (await create_resume(client, headers)).json()["data"]
    assert (
        await client.post(f"{API}/resumes/{resume['id']}/pdf", headers=headers)
    ).status_code == 201
    # The period ended: move it into the past, as if a month went by.
    await session.execute(
        text(
            "UPDATE billing_accounts SET period_start = period_start - interval '1 month', "
            "period_end = now() - interval '1 second' WHERE user_id = :u"
        ),
        {"u": user["id"]},
    )
    await session.commit()
    changed = copy.deepcopy(sample_resume())
    changed["basics"]["name"] = "Next Month"
    await client.patch(f"{API}/resumes/{resume['id']}", json={"data": changed}, headers=headers)
    again = await client.post(f"{API}/resumes/{resume['id']}/pdf", headers=headers)
    assert again.status_code == 201, again.text


async def test_saved_jobs_quota(
    client: httpx.AsyncClient, session: AsyncSession, billing_on: Settings
) -> None:
    await set_quotas(session, "free", saved_jobs=2)
    _, headers = await new_user_headers(client)
    payload = {
        "title": "Backend Engineer",
        "description": "We need Python, PostgreSQL and Kubernetes experience. 3+ years.",
        "location_type": "remote",
    }
    for _ in range(2):
        assert (await client.post(f"{API}/jobs", json=payload, headers=headers)).status_code == 201
    over = await client.post(f"{API}/jobs", json=payload, headers=headers)
    assert over.status_code == 402
    assert over.json()["error"]["details"] == {
        "quota": "saved_jobs",
        "limit": 2,
        "used": 2,
        "resets_at": None,
    }


async def test_cv_analyses_quota_leaves_no_file_behind(
    client: httpx.AsyncClient, session: AsyncSession, billing_on: Settings, storage: Any
) -> None:
    await set_quotas(session, "free", cv_analyses=1)
    _, headers = await new_user_headers(client)

    async def upload() -> httpx.Response:
        return await client.post(
            f"{API}/cvs", files={"file": ("cv.pdf", make_pdf(), "application/pdf")}, headers=headers
        )

    first = await upload()
    assert first.status_code == 201, first.text
    before = {p for p in (storage.root / "cvs").rglob("*") if p.is_file()}
    over = await upload()
    assert over.status_code == 402
    assert over.json()["error"]["details"]["quota"] == "cv_analyses"
    after = {p for p in (storage.root / "cvs").rglob("*") if p.is_file()}
    assert after == before
    again = await client.post(f"{API}/cvs/{first.json()['data']['id']}/reanalyze", headers=headers)
    assert again.status_code == 402


async def test_unlimited_quota_is_never_refused(
    client: httpx.AsyncClient, session: AsyncSession, billing_on: Settings
) -> None:
    await set_quotas(session, "free", resumes=None)
    _, headers = await new_user_headers(client)
    for _ in range(5):
        assert (await create_resume(client, headers)).status_code == 201
    usage = (await client.get(f"{API}/billing/usage", headers=headers)).json()["data"]
    assert usage_of(usage, "resumes")["limit"] is None
