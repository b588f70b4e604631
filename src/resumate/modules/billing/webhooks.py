"""PayPal webhooks: each delivery verified with PayPal, stored once under its event id, then
applied to the subscription it names unless a newer event was applied already."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import structlog
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from resumate.config import Settings
from resumate.core.errors import BadRequest
from resumate.core.text import clean_json
from resumate.modules.billing.models import (
    BillingAccount,
    Payment,
    PayPalEvent,
    Plan,
    Subscription,
)
from resumate.modules.billing.paypal import WEBHOOK_HEADERS, PayPalError
from resumate.modules.billing.service import (  # the package's own helpers
    _account,
    _emit,
    _interval_end,
    _mark_cancelled,
    _now,
    _require_billing,
    _upstream,
    add_months,
    parse_time,
    paypal_client,
)
from resumate.modules.users.models import User

log = structlog.get_logger(__name__)


SUBSCRIPTION_EVENTS = frozenset(
    {
        "BILLING.SUBSCRIPTION.ACTIVATED",
        "BILLING.SUBSCRIPTION.UPDATED",
        "BILLING.SUBSCRIPTION.RE-ACTIVATED",
        "BILLING.SUBSCRIPTION.CANCELLED",
        "BILLING.SUBSCRIPTION.SUSPENDED",
        "BILLING.SUBSCRIPTION.EXPIRED",
        "BILLING.SUBSCRIPTION.PAYMENT.FAILED",
    }
)
SALE_EVENTS = frozenset({"PAYMENT.SALE.COMPLETED", "PAYMENT.SALE.REFUNDED"})
MAX_WEBHOOK_BYTES = 256 * 1024


class WebhookRejected(BadRequest):
    code = "VALIDATION_ERROR"
    default_message = "The webhook could not be verified with PayPal"


def _paypal_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    return parts.scheme == "https" and (host == "paypal.com" or host.endswith(".paypal.com"))


async def receive_webhook(
    session: AsyncSession, *, headers: Mapping[str, str], body: bytes
) -> dict[str, Any]:
    """Verify a delivery with PayPal, store it once, apply it. A replay changes nothing."""
    settings = _require_billing()
    if len(body) > MAX_WEBHOOK_BYTES:
        raise WebhookRejected("The webhook body is too large")
    try:
        event = json.loads(body)
    except ValueError as exc:
        raise WebhookRejected("The webhook body is not JSON") from exc
    if (
        not isinstance(event, dict)
        or not isinstance(event.get("id"), str)
        or not isinstance(event.get("event_type"), str)
        or not isinstance(event.get("resource"), dict)
    ):
        raise WebhookRejected("The webhook body is not a PayPal event (id, event_type, resource)")
    lowered = {k.lower(): v for k, v in headers.items()}
    missing = [name.upper() for name in WEBHOOK_HEADERS if not lowered.get(name)]
    if missing:
        raise WebhookRejected(f"Missing PayPal transmission header(s): {', '.join(missing)}")
    if not _paypal_url(lowered["paypal-cert-url"]):
        # Checked before asking PayPal, so junk deliveries cost no outbound call.
        raise WebhookRejected("PAYPAL-CERT-URL is not a PayPal https URL")
    try:
        verdict = await paypal_client(settings).verify_webhook_signature(
            headers={name: lowered[name] for name in WEBHOOK_HEADERS},
            webhook_id=settings.paypal_webhook_id or "",
            event=event,
        )
    except PayPalError as exc:
        raise _upstream(exc) from exc
    if verdict != "SUCCESS":
        log.warning("paypal webhook not verified", event_id=event["id"][:100], verdict=verdict)
        raise WebhookRejected(f"PayPal did not verify this webhook ({verdict[:40]})")
    try:
        event = clean_json(event)
    except ValueError as exc:
        raise WebhookRejected(f"The webhook body is {exc}") from exc
    event_id = event["id"][:100]
    resource = event["resource"]
    inserted = (
        await session.execute(
            pg_insert(PayPalEvent)
            .values(
                id=event_id,
                event_type=event["event_type"][:100],
                resource_id=str(resource.get("id") or "")[:100] or None,
                event_time=parse_time(event.get("create_time")),
                outcome="received",
                payload=event,
            )
            .on_conflict_do_nothing()
            .returning(PayPalEvent.id)
        )
    ).scalar_one_or_none()
    if inserted is None:
        return {"event_id": event_id, "outcome": "duplicate"}
    outcome = await _apply_event(session, event, settings)
    await session.execute(
        update(PayPalEvent).where(PayPalEvent.id == event_id).values(outcome=outcome)
    )
    return {"event_id": event_id, "outcome": outcome}


async def _apply_event(session: AsyncSession, event: dict[str, Any], settings: Settings) -> str:
    kind = event["event_type"]
    when = parse_time(event.get("create_time")) or _now()
    if kind in SUBSCRIPTION_EVENTS:
        return await _apply_subscription_event(session, kind, event["resource"], when, settings)
    if kind == "PAYMENT.SALE.COMPLETED":
        return await _apply_sale(session, event["resource"], when)
    if kind == "PAYMENT.SALE.REFUNDED":
        return await _apply_refund(session, event["resource"], when)
    return "ignored"


async def _subscription_for(
    session: AsyncSession, resource: dict[str, Any], paypal_id: str
) -> Subscription | None:
    subscription = (
        await session.execute(
            select(Subscription)
            .where(Subscription.paypal_subscription_id == paypal_id)
            .with_for_update()
        )
    ).scalar_one_or_none()
    if subscription is not None:
        return subscription
    # Not created by our checkout (or its row was lost): adopt it when it names one of our
    # users (custom_id) and one of our plans.
    try:
        user_id = uuid.UUID(str(resource.get("custom_id")))
    except ValueError:
        return None
    plan = (
        await session.execute(select(Plan).where(Plan.paypal_plan_id == resource.get("plan_id")))
    ).scalar_one_or_none()
    if plan is None or await session.get(User, user_id) is None:
        return None
    subscription = Subscription(
        user_id=user_id,
        plan_id=plan.id,
        paypal_subscription_id=paypal_id,
        status="approval_pending",
    )
    session.add(subscription)
    await session.flush()
    return subscription


async def _apply_subscription_event(
    session: AsyncSession,
    kind: str,
    resource: dict[str, Any],
    when: datetime,
    settings: Settings,
) -> str:
    paypal_id = resource.get("id")
    if not isinstance(paypal_id, str):
        return "orphan"
    subscription = await _subscription_for(session, resource, paypal_id)
    if subscription is None:
        return "orphan"
    if subscription.last_event_at is not None and when < subscription.last_event_at:
        return "stale"
    subscription.last_event_at = when
    account, plan = await _account(session, subscription.user_id, lock=True)
    info = resource.get("billing_info")
    billing_info: dict[str, Any] = info if isinstance(info, dict) else {}
    next_billing = parse_time(billing_info.get("next_billing_time"))
    if next_billing is not None:
        subscription.current_period_end = next_billing
    status = str(resource.get("status") or "").upper()
    if kind == "BILLING.SUBSCRIPTION.UPDATED":
        kind = {
            "ACTIVE": "BILLING.SUBSCRIPTION.ACTIVATED",
            "CANCELLED": "BILLING.SUBSCRIPTION.CANCELLED",
            "SUSPENDED": "BILLING.SUBSCRIPTION.SUSPENDED",
            "EXPIRED": "BILLING.SUBSCRIPTION.EXPIRED",
        }.get(status, kind)
        new_plan = resource.get("plan_id")
        if new_plan:
            moved = (
                await session.execute(select(Plan).where(Plan.paypal_plan_id == new_plan))
            ).scalar_one_or_none()
            if moved is not None:
                subscription.plan_id = moved.id
    current = account.subscription_id == subscription.id
    if kind in ("BILLING.SUBSCRIPTION.ACTIVATED", "BILLING.SUBSCRIPTION.RE-ACTIVATED"):
        await _activate(session, subscription, account, plan, when)
    elif kind == "BILLING.SUBSCRIPTION.CANCELLED":
        await _mark_cancelled(session, subscription, account, when, plan.slug)
    elif kind == "BILLING.SUBSCRIPTION.SUSPENDED":
        subscription.status = "suspended"
        if current:
            grace = subscription.grace_until or when + timedelta(days=settings.billing_grace_days)
            subscription.grace_until = grace
            account.plan_expires_at = grace
    elif kind == "BILLING.SUBSCRIPTION.EXPIRED":
        subscription.status = "expired"
        subscription.ended_at = when
        if current:
            account.plan_expires_at = when
    elif kind == "BILLING.SUBSCRIPTION.PAYMENT.FAILED":
        if subscription.status in ("active", "past_due"):
            subscription.status = "past_due"
        grace = subscription.grace_until or when + timedelta(days=settings.billing_grace_days)
        subscription.grace_until = grace
        if current:
            account.plan_expires_at = grace
            await _emit(
                session,
                subscription.user_id,
                "payment_failed",
                plan=plan.slug,
                grace_until=grace.isoformat(),
            )
    await session.flush()
    # A plan whose end is already past falls back to free now, not at the next request.
    await _account(session, subscription.user_id, lock=True)
    return "applied"


async def _activate(
    session: AsyncSession,
    subscription: Subscription,
    account: BillingAccount,
    plan: Plan,
    when: datetime,
) -> None:
    new_plan = await session.get(Plan, subscription.plan_id)
    assert new_plan is not None
    subscription.status = "active"
    subscription.activated_at = subscription.activated_at or when
    subscription.grace_until = None
    subscription.cancel_at_period_end = False
    subscription.cancelled_at = None
    subscription.ended_at = None
    if subscription.current_period_end is None:
        subscription.current_period_end = _interval_end(when, new_plan.interval)
    changed = account.plan_id != new_plan.id
    account.plan_id = new_plan.id
    account.subscription_id = subscription.id
    account.plan_expires_at = None
    if changed:
        # A new plan starts a new usage period.
        account.period_start = min(when, _now())
        account.period_end = add_months(account.period_start)
        await _emit(session, subscription.user_id, "subscription_activated", plan=new_plan.slug)


def _amount(value: Any) -> tuple[Decimal, str] | None:
    if not isinstance(value, dict):
        return None
    try:
        total = Decimal(str(value.get("total") or value.get("value")))
    except ArithmeticError:
        return None
    currency = str(value.get("currency") or value.get("currency_code") or "")[:3].upper()
    if not total.is_finite() or not currency:
        return None
    return total.quantize(Decimal("0.01")), currency


async def _apply_sale(session: AsyncSession, sale: dict[str, Any], when: datetime) -> str:
    sale_id, agreement = sale.get("id"), sale.get("billing_agreement_id")
    amount = _amount(sale.get("amount"))
    if not isinstance(sale_id, str) or not isinstance(agreement, str) or amount is None:
        return "orphan"
    subscription = (
        await session.execute(
            select(Subscription)
            .where(Subscription.paypal_subscription_id == agreement)
            .with_for_update()
        )
    ).scalar_one_or_none()
    if subscription is None:
        return "orphan"
    paid_at = parse_time(sale.get("create_time")) or when
    await session.execute(
        pg_insert(Payment)
        .values(
            id=uuid.uuid4(),
            user_id=subscription.user_id,
            subscription_id=subscription.id,
            paypal_sale_id=sale_id[:60],
            amount=amount[0],
            currency=amount[1],
            status="completed",
            paid_at=paid_at,
        )
        .on_conflict_do_nothing()
    )
    if subscription.last_event_at is not None and when < subscription.last_event_at:
        return "stale"  # the payment is recorded; the subscription's state is newer
    subscription.last_event_at = when
    plan = await session.get(Plan, subscription.plan_id)
    assert plan is not None
    period_end = _interval_end(paid_at, plan.interval)
    if subscription.current_period_end is None or subscription.current_period_end < period_end:
        subscription.current_period_end = period_end
    if subscription.status in ("past_due", "suspended"):
        account, _ = await _account(session, subscription.user_id, lock=True)
        subscription.status = "active"
        subscription.grace_until = None
        if account.subscription_id == subscription.id:
            account.plan_expires_at = None
    await session.flush()
    return "applied"


async def _apply_refund(session: AsyncSession, refund: dict[str, Any], when: datetime) -> str:
    sale_id = refund.get("sale_id")
    payment = (
        (
            await session.execute(
                select(Payment).where(Payment.paypal_sale_id == str(sale_id)).with_for_update()
            )
        ).scalar_one_or_none()
        if isinstance(sale_id, str)
        else None
    )
    if payment is None:
        return "orphan"
    amount = _amount(refund.get("amount"))
    payment.status = "refunded"
    payment.refunded_amount = (payment.refunded_amount or Decimal(0)) + (
        amount[0] if amount else payment.amount
    )
    payment.refunded_at = parse_time(refund.get("create_time")) or when
    await session.flush()
    return "applied"
