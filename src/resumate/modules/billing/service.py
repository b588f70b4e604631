"""Billing: plans, quotas counted in the transaction of the action they limit, PayPal
checkout and cancel, payments, and the admin's revenue figures (webhooks: ``webhooks.py``).

``RESUMATE_BILLING=off`` (the default) puts every account on the unlimited ``self-hosted``
plan: nothing is refused and checkout answers 409 BILLING_DISABLED. ``paypal`` enforces the
plans stored in the database.

Quotas: every limited action calls ``enforce_quota`` inside its own transaction. It locks the
account's ``billing_accounts`` row (``SELECT ... FOR UPDATE``), so two requests of one account
are counted one after the other and N parallel requests at one below the limit let exactly one
through. Monthly quotas are counters per usage period; the others count the rows that exist
(so a downgrade never deletes anything: items over the new limit stay, new ones are refused).
"""

from __future__ import annotations

import calendar
import math
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import structlog
from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from resumate.config import Settings, get_settings
from resumate.core.envelope import PageParams
from resumate.core.errors import (
    BillingDisabled,
    Conflict,
    NotFound,
    QuotaExceeded,
    UpstreamError,
    ValidationFailed,
)
from resumate.modules.billing.models import (
    MONTHLY_QUOTAS,
    QUOTAS,
    BillingAccount,
    Payment,
    Plan,
    Subscription,
    UsageCounter,
)
from resumate.modules.billing.paypal import PayPalClient, PayPalError
from resumate.modules.users.models import User

log = structlog.get_logger(__name__)

FREE = "free"
SELF_HOSTED = "self-hosted"
# Subscription statuses in which the paid plan is in force.
LIVE_STATUSES = ("active", "past_due", "suspended")

# ---- hooks ------------------------------------------------------------------------------------

# What billing tells the rest of the product, in the transaction of its cause:
#   quota_warning {quota, used, limit} (80 %), quota_reached {quota, used, limit} (100 %),
#   checkout_started {plan, subscription_id}, subscription_activated {plan},
#   payment_failed {plan, grace_until}, subscription_cancelled {plan, ends_at, ends_on}.
BillingListener = Callable[[AsyncSession, uuid.UUID, str, dict[str, Any]], Awaitable[None]]
_listeners: list[BillingListener] = []


def add_listener(listener: BillingListener) -> None:
    """Called with (session, user_id, event, data) for each billing event (notifications,
    analytics); it runs in the same transaction as the change it reports."""
    if listener not in _listeners:
        _listeners.append(listener)


async def _emit(session: AsyncSession, user_id: uuid.UUID, event: str, **data: Any) -> None:
    log.info("billing event", billing_event=event, user_id=str(user_id), **data)
    for listener in _listeners:
        await listener(session, user_id, event, data)


# Row counters of the non-monthly quotas, registered by the features that own the rows.
UsageCount = Callable[[AsyncSession, uuid.UUID], Awaitable[int]]
_counters: dict[str, UsageCount] = {}


def register_usage_count(quota: str, count: UsageCount) -> None:
    if quota not in QUOTAS or quota in MONTHLY_QUOTAS:
        raise ValueError(f"{quota!r} is not a counted quota")
    _counters[quota] = count


def billing_enabled(settings: Settings | None = None) -> bool:
    return (settings or get_settings()).billing == "paypal"


# ---- time -------------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _month_start(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def add_months(moment: datetime, months: int = 1) -> datetime:
    """Same day next month, clamped to the month's last day (31 Jan -> 28/29 Feb)."""
    month0 = moment.month - 1 + months
    year, month = moment.year + month0 // 12, month0 % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _interval_end(start: datetime, interval: str) -> datetime:
    return add_months(start, 12 if interval == "year" else 1)


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ---- plans ------------------------------------------------------------------------------------


async def get_plan_by_slug(session: AsyncSession, slug: str) -> Plan:
    plan = (await session.execute(select(Plan).where(Plan.slug == slug))).scalar_one_or_none()
    if plan is None:
        raise NotFound(f"No plan {slug!r}")
    return plan


