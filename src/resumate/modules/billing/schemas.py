from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from resumate.core.text import ShortText


def _not_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be blank")
    return value


PlanName = Annotated[ShortText, Field(min_length=1, max_length=100), AfterValidator(_not_blank)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Price = Annotated[Decimal, Field(ge=0, le=100_000, max_digits=10, decimal_places=2)]
QuotaLimit = Annotated[int, Field(ge=0, le=1_000_000_000)] | None
PayPalId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,60}$")]


class PlanRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    slug: str
    name: str
    price: Decimal
    currency: str
    interval: str
    quotas: dict[str, int | None]


class PlanAdminRead(PlanRead):
    paypal_product_id: str | None
    paypal_plan_id: str | None
    is_public: bool
    is_active: bool
    created_at: datetime
    updated_at: datetime


class PlanCreate(BaseModel):
    slug: Slug
    name: PlanName
    price: Price
    currency: Currency = "EUR"
    interval: Literal["month", "year"] = "month"
    quotas: dict[str, QuotaLimit] = Field(
        description="resumes, pdf_renders (a month), cv_analyses (a month), saved_jobs; "
        "null = unlimited"
    )
    paypal_plan_id: PayPalId | None = None
    is_public: bool = True
    is_active: bool = True


class PlanUpdate(BaseModel):
    name: PlanName | None = None
    price: Price | None = None
    currency: Currency | None = None
    interval: Literal["month", "year"] | None = None
    quotas: dict[str, QuotaLimit] | None = Field(
        default=None, description="Only the quotas given change"
    )
    paypal_plan_id: PayPalId | None = None
    is_public: bool | None = None
    is_active: bool | None = None


class SubscriptionRead(BaseModel):
    plan: str
    status: str
    current_period_end: datetime | None
    cancel_at_period_end: bool


class UsageRead(BaseModel):
    quota: str
    used: int
    limit: int | None
    resets_at: datetime | None


class CheckoutIn(BaseModel):
    plan: Annotated[ShortText, Field(min_length=1, max_length=40)]


class CheckoutRead(BaseModel):
    approval_url: str
    subscription_id: uuid.UUID


class PaymentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    subscription_id: uuid.UUID | None
    paypal_sale_id: str
    amount: Decimal
    currency: str
    status: str
    refunded_amount: Decimal | None
    paid_at: datetime
    refunded_at: datetime | None


class WebhookRead(BaseModel):
    event_id: str
    outcome: str


class AdminSubscriptionRead(BaseModel):
    id: uuid.UUID
    user_id: uuid.UUID
    email: str
    plan: str
    paypal_subscription_id: str | None
    status: str
    current_period_end: datetime | None
    cancel_at_period_end: bool
    grace_until: datetime | None
    activated_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime

    @classmethod
    def build(cls, subscription: Any, plan: str, email: str) -> AdminSubscriptionRead:
        return cls(
            id=subscription.id,
            user_id=subscription.user_id,
            email=email,
            plan=plan,
            paypal_subscription_id=subscription.paypal_subscription_id,
            status=subscription.status,
            current_period_end=subscription.current_period_end,
            cancel_at_period_end=subscription.cancel_at_period_end,
            grace_until=subscription.grace_until,
            activated_at=subscription.activated_at,
            cancelled_at=subscription.cancelled_at,
            created_at=subscription.created_at,
        )
