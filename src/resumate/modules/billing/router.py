"""Plans, my subscription and usage, checkout and cancel, PayPal webhooks, admin plans."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status

from resumate.core.db import SessionDep
from resumate.core.envelope import Envelope, ErrorEnvelope, PageParams, ok, paginated
from resumate.core.text import ShortText
from resumate.modules.auth.dependencies import AdminUser, CurrentUser
from resumate.modules.billing import service as billing_service
from resumate.modules.billing import webhooks as billing_webhooks
from resumate.modules.billing.schemas import (
    AdminSubscriptionRead,
    CheckoutIn,
    CheckoutRead,
    PaymentRead,
    PlanAdminRead,
    PlanCreate,
    PlanRead,
    PlanUpdate,
    SubscriptionRead,
    UsageRead,
    WebhookRead,
)

router = APIRouter(tags=["billing"])


def _errors(*pairs: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorEnvelope, "description": text} for code, text in pairs}


DISABLED = (409, "BILLING_DISABLED when billing is off, or a conflict with the current state")
UPSTREAM = (502, "UPSTREAM_ERROR: PayPal failed (its debug id in details)")


@router.get("/billing/plans")
async def list_plans(session: SessionDep) -> Envelope[list[PlanRead]]:
    """The plans an account can be on (public: no authentication)."""
    plans = await billing_service.list_plans(session)
    return ok([PlanRead.model_validate(p) for p in plans])


@router.get("/billing/subscription")
async def my_subscription(user: CurrentUser, session: SessionDep) -> Envelope[SubscriptionRead]:
    """My plan, the subscription's status and when its paid period ends."""
    view = await billing_service.subscription_view(session, user_id=user.id)
    return ok(SubscriptionRead(**view))


@router.get("/billing/usage")
async def my_usage(user: CurrentUser, session: SessionDep) -> Envelope[list[UsageRead]]:
    """Every quota of my plan: used, limit (null = unlimited) and when monthly ones reset."""
    rows = await billing_service.usage(session, user_id=user.id)
    return ok([UsageRead(**row) for row in rows])


@router.post("/billing/checkout", responses=_errors(DISABLED, UPSTREAM))
async def checkout(
    payload: CheckoutIn, user: CurrentUser, session: SessionDep
) -> Envelope[CheckoutRead]:
    """Start a PayPal subscription to a paid plan: send the buyer to ``approval_url``. The plan
    takes effect when PayPal confirms the subscription (webhook)."""
    result = await billing_service.start_checkout(session, user=user, plan_slug=payload.plan)
    return ok(CheckoutRead(**result))


@router.post("/billing/cancel", responses=_errors(DISABLED, UPSTREAM))
async def cancel(user: CurrentUser, session: SessionDep) -> Envelope[SubscriptionRead]:
    """Cancel my subscription; the plan stays until the paid period ends, then it is free."""
    view = await billing_service.cancel(session, user=user)
    return ok(SubscriptionRead(**view))


@router.get("/billing/payments")
async def my_payments(
    user: CurrentUser, session: SessionDep, page: Annotated[PageParams, Query()] = PageParams()
) -> Envelope[list[PaymentRead]]:
    """My payments (and refunds), newest first."""
    payments, total = await billing_service.list_payments(session, user_id=user.id, page=page)
    return paginated([PaymentRead.model_validate(p) for p in payments], total=total, params=page)


@router.post(
    "/billing/webhooks/paypal",
    responses=_errors((400, "Not verified by PayPal"), DISABLED, UPSTREAM),
)
async def paypal_webhook(request: Request, session: SessionDep) -> Envelope[WebhookRead]:
    """PayPal's webhook (no authentication): each delivery is verified with PayPal
    (``verify-webhook-signature``) and each event applied once; a replay answers 200 and
    changes nothing."""
    body = await request.body()
    result = await billing_webhooks.receive_webhook(
        session, headers=dict(request.headers), body=body
    )
    return ok(WebhookRead(**result))


# ---- admin ------------------------------------------------------------------------------------


@router.get("/admin/plans", tags=["admin"])
async def admin_list_plans(admin: AdminUser, session: SessionDep) -> Envelope[list[PlanAdminRead]]:
    """Every plan, inactive and hidden ones included (admin)."""
    plans = await billing_service.admin_list_plans(session)
    return ok([PlanAdminRead.model_validate(p) for p in plans])


@router.post("/admin/plans", tags=["admin"], status_code=status.HTTP_201_CREATED)
async def admin_create_plan(
    payload: PlanCreate, admin: AdminUser, session: SessionDep
) -> Envelope[PlanAdminRead]:
    """Create a plan (admin). Paid plans get their PayPal plan from ``resumate billing
    sync-paypal`` unless ``paypal_plan_id`` is given."""
    plan = await billing_service.create_plan(session, data=payload.model_dump())
    return ok(PlanAdminRead.model_validate(plan))


@router.patch("/admin/plans/{id}", tags=["admin"])
async def admin_update_plan(
    id: uuid.UUID, payload: PlanUpdate, admin: AdminUser, session: SessionDep
) -> Envelope[PlanAdminRead]:
    """Change a plan (admin). A new price, currency or interval drops the PayPal plan id (run
    ``resumate billing sync-paypal`` again); lower quotas never delete anything."""
    plan = await billing_service.update_plan(
        session, plan_id=id, changes=payload.model_dump(exclude_unset=True)
    )
    return ok(PlanAdminRead.model_validate(plan))


@router.get("/admin/subscriptions", tags=["admin"])
async def admin_list_subscriptions(
    admin: AdminUser,
    session: SessionDep,
    page: Annotated[PageParams, Query()] = PageParams(),
    status: Annotated[ShortText | None, Query(max_length=20)] = None,
) -> Envelope[list[AdminSubscriptionRead]]:
    """Every subscription, newest first, optionally of one status (admin)."""
    rows, total = await billing_service.list_subscriptions(session, page=page, status=status)
    return paginated(
        [AdminSubscriptionRead.build(s, plan, email) for s, plan, email in rows],
        total=total,
        params=page,
    )