async def list_plans(session: AsyncSession) -> list[Plan]:
    """What an account can be on: the public, active plans (only ``self-hosted`` when billing
    is off)."""
    if not billing_enabled():
        return [await get_plan_by_slug(session, SELF_HOSTED)]
    rows = await session.execute(
        select(Plan).where(Plan.is_public, Plan.is_active).order_by(Plan.price, Plan.slug)
    )
    return list(rows.scalars())


async def admin_list_plans(session: AsyncSession) -> list[Plan]:
    return list((await session.execute(select(Plan).order_by(Plan.price, Plan.slug))).scalars())


def _check_quotas(quotas: Mapping[str, Any], *, complete: bool = False) -> dict[str, int | None]:
    unknown = sorted(set(quotas) - set(QUOTAS))
    if unknown:
        raise ValidationFailed(
            f"Unknown quota {unknown[0]!r}; quotas are {', '.join(QUOTAS)}",
            details={"errors": [{"path": f"$.quotas.{unknown[0]}", "message": "unknown"}]},
        )
    missing = [name for name in QUOTAS if name not in quotas] if complete else []
    if missing:
        raise ValidationFailed(
            f"Give every quota (null = unlimited); missing {', '.join(missing)}",
            details={
                "errors": [{"path": f"$.quotas.{name}", "message": "missing"} for name in missing]
            },
        )
    return {name: quotas.get(name) for name in QUOTAS}


async def create_plan(session: AsyncSession, *, data: dict[str, Any]) -> Plan:
    exists = (
        await session.execute(select(Plan.id).where(Plan.slug == data["slug"]))
    ).scalar_one_or_none()
    if exists is not None:
        raise Conflict(f"A plan with slug {data['slug']!r} exists")
    plan = Plan(
        slug=data["slug"],
        name=data["name"],
        price=data["price"],
        currency=data["currency"],
        interval=data["interval"],
        quotas=_check_quotas(data["quotas"], complete=True),
        paypal_plan_id=data.get("paypal_plan_id"),
        is_public=data.get("is_public", True),
        is_active=data.get("is_active", True),
    )
    session.add(plan)
    await _flush_plan(session)
    return plan


async def update_plan(
    session: AsyncSession, *, plan_id: uuid.UUID, changes: dict[str, Any]
) -> Plan:
    plan = await session.get(Plan, plan_id, with_for_update=True)
    if plan is None:
        raise NotFound("Plan not found")
    if plan.slug in (FREE, SELF_HOSTED) and changes.get("is_active") is False:
        raise ValidationFailed(f"The {plan.slug} plan cannot be deactivated")
    priced = False
    for field in ("name", "price", "currency", "interval", "is_public", "is_active"):
        if (
            field in changes
            and changes[field] is not None
            and getattr(plan, field) != changes[field]
        ):
            setattr(plan, field, changes[field])
            priced = priced or field in ("price", "currency", "interval")
    if changes.get("quotas") is not None:
        _check_quotas(changes["quotas"])
        plan.quotas = {**plan.quotas, **changes["quotas"]}
    if "paypal_plan_id" in changes:
        plan.paypal_plan_id = changes["paypal_plan_id"]
    elif priced:
        # PayPal plans cannot change price here: `resumate billing sync-paypal` makes a new one.
        plan.paypal_plan_id = None
    await _flush_plan(session)
    return plan


async def _flush_plan(session: AsyncSession) -> None:
    from sqlalchemy.exc import IntegrityError

    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("Another plan has this slug or PayPal plan id") from exc


# ---- accounts and quotas ----------------------------------------------------------------------


async def _account(
    session: AsyncSession, user_id: uuid.UUID, *, lock: bool
) -> tuple[BillingAccount, Plan]:
    """The account's billing row and plan (created on free when missing), brought up to date:
    a paid plan past its end falls back to free, an elapsed usage period rolls forward."""
    stmt = (
        select(BillingAccount, Plan)
        .join(Plan, Plan.id == BillingAccount.plan_id)
        .where(BillingAccount.user_id == user_id)
        .execution_options(populate_existing=True)
    )
    if lock:
        stmt = stmt.with_for_update(of=BillingAccount)
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        start = _month_start(_now())
        await session.execute(
            pg_insert(BillingAccount)
            .values(
                user_id=user_id,
                plan_id=select(Plan.id).where(Plan.slug == FREE).scalar_subquery(),
                period_start=start,
                period_end=add_months(start),
            )
            .on_conflict_do_nothing()
        )
        row = (await session.execute(stmt)).one()
    account, plan = row
    now = _now()
    stale = account.period_end <= now or (
        account.plan_expires_at is not None and account.plan_expires_at <= now
    )
    if stale:
        if not lock:
            return await _account(session, user_id, lock=True)
        plan = await _settle(session, account, plan, now)
    return account, plan


