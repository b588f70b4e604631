"""What billing tells notifications and analytics (its listener runs in the transaction of the
billing change it reports: a rolled-back webhook leaves no notification behind)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from resumate.modules.analytics import service as analytics_service
from resumate.modules.billing import service as billing_service
from resumate.modules.notifications import service as notification_service

# Billing event -> notification kind (the kinds' texts take the event's data as parameters).
NOTIFIED = {
    "quota_warning": "quota_warning",
    "quota_reached": "quota_reached",
    "subscription_activated": "subscription_activated",
    "payment_failed": "payment_failed",
    "subscription_cancelled": "subscription_cancelled",
}
RECORDED = {
    "checkout_started": analytics_service.CHECKOUT_STARTED,
    "subscription_activated": analytics_service.SUBSCRIPTION_ACTIVATED,
}


async def on_billing_event(
    session: AsyncSession, user_id: uuid.UUID, event: str, data: dict[str, Any]
) -> None:
    if event in RECORDED:
        await analytics_service.record_event(
            session,
            owner_id=user_id,
            resource_type="user",
            resource_id=user_id,
            event=RECORDED[event],
            meta={"plan": data.get("plan")},
        )
    kind = NOTIFIED.get(event)
    if kind is None:
        return
    # Billing reports a threshold only when a use crosses it, so once per quota and period.
    await notification_service.notify(
        session,
        user_id=user_id,
        kind=kind,
        params={k: v for k, v in data.items() if isinstance(v, str | int | float)},
        link="/app/billing" if kind.startswith(("subscription", "payment")) else "/app",
        data={k: str(v) for k, v in data.items()},
    )


billing_service.add_listener(on_billing_event)
