"""Billing test fixtures: PayPal mode against the fake PayPal server, plans adjusted inside
the test's transaction, and helpers for signed webhook deliveries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from resumate.config import Settings, set_settings
from resumate.modules.billing.paypal import clear_token_cache
from tests.fakes.paypal import FakePayPal

API = "/api/v1"


def paypal_settings(settings: Settings, fake: FakePayPal | None) -> Settings:
    return settings.model_copy(
        update={
            "billing": "paypal",
            "paypal_client_id": fake.client_id if fake else "unused",
            "paypal_client_secret": SecretStr(fake.secret if fake else "unused"),
            "paypal_webhook_id": fake.webhook_id if fake else "WH-unused",
            "paypal_api_base": fake.url if fake else "http://127.0.0.1:9",
            "paypal_retries": 2,
            "paypal_timeout": 5.0,
        }
    )


@pytest.fixture
def billing_on(settings: Settings) -> Iterator[Settings]:
    """RESUMATE_BILLING=paypal without a PayPal server (quotas only)."""
    enabled = paypal_settings(settings, None)
    set_settings(enabled)
    yield enabled


@pytest.fixture
def paypal(settings: Settings) -> Iterator[FakePayPal]:
    """RESUMATE_BILLING=paypal against a fake PayPal server."""
    clear_token_cache()
    with FakePayPal() as fake:
        set_settings(paypal_settings(settings, fake))
        try:
            yield fake
        finally:
            clear_token_cache()


async def set_quotas(session: AsyncSession, slug: str, **quotas: int | None) -> None:
    """Change a plan's quotas inside the test's transaction."""
    import json

    await session.execute(
        text("UPDATE plans SET quotas = quotas || CAST(:q AS jsonb) WHERE slug = :slug"),
        {"q": json.dumps(quotas), "slug": slug},
    )
    await session.commit()


async def deliver(
    client: httpx.AsyncClient, fake: FakePayPal, event: dict[str, Any]
) -> httpx.Response:
    headers, body = fake.signed(event)
    return await client.post(f"{API}/billing/webhooks/paypal", content=body, headers=headers)