async def _settle(
    session: AsyncSession, account: BillingAccount, plan: Plan, now: datetime
) -> Plan:
    if account.plan_expires_at is not None and account.plan_expires_at <= now:
        free = await get_plan_by_slug(session, FREE)
        log.info("paid plan ended", user_id=str(account.user_id), plan=plan.slug)
        account.plan_id, plan = free.id, free
        account.plan_expires_at = None
        account.subscription_id = None
        account.period_start = _month_start(now)
        account.period_end = add_months(account.period_start)
    while account.period_end <= now:
        account.period_start = account.period_end
        account.period_end = add_months(account.period_start)
    await session.flush()
    return plan


def _over(quota: str, limit: int, used: int, resets_at: datetime | None) -> QuotaExceeded:
    label = quota.replace("_", " ")
    when = f"; it resets on {resets_at.date().isoformat()}" if resets_at else ""
    return QuotaExceeded(
        f"Your plan allows {limit} {label}{' a month' if quota in MONTHLY_QUOTAS else ''} "
        f"and you have used {used}{when}. Upgrade your plan for more.",
        details={
            "quota": quota,
            "limit": limit,
            "used": used,
            "resets_at": resets_at.isoformat() if resets_at else None,
        },
    )


async def enforce_quota(session: AsyncSession, *, user_id: uuid.UUID, quota: str) -> None:
    """Count one more ``quota`` action of the account in the caller's transaction, or raise
    402 QUOTA_EXCEEDED. Call it before the action's rows are written."""
    if quota not in QUOTAS:
        raise ValueError(f"unknown quota {quota!r}")
    if not billing_enabled():
        if quota in MONTHLY_QUOTAS:
            # Counted even when unlimited, so /billing/usage shows what was used.
            await _bump(session, user_id, quota, _month_start(_now()), limit=None)
        return
    account, plan = await _account(session, user_id, lock=True)
    limit = plan.quotas.get(quota)
    if quota in MONTHLY_QUOTAS:
        used = await _bump(session, user_id, quota, account.period_start, limit=limit)
        if used is None:
            assert limit is not None
            current = await _counter(session, user_id, quota, account.period_start)
            raise _over(quota, limit, current, account.period_end)
        before = used - 1
    else:
        if limit is None:
            return
        before = await _counters[quota](session, user_id)
        if before >= limit:
            raise _over(quota, limit, before, None)
    if limit:
        await _thresholds(session, user_id, quota, before, before + 1, limit)


async def refuse_if_used_up(session: AsyncSession, *, user_id: uuid.UUID, quota: str) -> None:
    """402 QUOTA_EXCEEDED when ``quota`` is already used up, read only (no lock, no row
    written): for costly work done before ``enforce_quota`` counts it, so an account at its
    limit is refused before the work rather than after. ``enforce_quota`` stays the authority;
    an account this cannot judge without writing (none yet, period or plan to roll) passes."""
    if quota not in QUOTAS:
        raise ValueError(f"unknown quota {quota!r}")
    if not billing_enabled():
        return
    row = (
        await session.execute(
            select(BillingAccount, Plan)
            .join(Plan, Plan.id == BillingAccount.plan_id)
            .where(BillingAccount.user_id == user_id)
        )
    ).one_or_none()
    if row is None:
        return
    account, plan = row
    now = _now()
    if account.period_end <= now or (
        account.plan_expires_at is not None and account.plan_expires_at <= now
    ):
        return
    limit = plan.quotas.get(quota)
    if limit is None:
        return
    if quota in MONTHLY_QUOTAS:
        used = await _counter(session, user_id, quota, account.period_start)
        if used >= limit:
            raise _over(quota, limit, used, account.period_end)
    else:
        used = await _counters[quota](session, user_id)
        if used >= limit:
            raise _over(quota, limit, used, None)


