"""Plans, each account's current plan and usage, PayPal subscriptions, events and payments."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from resumate.core.db import Base, Timestamps, UUIDPk

# Quotas every plan names; None = unlimited. Monthly ones reset each billing period.
QUOTAS = ("resumes", "pdf_renders", "cv_analyses", "saved_jobs")
MONTHLY_QUOTAS = frozenset({"pdf_renders", "cv_analyses"})
INTERVALS = ("month", "year")


class Plan(UUIDPk, Timestamps, Base):
    __tablename__ = "plans"

    slug: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=False, default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="EUR")
    interval: Mapped[str] = mapped_column(String(10), nullable=False, default="month")
    quotas: Mapped[dict[str, int | None]] = mapped_column(JSONB, nullable=False, default=dict)
    paypal_product_id: Mapped[str | None] = mapped_column(String(60))
    paypal_plan_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    # Listed by GET /billing/plans and open to checkout.
    is_public: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class BillingAccount(Base):
    """One row per user: the plan in force, the current usage period, and when a paid plan
    ends (cancelled at period end, or a failed payment's grace). Quota checks lock this row."""

    __tablename__ = "billing_accounts"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id"), nullable=False)
    subscription_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="SET NULL")
    )
    period_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    period_end: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    plan_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )


class UsageCounter(Base):
    """Monthly quota use of one account in one period."""

    __tablename__ = "usage_counters"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    quota: Mapped[str] = mapped_column(String(30), primary_key=True)
    period_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    used: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Subscription(UUIDPk, Timestamps, Base):
    __tablename__ = "subscriptions"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id"), nullable=False)
    paypal_subscription_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    # approval_pending, active, past_due (a payment failed, in grace), suspended, cancelled,
    # expired
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    current_period_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_at_period_end: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    grace_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    activated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The time of the newest PayPal event applied: older ones never move the state back.
    last_event_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PayPalEvent(Base):
    """Every verified webhook delivery, once (the PayPal event id is the key)."""

    __tablename__ = "paypal_events"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(100), nullable=False)
    resource_id: Mapped[str | None] = mapped_column(String(100))
    event_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # applied, ignored (a type we do not handle), stale (older than the state), orphan (no
    # matching subscription or user)
    outcome: Mapped[str] = mapped_column(String(20), nullable=False, default="applied")
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class Payment(UUIDPk, Base):
    __tablename__ = "payments"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    subscription_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="SET NULL")
    )
    paypal_sale_id: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)  # completed, refunded
    refunded_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    paid_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
