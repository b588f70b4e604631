"""`resumate billing sync-paypal` as an operator runs it: a real subprocess, its own database
(created on the test server and dropped after), the fake PayPal server."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from resumate.core.migrations import upgrade
from resumate.core.pgserver import EmbeddedServer
from tests.fakes.paypal import FakePayPal
from tests.test_cli import child_env, run


@pytest.fixture
def cli_database(pg_server: EmbeddedServer) -> Iterator[str]:
    name = f"billing_cli_{secrets.token_hex(4)}"
    admin = pg_server.url("postgres", driver="")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = pg_server.url(name)
    upgrade(url)
    try:
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def paypal_env(tmp_path: Path, url: str, fake: FakePayPal) -> dict[str, str]:
    return child_env(
        tmp_path / "data",
        DATABASE_URL=url,
        RESUMATE_BILLING="paypal",
        RESUMATE_PAYPAL_CLIENT_ID=fake.client_id,
        RESUMATE_PAYPAL_CLIENT_SECRET=fake.secret,
        RESUMATE_PAYPAL_WEBHOOK_ID=fake.webhook_id,
        RESUMATE_PAYPAL_API_BASE=fake.url,
    )


def test_sync_paypal_links_the_paid_plans_once(tmp_path: Path, cli_database: str) -> None:
    with FakePayPal() as fake:
        env = paypal_env(tmp_path, cli_database, fake)
        first = run(["billing", "sync-paypal"], cwd=tmp_path, env=env)
        assert first.returncode == 0, first.stderr
        [plan_id] = list(fake.plans)
        assert f"pro: created PayPal plan {plan_id}" in first.stdout
        second = run(["billing", "sync-paypal"], cwd=tmp_path, env=env)
        assert second.returncode == 0, second.stderr
        assert f"pro: already linked to PayPal plan {plan_id}" in second.stdout
        assert len(fake.requests_to("/v1/billing/plans")) == 1
    libpq = cli_database.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(libpq) as conn:
        stored = conn.execute("SELECT paypal_plan_id FROM plans WHERE slug = 'pro'").fetchone()
    assert stored == (plan_id,)


def test_sync_paypal_reports_paypal_failures_and_missing_settings(
    tmp_path: Path, cli_database: str
) -> None:
    with FakePayPal() as fake:
        env = paypal_env(tmp_path, cli_database, fake)
        env["RESUMATE_PAYPAL_CLIENT_SECRET"] = "wrong"
        env["RESUMATE_PAYPAL_RETRIES"] = "0"
        failed = run(["billing", "sync-paypal"], cwd=tmp_path, env=env)
        assert failed.returncode != 0
        assert "payment provider failed" in failed.stderr
        assert "invalid_client" in failed.stderr
        missing = paypal_env(tmp_path, cli_database, fake)
        del missing["RESUMATE_PAYPAL_WEBHOOK_ID"]
        result = run(["billing", "sync-paypal"], cwd=tmp_path, env=missing)
        assert result.returncode != 0
        assert "RESUMATE_PAYPAL_WEBHOOK_ID" in result.stderr
    off = run(
        ["billing", "sync-paypal"],
        cwd=tmp_path,
        env=child_env(tmp_path / "data", DATABASE_URL=cli_database),
    )
    assert off.returncode != 0 and "RESUMATE_BILLING=paypal" in off.stderr