def _bump_statement(*, limited: bool, prefix: str = "") -> Any:
    insert = pg_insert(UsageCounter).values(
        user_id=bindparam(f"{prefix}user_id", type_=UsageCounter.user_id.type),
        quota=bindparam(f"{prefix}quota", type_=UsageCounter.quota.type),
        period_start=bindparam(f"{prefix}period_start", type_=UsageCounter.period_start.type),
        used=1,
    )
    return insert.on_conflict_do_update(
        index_elements=[UsageCounter.user_id, UsageCounter.quota, UsageCounter.period_start],
        set_={"used": UsageCounter.used + 1},
        where=(UsageCounter.used < bindparam("limit", type_=UsageCounter.used.type))
        if limited
        else None,
    ).returning(UsageCounter.used)


# Built once: every counted action runs one of these (SQLAlchemy keeps their cache keys).
_BUMP = _bump_statement(limited=False)
_BUMP_UNDER_LIMIT = _bump_statement(limited=True)


def counts_without_limit(quota: str) -> bool:
    """Whether ``enforce_quota`` would only count ``quota`` (billing off, a monthly quota): no
    limit to check, no account to lock, one counter to bump. A caller may then count in its own
    statement (``count_cte``) instead of calling ``enforce_quota``."""
    if quota not in QUOTAS:
        raise ValueError(f"unknown quota {quota!r}")
    return quota in MONTHLY_QUOTAS and not billing_enabled()


def count_cte(name: str = "counted") -> Any:
    """``enforce_quota``'s count when ``counts_without_limit``, as a CTE for the caller's own
    statement (it runs whether or not the statement reads it; ``count_params`` gives its
    parameters). Build it once, with the statement."""
    return _bump_statement(limited=False, prefix="count_").cte(name)


def count_params(*, user_id: uuid.UUID, quota: str) -> dict[str, Any]:
    """The parameters of a ``count_cte``: one more ``quota`` action this month."""
    return {
        "count_user_id": user_id,
        "count_quota": quota,
        "count_period_start": _month_start(_now()),
    }


async def _bump(
    session: AsyncSession, user_id: uuid.UUID, quota: str, period: datetime, *, limit: int | None
) -> int | None:
    """used + 1 when under ``limit`` (one conditional upsert); the new count, or None."""
    if limit is not None and limit <= 0:
        return None
    params: dict[str, Any] = {"user_id": user_id, "quota": quota, "period_start": period}
    if limit is None:
        return (await session.execute(_BUMP, params)).scalar_one_or_none()
    params["limit"] = limit
    return (await session.execute(_BUMP_UNDER_LIMIT, params)).scalar_one_or_none()


async def _counter(session: AsyncSession, user_id: uuid.UUID, quota: str, period: datetime) -> int:
    used = (
        await session.execute(
            select(UsageCounter.used).where(
                UsageCounter.user_id == user_id,
                UsageCounter.quota == quota,
                UsageCounter.period_start == period,
            )
        )
    ).scalar_one_or_none()
    return int(used or 0)


async def _thresholds(
    session: AsyncSession, user_id: uuid.UUID, quota: str, before: int, after: int, limit: int
) -> None:
    warn_at = math.ceil(limit * 0.8)
    if before < limit <= after:
        await _emit(session, user_id, "quota_reached", quota=quota, used=after, limit=limit)
    elif before < warn_at <= after:
        await _emit(session, user_id, "quota_warning", quota=quota, used=after, limit=limit)


