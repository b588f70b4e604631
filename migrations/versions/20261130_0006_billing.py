"""billing: plans (free, pro, self-hosted seeded), accounts on free, usage counters, PayPal
subscriptions, webhook events and payments

Revision ID: 0006
Revises: 0008
Create Date: 2026-11-30
"""

import json
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEED_PLANS = (
    # slug, name, price, public, quotas
    (
        "free",
        "Free",
        "0.00",
        True,
        {"resumes": 3, "pdf_renders": 10, "cv_analyses": 5, "saved_jobs": 20},
    ),
    (
        "pro",
        "Pro",
        "9.00",
        True,
        {"resumes": 100, "pdf_renders": None, "cv_analyses": 200, "saved_jobs": 2000},
    ),
    (
        "self-hosted",
        "Self-hosted",
        "0.00",
        False,
        {"resumes": None, "pdf_renders": None, "cv_analyses": None, "saved_jobs": None},
    ),
)


def _timestamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(40), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("price", sa.Numeric(10, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("interval", sa.String(10), nullable=False),
        sa.Column("quotas", postgresql.JSONB(), nullable=False),
        sa.Column("paypal_product_id", sa.String(60)),
        sa.Column("paypal_plan_id", sa.String(60)),
        sa.Column("is_public", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_plans"),
        sa.UniqueConstraint("slug", name="uq_plans_slug"),
        sa.UniqueConstraint("paypal_plan_id", name="uq_plans_paypal_plan_id"),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("paypal_subscription_id", sa.String(60)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("current_period_end", sa.DateTime(timezone=True)),
        sa.Column("cancel_at_period_end", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("grace_until", sa.DateTime(timezone=True)),
        sa.Column("activated_at", sa.DateTime(timezone=True)),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.Column("last_event_at", sa.DateTime(timezone=True)),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_subscriptions_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name="fk_subscriptions_plan_id_plans"),
        sa.UniqueConstraint(
            "paypal_subscription_id", name="uq_subscriptions_paypal_subscription_id"
        ),
    )
    op.create_index("ix_subscriptions_user_id", "subscriptions", ["user_id"])
    op.create_table(
        "billing_accounts",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("subscription_id", sa.Uuid()),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("plan_expires_at", sa.DateTime(timezone=True)),
        *_timestamps(),
        sa.PrimaryKeyConstraint("user_id", name="pk_billing_accounts"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_billing_accounts_user_id_users",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_billing_accounts_plan_id_plans"
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name="fk_billing_accounts_subscription_id_subscriptions",
            ondelete="SET NULL",
        ),
    )
    op.create_table(
        "usage_counters",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("quota", sa.String(30), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("user_id", "quota", "period_start", name="pk_usage_counters"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_usage_counters_user_id_users", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "paypal_events",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("resource_id", sa.String(100)),
        sa.Column("event_time", sa.DateTime(timezone=True)),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column(
            "received_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name="pk_paypal_events"),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("subscription_id", sa.Uuid()),
        sa.Column("paypal_sale_id", sa.String(60), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("refunded_amount", sa.Numeric(12, 2)),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refunded_at", sa.DateTime(timezone=True)),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name="pk_payments"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_payments_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name="fk_payments_subscription_id_subscriptions",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("paypal_sale_id", name="uq_payments_paypal_sale_id"),
    )
    op.create_index("ix_payments_user_id", "payments", ["user_id"])

    plans = sa.table(
        "plans",
        sa.column("id", sa.Uuid()),
        sa.column("slug", sa.String()),
        sa.column("name", sa.String()),
        sa.column("price", sa.Numeric()),
        sa.column("currency", sa.String()),
        sa.column("interval", sa.String()),
        sa.column("quotas", postgresql.JSONB()),
        sa.column("is_public", sa.Boolean()),
        sa.column("is_active", sa.Boolean()),
    )
    op.bulk_insert(
        plans,
        [
            {
                "id": uuid.uuid4(),
                "slug": slug,
                "name": name,
                "price": price,
                "currency": "EUR",
                "interval": "month",
                "quotas": json.loads(json.dumps(quotas)),
                "is_public": public,
                "is_active": True,
            }
            for slug, name, price, public, quotas in SEED_PLANS
        ],
    )
    # Every existing account starts on free, its usage period the current calendar month.
    op.execute(
        """
        INSERT INTO billing_accounts (user_id, plan_id, period_start, period_end)
        SELECT u.id, p.id,
               date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
               (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month')
                   AT TIME ZONE 'UTC'
        FROM users u CROSS JOIN plans p WHERE p.slug = 'free'
        """
    )


def downgrade() -> None:
    op.drop_table("payments")
    op.drop_table("paypal_events")
    op.drop_table("usage_counters")
    op.drop_table("billing_accounts")
    op.drop_index("ix_subscriptions_user_id", table_name="subscriptions")
    op.drop_table("subscriptions")
    op.drop_table("plans")
