"""Billing figures (issue 11), in process against an embedded PostgreSQL in a temp dir:

- the quota check's overhead on a limited action: a transaction that creates a resume
  (``resume_service.create_resume`` then commit) with ``RESUMATE_BILLING=off`` (no check) and
  ``paypal`` (row lock on the account + count), and one that counts a PDF render (the monthly
  counter's conditional upsert) against an empty transaction; p50/p95 each;
- webhook handling: ``POST /api/v1/billing/webhooks/paypal`` through the ASGI app, including
  the verification call to the fake PayPal server on loopback, for new events and replays.

Usage: .venv/bin/python benchmarks/bench_billing.py [--actions 400] [--webhooks 300]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("RESUMATE_LOG_LEVEL", "WARNING")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from sqlalchemy import text  # noqa: E402
from tests.fakes.paypal import FakePayPal  # noqa: E402

from resumate.config import Settings, set_settings  # noqa: E402
from resumate.core import db as db_module  # noqa: E402
from resumate.core.migrations import upgrade  # noqa: E402
from resumate.core.pgserver import start_embedded, stop_embedded  # noqa: E402
from resumate.rendering.pdf import sample_resume  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def line(name: str, values: list[float]) -> str:
    return (
        f"| {name} | {len(values)} | {pct(values, 50) * 1000:.2f} | {pct(values, 95) * 1000:.2f} "
        f"| {statistics.mean(values) * 1000:.2f} |"
    )


async def timed_transactions(database: db_module.Database, count: int, body) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(count):
        started = time.perf_counter()
        async with database.sessionmaker() as session, session.begin():
            await body(session)
        out.append(time.perf_counter() - started)
    return out


async def main(actions: int, webhooks: int) -> None:
    from resumate.app import create_app
    from resumate.modules.billing import service as billing_service
    from resumate.modules.resumes import service as resume_service

    tmp = Path(tempfile.mkdtemp(prefix="bench-billing-"))
    server = start_embedded(tmp, database="bench")
    try:
        url = server.url("bench")
        await asyncio.to_thread(upgrade, url)
        base = Settings(
            env="test",
            data_dir=tmp,
            database_url=url,
            secret_key=SecretStr("bench-" + "x" * 50),
            run_worker_in_process=False,
            log_level="WARNING",
        )
        database = db_module.Database(url, pool_size=4, max_overflow=0)
        db_module.set_database(database)
        async with database.engine.begin() as conn:
            user_id = uuid.uuid4()
            await conn.execute(
                text(
                    "INSERT INTO users (id, email, password_hash, role, is_active, email_verified)"
                    " VALUES (:id, 'bench@example.com', 'x', 'user', true, true)"
                ),
                {"id": user_id},
            )
            # Limits far away: every action is checked, none refused.
            await conn.execute(
                text(
                    'UPDATE plans SET quotas = \'{"resumes": 1000000, "pdf_renders": 1000000,'
                    ' "cv_analyses": 1000000, "saved_jobs": 1000000}\' WHERE slug = \'free\''
                )
            )
        document = copy.deepcopy(sample_resume())

        async def create(session) -> None:  # type: ignore[no-untyped-def]
            await resume_service.create_resume(
                session, user_id=user_id, title="Bench", data=document
            )

        async def render_count(session) -> None:  # type: ignore[no-untyped-def]
            await billing_service.enforce_quota(session, user_id=user_id, quota="pdf_renders")

        async def nothing(session) -> None:  # type: ignore[no-untyped-def]
            await session.execute(text("SELECT 1"))

        fake = FakePayPal().start()
        paypal = base.model_copy(
            update={
                "billing": "paypal",
                "paypal_client_id": fake.client_id,
                "paypal_client_secret": SecretStr(fake.secret),
                "paypal_webhook_id": fake.webhook_id,
                "paypal_api_base": fake.url,
            }
        )
        rows: list[str] = []
        results: dict[str, list[float]] = {}
        # Interleave rounds of both modes so machine load hits them alike.
        rounds = 4
        for _ in range(rounds):
            for mode, settings in (("off", base), ("paypal", paypal)):
                set_settings(settings)
                results.setdefault(f"create resume, billing {mode}", []).extend(
                    await timed_transactions(database, actions // rounds, create)
                )
            set_settings(paypal)
            results.setdefault("empty transaction (SELECT 1)", []).extend(
                await timed_transactions(database, actions // rounds, nothing)
            )
            results.setdefault("monthly quota count alone (pdf_renders)", []).extend(
                await timed_transactions(database, actions // rounds, render_count)
            )
        for name, values in results.items():
            rows.append(line(name, values))

        # Webhooks through the app.
        set_settings(paypal)
        app = create_app(paypal, manage_resources=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            plan_id = None
            async with database.sessionmaker() as session, session.begin():
                await billing_service.sync_paypal_catalog(session)
                plan_id = (
                    await session.execute(text("SELECT paypal_plan_id FROM plans WHERE slug='pro'"))
                ).scalar_one()
            from tests.fakes.paypal import iso

            sub_id = "I-BENCH0000001"
            now = iso(__import__("datetime").datetime.now(__import__("datetime").UTC))
            fake.subscriptions[sub_id] = {
                "id": sub_id,
                "plan_id": plan_id,
                "status": "APPROVAL_PENDING",
                "custom_id": str(user_id),
                "create_time": now,
                "links": [],
            }
            activation = fake.event(
                "BILLING.SUBSCRIPTION.ACTIVATED",
                fake.subscription_resource(sub_id, status="ACTIVE"),
            )
            headers, body = fake.signed(activation)
            first = await client.post(
                "/api/v1/billing/webhooks/paypal", content=body, headers=headers
            )
            assert first.status_code == 200, first.text
            new_events: list[float] = []
            replays: list[float] = []
            deliveries = []
            for i in range(webhooks):
                if i % 2:
                    event = fake.event("PAYMENT.SALE.COMPLETED", fake.sale_resource(sub_id))
                else:
                    event = fake.event(
                        "BILLING.SUBSCRIPTION.UPDATED",
                        fake.subscription_resource(sub_id, status="ACTIVE"),
                    )
                deliveries.append(fake.signed(event))
            for headers, body in deliveries:
                started = time.perf_counter()
                response = await client.post(
                    "/api/v1/billing/webhooks/paypal", content=body, headers=headers
                )
                new_events.append(time.perf_counter() - started)
                assert response.status_code == 200, response.text
            for headers, body in deliveries:
                started = time.perf_counter()
                response = await client.post(
                    "/api/v1/billing/webhooks/paypal", content=body, headers=headers
                )
                replays.append(time.perf_counter() - started)
                assert response.json()["data"]["outcome"] == "duplicate"
            verify_only: list[float] = []
            pp = billing_service.paypal_client(paypal)
            for headers, body in deliveries[:100]:
                lowered = {k.lower(): v for k, v in headers.items()}
                started = time.perf_counter()
                await pp.verify_webhook_signature(
                    headers=lowered,
                    webhook_id=fake.webhook_id,
                    event=__import__("json").loads(body),
                )
                verify_only.append(time.perf_counter() - started)
            rows.append(line("webhook, new event (verify + apply)", new_events))
            rows.append(line("verify-webhook-signature call alone (fake PayPal)", verify_only))
            rows.append(line("webhook, replay (verify + no-op)", replays))
        fake.stop()
        await database.dispose()
        print("| measurement | n | p50 ms | p95 ms | mean ms |")
        print("| --- | --- | --- | --- | --- |")
        print("\n".join(rows))
    finally:
        stop_embedded(tmp)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=400)
    parser.add_argument("--webhooks", type=int, default=300)
    args = parser.parse_args()
    asyncio.run(main(args.actions, args.webhooks))