async def usage(session: AsyncSession, *, user_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every quota with what is used, its limit (None = unlimited) and when it resets."""
    if billing_enabled():
        account, plan = await _account(session, user_id, lock=False)
        period, resets, quotas = account.period_start, account.period_end, plan.quotas
    else:
        period = _month_start(_now())
        resets, quotas = add_months(period), {}
    rows = []
    for quota in QUOTAS:
        if quota in MONTHLY_QUOTAS:
            used = await _counter(session, user_id, quota, period)
        else:
            count = _counters.get(quota)
            used = await count(session, user_id) if count else 0
        rows.append(
            {
                "quota": quota,
                "used": used,
                "limit": quotas.get(quota),
                "resets_at": resets if quota in MONTHLY_QUOTAS else None,
            }
        )
    return rows


async def current_plan(session: AsyncSession, *, user_id: uuid.UUID) -> Plan:
    if not billing_enabled():
        return await get_plan_by_slug(session, SELF_HOSTED)
    return (await _account(session, user_id, lock=False))[1]


async def subscription_view(session: AsyncSession, *, user_id: uuid.UUID) -> dict[str, Any]:
    if not billing_enabled():
        return {
            "plan": SELF_HOSTED,
            "status": "active",
            "current_period_end": None,
            "cancel_at_period_end": False,
        }
    account, plan = await _account(session, user_id, lock=False)
    subscription = (
        await session.get(Subscription, account.subscription_id)
        if account.subscription_id
        else None
    )
    if subscription is None:
        return {
            "plan": plan.slug,
            "status": "active",
            "current_period_end": None,
            "cancel_at_period_end": False,
        }
    return {
        "plan": plan.slug,
        "status": subscription.status,
        "current_period_end": subscription.current_period_end,
        "cancel_at_period_end": subscription.cancel_at_period_end,
    }


async def list_payments(
    session: AsyncSession, *, user_id: uuid.UUID, page: PageParams
) -> tuple[list[Payment], int]:
    total = (
        await session.execute(select(func.count()).where(Payment.user_id == user_id))
    ).scalar_one()
    rows = await session.execute(
        select(Payment)
        .where(Payment.user_id == user_id)
        .order_by(Payment.paid_at.desc(), Payment.id)
        .offset(page.offset)
        .limit(page.per_page)
    )
    return list(rows.scalars()), int(total)


# ---- PayPal: checkout, cancel, catalog ----------------------------------------------------------


def paypal_client(settings: Settings | None = None) -> PayPalClient:
    return PayPalClient.from_settings(settings or get_settings())


def _upstream(exc: PayPalError) -> UpstreamError:
    return UpstreamError(
        "The payment provider failed; nothing was charged or changed. Try again in a moment.",
        details={
            "provider": "paypal",
            "debug_id": exc.debug_id,
            "status": exc.status,
            "name": exc.name,
            "reason": exc.message,
        },
    )


def _require_billing() -> Settings:
    settings = get_settings()
    if not billing_enabled(settings):
        raise BillingDisabled()
    return settings


async def start_checkout(session: AsyncSession, *, user: User, plan_slug: str) -> dict[str, Any]:
    """Create a PayPal subscription for ``plan_slug``; the buyer approves it at the returned
    URL and the ACTIVATED webhook moves the account onto the plan."""
    settings = _require_billing()
    plan = (
        await session.execute(
            select(Plan).where(Plan.slug == plan_slug, Plan.is_active, Plan.is_public)
        )
    ).scalar_one_or_none()
    if plan is None:
        raise ValidationFailed(
            f"No plan {plan_slug!r} to subscribe to",
            details={"errors": [{"path": "$.plan", "message": "unknown plan"}]},
        )
    if plan.price <= 0:
        raise ValidationFailed(
            f"The {plan.slug} plan is free: nothing to pay",
            details={"errors": [{"path": "$.plan", "message": "free plan"}]},
        )
    if not plan.paypal_plan_id:
        raise Conflict(
            f"The {plan.slug} plan is not set up with PayPal yet: an admin runs "
            "`resumate billing sync-paypal`"
        )
    account, current = await _account(session, user.id, lock=False)
    if current.id == plan.id and account.plan_expires_at is None:
        raise Conflict(f"You are already on the {plan.slug} plan")
    subscription = Subscription(
        id=uuid.uuid4(), user_id=user.id, plan_id=plan.id, status="approval_pending"
    )
    session.add(subscription)
    await session.flush()
    base = settings.public_url.rstrip("/")
    try:
        created = await paypal_client(settings).create_subscription(
            plan_id=plan.paypal_plan_id,
            custom_id=str(user.id),
            return_url=settings.billing_return_url or f"{base}/billing/return",
            cancel_url=settings.billing_cancel_url or f"{base}/billing/cancelled",
            request_id=f"resumate-checkout-{subscription.id}",
        )
    except PayPalError as exc:
        raise _upstream(exc) from exc
    approve = next(
        (
            link.get("href")
            for link in created.get("links") or []
            if isinstance(link, dict) and link.get("rel") == "approve"
        ),
        None,
    )
    if not isinstance(created.get("id"), str) or not approve:
        raise UpstreamError(
            "The payment provider's answer has no approval link",
            details={"provider": "paypal", "debug_id": None},
        )
    subscription.paypal_subscription_id = created["id"]
    await session.flush()
    await _emit(
        session,
        user.id,
        "checkout_started",
        plan=plan.slug,
        subscription_id=str(subscription.id),
    )
    return {"approval_url": approve, "subscription_id": subscription.id}


async def cancel(session: AsyncSession, *, user: User) -> dict[str, Any]:
    """Cancel the subscription at PayPal; the plan stays until the paid period ends."""
    settings = _require_billing()
    account, plan = await _account(session, user.id, lock=False)
    subscription = (
        await session.get(Subscription, account.subscription_id, with_for_update=True)
        if account.subscription_id
        else None
    )
    if subscription is None or subscription.status not in (*LIVE_STATUSES, "cancelled"):
        raise Conflict("You have no subscription to cancel")
    if subscription.status != "cancelled":
        assert subscription.paypal_subscription_id is not None
        try:
            await paypal_client(settings).cancel_subscription(
                subscription.paypal_subscription_id,
                reason="Cancelled by the subscriber in Resumate",
                request_id=f"resumate-cancel-{subscription.id}",
            )
        except PayPalError as exc:
            raise _upstream(exc) from exc
        account, plan = await _account(session, user.id, lock=True)
        await _mark_cancelled(session, subscription, account, _now(), plan.slug)
    return await subscription_view(session, user_id=user.id)


async def sync_paypal_catalog(
    session: AsyncSession, *, client: PayPalClient | None = None
) -> list[tuple[str, str, bool]]:
    """Create the catalog product and one PayPal billing plan per paid plan that has none.
    Returns (slug, paypal plan id, created) per paid plan."""
    _require_billing()
    client = client or paypal_client()
    plans = list(
        (
            await session.execute(
                select(Plan).where(Plan.price > 0, Plan.is_active).order_by(Plan.slug)
            )
        ).scalars()
    )
    product_id = next((p.paypal_product_id for p in plans if p.paypal_product_id), None)
    results: list[tuple[str, str, bool]] = []
    for plan in plans:
        if plan.paypal_plan_id:
            results.append((plan.slug, plan.paypal_plan_id, False))
            continue
        try:
            if product_id is None:
                product = await client.create_product(
                    name="Resumate",
                    description="Resumate subscription plans",
                    request_id="resumate-product-v1",
                )
                product_id = str(product["id"])
            price = f"{plan.price:.2f}"
            created = await client.create_plan(
                product_id=product_id,
                name=f"Resumate {plan.name}"[:127],
                price=price,
                currency=plan.currency,
                interval=plan.interval,
                request_id=f"resumate-plan-{plan.id}-{price}-{plan.currency}-{plan.interval}",
            )
        except PayPalError as exc:
            raise _upstream(exc) from exc
        plan.paypal_product_id = product_id
        plan.paypal_plan_id = str(created["id"])
        await session.flush()
        results.append((plan.slug, plan.paypal_plan_id, True))
    return results


async def _mark_cancelled(
    session: AsyncSession,
    subscription: Subscription,
    account: BillingAccount,
    when: datetime,
    plan_slug: str,
) -> None:
    was = subscription.status
    subscription.status = "cancelled"
    subscription.cancel_at_period_end = True
    subscription.cancelled_at = subscription.cancelled_at or when
    ends = subscription.current_period_end or when
    subscription.ended_at = ends
    if account.subscription_id == subscription.id:
        # A failed payment's grace ends earlier than the unpaid period.
        account.plan_expires_at = min(ends, subscription.grace_until or ends)
    await session.flush()
    if was != "cancelled":
        await _emit(
            session,
            subscription.user_id,
            "subscription_cancelled",
            plan=plan_slug,
            ends_at=ends.isoformat(),
            ends_on=ends.date().isoformat(),
        )


# ---- admin --------------------------------------------------------------------------------------


async def list_subscriptions(
    session: AsyncSession, *, page: PageParams, status: str | None = None
) -> tuple[list[tuple[Subscription, str, str]], int]:
    where = [Subscription.status == status] if status else []
    total = (
        await session.execute(select(func.count()).select_from(Subscription).where(*where))
    ).scalar_one()
    rows = await session.execute(
        select(Subscription, Plan.slug, User.email)
        .join(Plan, Plan.id == Subscription.plan_id)
        .join(User, User.id == Subscription.user_id)
        .where(*where)
        .order_by(Subscription.created_at.desc(), Subscription.id)
        .offset(page.offset)
        .limit(page.per_page)
    )
    return [(s, slug, email) for s, slug, email in rows.all()], int(total)


async def admin_metrics(session: AsyncSession) -> dict[str, Any]:
    """Monthly recurring revenue per currency (live subscriptions not set to end), and churn
    over the last 30 days (subscriptions cancelled or expired / those live 30 days ago)."""
    now = _now()
    since = now - timedelta(days=30)
    rows = (
        await session.execute(
            select(Plan.currency, Plan.interval, func.sum(Plan.price), func.count())
            .join(Subscription, Subscription.plan_id == Plan.id)
            .where(
                Subscription.status.in_(LIVE_STATUSES),
                Subscription.cancel_at_period_end.is_(False),
                # A failed payment whose grace is over no longer brings revenue.
                Subscription.grace_until.is_(None) | (Subscription.grace_until > now),
            )
            .group_by(Plan.currency, Plan.interval)
        )
    ).all()
    mrr: dict[str, Decimal] = {}
    live = 0
    for currency, interval, total, count in rows:
        amount = Decimal(total) / 12 if interval == "year" else Decimal(total)
        mrr[currency] = mrr.get(currency, Decimal(0)) + amount
        live += int(count)
    churned = int(
        (
            await session.execute(
                select(func.count())
                .select_from(Subscription)
                .where(
                    func.coalesce(Subscription.cancelled_at, Subscription.ended_at) >= since,
                    Subscription.status.in_(("cancelled", "expired")),
                    Subscription.activated_at.is_not(None),
                )
            )
        ).scalar_one()
    )
    at_start = int(
        (
            await session.execute(
                select(func.count())
                .select_from(Subscription)
                .where(
                    Subscription.activated_at < since,
                    (Subscription.cancelled_at.is_(None)) | (Subscription.cancelled_at >= since),
                )
            )
        ).scalar_one()
    )
    plans = dict(
        (
            await session.execute(
                select(Plan.slug, func.count())
                .join(BillingAccount, BillingAccount.plan_id == Plan.id)
                .group_by(Plan.slug)
            )
        ).all()
    )
    return {
        "mode": get_settings().billing,
        "mrr": {
            currency: f"{amount.quantize(Decimal('0.01'))}" for currency, amount in mrr.items()
        },
        "active_subscriptions": live,
        "churned_last_30_days": churned,
        "churn_rate_30_days": round(churned / at_start, 4) if at_start else None,
        "accounts_per_plan": {str(k): int(v) for k, v in plans.items()},
    }


# ---- account export ------------------------------------------------------------------------------


async def _export(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    from resumate.modules.billing.schemas import PaymentRead

    subscriptions = (
        await session.execute(
            select(Subscription, Plan.slug)
            .join(Plan, Plan.id == Subscription.plan_id)
            .where(Subscription.user_id == user_id)
            .order_by(Subscription.created_at)
        )
    ).all()
    payments = (
        await session.execute(
            select(Payment).where(Payment.user_id == user_id).order_by(Payment.paid_at)
        )
    ).scalars()
    return {
        "subscriptions": [
            {
                "plan": slug,
                "status": s.status,
                "paypal_subscription_id": s.paypal_subscription_id,
                "created_at": s.created_at.isoformat(),
                "current_period_end": s.current_period_end.isoformat()
                if s.current_period_end
                else None,
            }
            for s, slug in subscriptions
        ],
        "payments": [PaymentRead.model_validate(p).model_dump(mode="json") for p in payments],
    }


def _register() -> None:
    from resumate.modules.users import service as user_service

    user_service.register_user_data(user_service.UserDataProvider(name="billing", export=_export))


_register()
