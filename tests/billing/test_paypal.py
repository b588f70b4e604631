"""PayPal subscriptions end to end against the fake PayPal server (real HTTP, PayPal's bodies):
catalog sync, checkout, verified webhooks (activation, renewal, failure and grace, cancel,
refund), replays, forgeries, out-of-order events, retries and upstream errors."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from resumate.modules.billing import service as billing_service
from resumate.rendering.pdf import sample_resume
from tests.auth.test_admin import make_admin
from tests.billing.conftest import API, deliver
from tests.factories import new_user_headers
from tests.fakes.paypal import FakePayPal


async def synced(session: AsyncSession) -> None:
    await billing_service.sync_paypal_catalog(session)
    await session.commit()


async def subscribe(
    client: httpx.AsyncClient, fake: FakePayPal, headers: dict[str, str]
) -> tuple[str, dict[str, Any]]:
    """Checkout pro; returns PayPal's subscription id and the checkout answer."""
    response = await client.post(f"{API}/billing/checkout", json={"plan": "pro"}, headers=headers)
    assert response.status_code == 200, response.text
    sub_id = list(fake.subscriptions)[-1]  # the one this checkout created
    assert fake.subscriptions[sub_id]["status"] == "APPROVAL_PENDING"
    return sub_id, response.json()["data"]


async def activate(
    client: httpx.AsyncClient, fake: FakePayPal, sub_id: str, *, when: datetime | None = None
) -> httpx.Response:
    resource = fake.subscription_resource(sub_id, status="ACTIVE", now=when)
    response = await deliver(
        client, fake, fake.event("BILLING.SUBSCRIPTION.ACTIVATED", resource, when=when)
    )
    assert response.status_code == 200, response.text
    return response


async def my_subscription(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    return (await client.get(f"{API}/billing/subscription", headers=headers)).json()["data"]  # type: ignore[no-any-return]


async def create_resume(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    payload = {"title": "CV", "data": copy.deepcopy(sample_resume())}
    return (await client.post(f"{API}/resumes", json=payload, headers=headers)).status_code


async def test_sync_creates_the_product_and_plans_once(
    session: AsyncSession, paypal: FakePayPal
) -> None:
    first = await billing_service.sync_paypal_catalog(session)
    assert [(slug, created) for slug, _, created in first] == [("pro", True)]
    [product] = paypal.requests_to("/v1/catalogs/products")
    assert product["body"]["type"] == "SERVICE"
    [plan] = paypal.requests_to("/v1/billing/plans")
    cycle = plan["body"]["billing_cycles"][0]
    assert cycle["frequency"] == {"interval_unit": "MONTH", "interval_count": 1}
    assert cycle["pricing_scheme"]["fixed_price"] == {"value": "9.00", "currency_code": "EUR"}
    assert plan["body"]["product_id"] in paypal.products
    again = await billing_service.sync_paypal_catalog(session)
    assert again == [("pro", first[0][1], False)]
    assert len(paypal.requests_to("/v1/billing/plans")) == 1
    # One token for all of it, and a PayPal-Request-Id on every POST but the token's.
    assert len(paypal.requests_to("/v1/oauth2/token")) == 1
    posts = [
        r for r in paypal.requests if r["method"] == "POST" and r["path"] != "/v1/oauth2/token"
    ]
    assert posts and all(r["headers"].get("paypal-request-id") for r in posts)


async def test_free_user_hits_quota_upgrades_and_is_activated_by_webhook(
    client: httpx.AsyncClient, session: AsyncSession, paypal: FakePayPal
) -> None:
    await synced(session)
    user, headers = await new_user_headers(client)
    for _ in range(3):
        assert await create_resume(client, headers) == 201
    assert await create_resume(client, headers) == 402

    sub_id, checkout = await subscribe(client, paypal, headers)
    assert checkout["approval_url"].startswith("https://www.sandbox.paypal.com/webapps/billing/")
    request = paypal.requests_to("/v1/billing/subscriptions")[-1]
    assert request["body"]["custom_id"] == user["id"]
    assert request["body"]["plan_id"] in paypal.plans
    context = request["body"]["application_context"]
    assert context["return_url"].endswith("/billing/return")
    assert context["cancel_url"].endswith("/billing/cancelled")
    assert request["headers"]["paypal-request-id"].startswith("resumate-checkout-")
    # Not yet approved: still free.
    assert (await my_subscription(client, headers))["plan"] == "free"
    assert await create_resume(client, headers) == 402

    next_billing = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    resource = paypal.subscription_resource(sub_id, status="ACTIVE", next_billing=next_billing)
    event = paypal.event("BILLING.SUBSCRIPTION.ACTIVATED", resource)
    response = await deliver(client, paypal, event)
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"event_id": event["id"], "outcome": "applied"}
    verify = paypal.requests_to("/v1/notifications/verify-webhook-signature")[-1]["body"]
    assert verify["webhook_id"] == paypal.webhook_id and verify["webhook_event"] == event

    sub = await my_subscription(client, headers)
    assert sub["plan"] == "pro" and sub["status"] == "active"
    assert datetime.fromisoformat(sub["current_period_end"]) == next_billing
    assert sub["cancel_at_period_end"] is False
    assert await create_resume(client, headers) == 201
    usage = (await client.get(f"{API}/billing/usage", headers=headers)).json()["data"]
    assert next(u for u in usage if u["quota"] == "resumes") == {
        "quota": "resumes",
        "used": 4,
        "limit": 100,
        "resets_at": None,
    }

    admin = await make_admin(client, session)
    metrics = (await client.get(f"{API}/admin/metrics", headers=admin)).json()["data"]["billing"]
    assert metrics["mode"] == "paypal"
    assert metrics["mrr"] == {"EUR": "9.00"}
    assert metrics["active_subscriptions"] == 1
    listed = await client.get(f"{API}/admin/subscriptions?status=active", headers=admin)
    assert sub_id in [s["paypal_subscription_id"] for s in listed.json()["data"]]


async def test_replayed_forged_and_altered_webhooks_change_nothing(
    client: httpx.AsyncClient, session: AsyncSession, paypal: FakePayPal
) -> None:
    await synced(session)
    _, headers = await new_user_headers(client)
    sub_id, _ = await subscribe(client, paypal, headers)
    resource = paypal.subscription_resource(sub_id, status="ACTIVE")
    event = paypal.event("BILLING.SUBSCRIPTION.ACTIVATED", resource)

    # Forged: a signature PayPal did not make.
    forged_headers, body = paypal.signed(event)
    forged_headers["PAYPAL-TRANSMISSION-SIG"] = "bm90IGEgc2lnbmF0dXJl"
    forged = await client.post(
        f"{API}/billing/webhooks/paypal", content=body, headers=forged_headers
    )
    assert forged.status_code == 400, forged.text
    assert forged.json()["success"] is False
    # Altered: signed for one event, delivered with another body.
    good_headers, _ = paypal.signed(event)
    altered = dict(event, resource=dict(resource, custom_id=str(uuid.uuid4())))
    response = await client.post(
        f"{API}/billing/webhooks/paypal", content=json.dumps(altered), headers=good_headers
    )
    assert response.status_code == 400
    # No transmission headers, or a certificate off PayPal: refused before asking PayPal.
    asked = len(paypal.requests_to("/v1/notifications/verify-webhook-signature"))
    for cert in (
        "https://evil.example/cert",
        "http://api.paypal.com/cert",
        "https://paypal.com.evil/c",
    ):
        off_headers, body = paypal.signed(event)
        off_headers["PAYPAL-CERT-URL"] = cert
        off = await client.post(f"{API}/billing/webhooks/paypal", content=body, headers=off_headers)
        assert off.status_code == 400, cert
        assert "PAYPAL-CERT-URL" in off.json()["error"]["message"]
    bare = await client.post(
        f"{API}/billing/webhooks/paypal",
        content=json.dumps(event),
        headers={"Content-Type": "application/json"},
    )
    assert bare.status_code == 400
    assert "PAYPAL-TRANSMISSION-SIG" in bare.json()["error"]["message"]
    assert len(paypal.requests_to("/v1/notifications/verify-webhook-signature")) == asked
    for junk in (
        b"not json",
        b"[]",
        b'{"id": "x"}',
        json.dumps({"id": "\x00", "event_type": 1, "resource": {}}).encode(),
    ):
        bad = await client.post(
            f"{API}/billing/webhooks/paypal", content=junk, headers=good_headers
        )
        assert bad.status_code == 400, junk
    assert (await my_subscription(client, headers))["plan"] == "free"
    stored = (
        await session.execute(
            text("SELECT count(*) FROM paypal_events WHERE id = :id"), {"id": event["id"]}
        )
    ).scalar_one()
    assert stored == 0

    # The genuine delivery applies; its replays answer 200 and change nothing.
    assert (await deliver(client, paypal, event)).json()["data"]["outcome"] == "applied"
    await session.execute(
        text("UPDATE subscriptions SET status = 'suspended' WHERE paypal_subscription_id = :s"),
        {"s": sub_id},
    )
    await session.commit()
    for _ in range(2):
        replay = await deliver(client, paypal, event)
        assert replay.status_code == 200
        assert replay.json()["data"] == {"event_id": event["id"], "outcome": "duplicate"}
    assert (await my_subscription(client, headers))["status"] == "suspended"


async def test_out_of_order_events_never_move_a_subscription_back(
    client: httpx.AsyncClient, session: AsyncSession, paypal: FakePayPal
) -> None:
    await synced(session)
    _, headers = await new_user_headers(client)
    sub_id, _ = await subscribe(client, paypal, headers)
    t0 = datetime.now(UTC) - timedelta(minutes=10)
    activated = paypal.event(
        "BILLING.SUBSCRIPTION.ACTIVATED",
        paypal.subscription_resource(sub_id, status="ACTIVE", now=t0),
        when=t0,
    )
    cancelled = paypal.event(
        "BILLING.SUBSCRIPTION.CANCELLED",
        paypal.subscription_resource(sub_id, status="CANCELLED"),
        when=t0 + timedelta(minutes=5),
    )
    # PayPal delivers the cancellation first, the activation late.
    assert (await deliver(client, paypal, cancelled)).json()["data"]["outcome"] == "applied"
    late = await deliver(client, paypal, activated)
    assert late.status_code == 200
    assert late.json()["data"]["outcome"] == "stale"
    sub = await my_subscription(client, headers)
    assert sub["plan"] == "free"
    listed = (
        await session.execute(
            text("SELECT status FROM subscriptions WHERE paypal_subscription_id = :s"),
            {"s": sub_id},
        )
    ).scalar_one()
    assert listed == "cancelled"


async def test_renewal_payment_listed_once_and_refund(
    client: httpx.AsyncClient, session: AsyncSession, paypal: FakePayPal
) -> None:
    await synced(session)
    _, headers = await new_user_headers(client)
    sub_id, _ = await subscribe(client, paypal, headers)
    await activate(client, paypal, sub_id)
    before = await my_subscription(client, headers)
    paid_at = datetime.now(UTC) + timedelta(days=30)
    sale = paypal.sale_resource(sub_id, when=paid_at)
    event = paypal.event("PAYMENT.SALE.COMPLETED", sale, when=paid_at)
    assert (await deliver(client, paypal, event)).json()["data"]["outcome"] == "applied"
    assert (await deliver(client, paypal, event)).json()["data"]["outcome"] == "duplicate"
    # The same sale in a second event (PayPal resends with a new id) is still one payment.
    again = paypal.event("PAYMENT.SALE.COMPLETED", sale, when=paid_at)
    assert (await deliver(client, paypal, again)).status_code == 200
    payments = (await client.get(f"{API}/billing/payments", headers=headers)).json()
    assert payments["meta"]["pagination"]["total"] == 1
    [payment] = payments["data"]
    assert payment["paypal_sale_id"] == sale["id"]
    assert payment["amount"] == "9.00" and payment["currency"] == "EUR"
    assert payment["status"] == "completed"
    after = await my_subscription(client, headers)
    assert datetime.fromisoformat(after["current_period_end"]) > datetime.fromisoformat(
        before["current_period_end"]
    )
    refund = paypal.event("PAYMENT.SALE.REFUNDED", paypal.refund_resource(sale["id"]))
    assert (await deliver(client, paypal, refund)).json()["data"]["outcome"] == "applied"
    [payment] = (await client.get(f"{API}/billing/payments", headers=headers)).json()["data"]
    assert payment["status"] == "refunded" and payment["refunded_amount"] == "9.00"
    other = paypal.event("PAYMENT.CAPTURE.COMPLETED", {"id": "5O190127TN364715T"})
    assert (await deliver(client, paypal, other)).json()["data"]["outcome"] == "ignored"


async def test_payment_failure_keeps_the_plan_for_the_grace_period_then_free(
    client: httpx.AsyncClient, session: AsyncSession, paypal: FakePayPal
) -> None:
    await synced(session)
    _, headers = await new_user_headers(client)
    sub_id, _ = await subscribe(client, paypal, headers)
    start = datetime.now(UTC) - timedelta(days=40)
    await activate(client, paypal, sub_id, when=start)
    failed_at = datetime.now(UTC) - timedelta(days=3)
    failed = paypal.event(
        "BILLING.SUBSCRIPTION.PAYMENT.FAILED",
        paypal.subscription_resource(sub_id, status="ACTIVE", now=failed_at),
        when=failed_at,
    )
    assert (await deliver(client, paypal, failed)).json()["data"]["outcome"] == "applied"
    sub = await my_subscription(client, headers)
    assert sub["plan"] == "pro" and sub["status"] == "past_due"
    grace = (
        await session.execute(
            text("SELECT grace_until FROM subscriptions WHERE paypal_subscription_id = :s"),
            {"s": sub_id},
        )
    ).scalar_one()
    assert grace == failed_at.replace(
        microsecond=(failed_at.microsecond // 1000) * 1000
    ) + timedelta(days=7)
    # A payment within the grace period: active again.
    sale = paypal.sale_resource(sub_id, when=datetime.now(UTC) - timedelta(days=1))
    await deliver(
        client,
        paypal,
        paypal.event("PAYMENT.SALE.COMPLETED", sale, when=datetime.now(UTC) - timedelta(days=1)),
    )
    assert (await my_subscription(client, headers))["status"] == "active"
    # Another failure whose grace is over by now: back on free.
    late = datetime.now(UTC) - timedelta(hours=1)
    long_ago = paypal.event(
        "BILLING.SUBSCRIPTION.PAYMENT.FAILED",
        paypal.subscription_resource(sub_id, status="ACTIVE", now=late),
        when=late,
    )
    await session.execute(
        text(
            "UPDATE subscriptions SET grace_until = now() - interval '1 minute' WHERE paypal_subscription_id = :s"
        ),
        {"s": sub_id},
    )
    await session.execute(
        text(
            "UPDATE billing_accounts SET plan_expires_at = now() - interval '1 minute' WHERE subscription_id = (SELECT id FROM subscriptions WHERE paypal_subscription_id = :s)"
        ),
        {"s": sub_id},
    )
    await session.commit()
    await deliver(client, paypal, long_ago)
    sub = await my_subscription(client, headers)
    assert sub["plan"] == "free"
    for _ in range(3):
        await create_resume(client, headers)
    assert await create_resume(client, headers) == 402


async def test_failed_payment_grace_already_over_falls_back_to_free(
    client: httpx.AsyncClient, session: AsyncSession, paypal: FakePayPal
) -> None:
    await synced(session)
    _, headers = await new_user_headers(client)
    sub_id, _ = await subscribe(client, paypal, headers)
    await activate(client, paypal, sub_id, when=datetime.now(UTC) - timedelta(days=45))
    failed_at = datetime.now(UTC) - timedelta(days=8)  # default grace: 7 days
    event = paypal.event(
        "BILLING.SUBSCRIPTION.PAYMENT.FAILED",
        paypal.subscription_resource(sub_id, status="ACTIVE", now=failed_at),
        when=failed_at,
    )
    assert (await deliver(client, paypal, event)).status_code == 200
    assert (await my_subscription(client, headers))["plan"] == "free"


async def test_cancel_keeps_the_plan_until_the_period_ends(
    client: httpx.AsyncClient, session: AsyncSession, paypal: FakePayPal
) -> None:
    await synced(session)
    _, headers = await new_user_headers(client)
    nothing = await client.post(f"{API}/billing/cancel", headers=headers)
    assert nothing.status_code == 409
    sub_id, _ = await subscribe(client, paypal, headers)
    await activate(client, paypal, sub_id)
    response = await client.post(f"{API}/billing/cancel", headers=headers)
    assert response.status_code == 200, response.text
    view = response.json()["data"]
    assert view["plan"] == "pro" and view["status"] == "cancelled"
    assert view["cancel_at_period_end"] is True
    assert datetime.fromisoformat(view["current_period_end"]) > datetime.now(UTC)
    [cancel] = paypal.requests_to(f"/v1/billing/subscriptions/{sub_id}/cancel")
    assert cancel["body"]["reason"]
    assert cancel["headers"]["paypal-request-id"].startswith("resumate-cancel-")
    assert paypal.subscriptions[sub_id]["status"] == "CANCELLED"
    # PayPal's own CANCELLED webhook afterwards changes nothing more.
    event = paypal.event(
        "BILLING.SUBSCRIPTION.CANCELLED", paypal.subscription_resource(sub_id, status="CANCELLED")
    )
    assert (await deliver(client, paypal, event)).status_code == 200
    assert (await my_subscription(client, headers))["plan"] == "pro"
    again = await client.post(f"{API}/billing/cancel", headers=headers)
    assert again.status_code == 200
    assert len(paypal.requests_to(f"/v1/billing/subscriptions/{sub_id}/cancel")) == 1
    # The period is over: free.
    await session.execute(
        text(
            "UPDATE billing_accounts SET plan_expires_at = now() - interval '1 second' "
            "WHERE subscription_id = (SELECT id FROM subscriptions "
            "WHERE paypal_subscription_id = :s)"
        ),
        {"s": sub_id},
    )
    await session.commit()
    assert (await my_subscription(client, headers))["plan"] == "free"


async def test_paypal_5xx_is_retried_with_the_same_request_id(
    client: httpx.AsyncClient, session: AsyncSession, paypal: FakePayPal
) -> None:
    await synced(session)
    _, headers = await new_user_headers(client)
    paypal.fail_next = 1
    await subscribe(client, paypal, headers)
    attempts = paypal.requests_to("/v1/billing/subscriptions")
    assert len(attempts) == 2
    assert (
        attempts[0]["headers"]["paypal-request-id"] == attempts[1]["headers"]["paypal-request-id"]
    )
    assert len(paypal.subscriptions) == 1


async def test_paypal_failure_is_a_502_with_its_debug_id_and_leaves_nothing(
    client: httpx.AsyncClient, session: AsyncSession, paypal: FakePayPal
) -> None:
    await synced(session)
    user, headers = await new_user_headers(client)
    paypal.fail_next = 10
    down = await client.post(f"{API}/billing/checkout", json={"plan": "pro"}, headers=headers)
    assert down.status_code == 502, down.text
    error = down.json()["error"]
    assert error["code"] == "UPSTREAM_ERROR"
    assert error["details"]["debug_id"] and error["details"]["provider"] == "paypal"
    assert len(paypal.requests_to("/v1/billing/subscriptions")) == 3  # 1 + 2 retries
    paypal.fail_next = 0
    # A plan id PayPal does not know: its 422 becomes our 502, with PayPal's debug id.
    await session.execute(text("UPDATE plans SET paypal_plan_id = 'P-UNKNOWN' WHERE slug = 'pro'"))
    await session.commit()
    refused = await client.post(f"{API}/billing/checkout", json={"plan": "pro"}, headers=headers)
    assert refused.status_code == 502
    details = refused.json()["error"]["details"]
    assert details["name"] == "UNPROCESSABLE_ENTITY" and details["debug_id"]
    left = (
        await session.execute(
            text("SELECT count(*) FROM subscriptions WHERE user_id = :u"), {"u": user["id"]}
        )
    ).scalar_one()
    assert left == 0
    for plan, status in (("free", 422), ("nope", 422)):
        response = await client.post(
            f"{API}/billing/checkout", json={"plan": plan}, headers=headers
        )
        assert response.status_code == status


async def test_checkout_before_sync_says_what_to_run(
    client: httpx.AsyncClient, paypal: FakePayPal
) -> None:
    _, headers = await new_user_headers(client)
    response = await client.post(f"{API}/billing/checkout", json={"plan": "pro"}, headers=headers)
    assert response.status_code == 409
    assert "resumate billing sync-paypal" in response.json()["error"]["message"]


async def test_token_cached_and_renewed_when_paypal_rejects_it(
    session: AsyncSession, paypal: FakePayPal
) -> None:
    client = billing_service.paypal_client()
    await billing_service.sync_paypal_catalog(session, client=client)
    assert len(paypal.requests_to("/v1/oauth2/token")) == 1
    paypal.tokens.clear()  # PayPal revoked it
    sub = await client.create_subscription(
        plan_id=next(iter(paypal.plans)),
        custom_id="x",
        return_url="http://r",
        cancel_url="http://c",
        request_id="req-1",
    )
    assert sub["status"] == "APPROVAL_PENDING"
    assert len(paypal.requests_to("/v1/oauth2/token")) == 2


async def test_wrong_credentials_are_an_upstream_error(
    session: AsyncSession, paypal: FakePayPal
) -> None:
    from resumate.modules.billing.paypal import PayPalClient, PayPalError

    client = PayPalClient(api_base=paypal.url, client_id="nobody", client_secret="wrong", retries=0)
    with pytest.raises(PayPalError) as caught:
        await client.get_subscription("I-NOPE")
    assert caught.value.status == 401 and caught.value.name == "invalid_client"
