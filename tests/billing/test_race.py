"""Quotas under concurrency, against committed data: real parallel requests, each in its own
transaction on its own connection (the rolled-back test transaction would serialise them)."""

from __future__ import annotations

import asyncio
import copy
import uuid
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text

from resumate.config import Settings
from resumate.core import db as db_module
from resumate.modules.billing import service as billing_service
from resumate.rendering.pdf import sample_resume
from tests.billing.conftest import API
from tests.factories import new_user_headers

PARALLEL = 20


@pytest.fixture
async def wide_database(database: db_module.Database) -> AsyncIterator[db_module.Database]:
    """The app on a pool wide enough for every parallel request to hold a connection."""
    wide = db_module.Database(database.url, pool_size=PARALLEL + 4, max_overflow=0)
    db_module.set_database(wide)
    try:
        yield wide
    finally:
        db_module.set_database(database)
        await wide.dispose()


@pytest.fixture
async def committed_client(
    app, wide_database: db_module.Database
) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """A client whose requests commit for real; the users it made are deleted afterwards."""
    database = wide_database
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        client.created_users = []  # type: ignore[attr-defined]
        try:
            yield client
        finally:
            async with database.engine.begin() as conn:
                for user_id in client.created_users:  # type: ignore[attr-defined]
                    await conn.execute(text("DELETE FROM users WHERE id = :id"), {"id": user_id})


async def test_parallel_creates_at_one_below_the_limit_let_exactly_one_through(
    committed_client: httpx.AsyncClient, billing_on: Settings, wide_database: db_module.Database
) -> None:
    user, headers = await new_user_headers(committed_client)
    committed_client.created_users.append(user["id"])  # type: ignore[attr-defined]
    payload = {"title": "CV", "data": copy.deepcopy(sample_resume())}
    for _ in range(2):  # free allows 3
        response = await committed_client.post(f"{API}/resumes", json=payload, headers=headers)
        assert response.status_code == 201, response.text

    async def attempt() -> int:
        response = await committed_client.post(f"{API}/resumes", json=payload, headers=headers)
        return response.status_code

    statuses = Counter(await asyncio.gather(*(attempt() for _ in range(PARALLEL))))
    assert statuses == {201: 1, 402: PARALLEL - 1}, statuses
    async with wide_database.engine.connect() as conn:
        count = (
            await conn.execute(
                text("SELECT count(*) FROM resumes WHERE user_id = :u"), {"u": user["id"]}
            )
        ).scalar_one()
    assert count == 3


async def test_parallel_monthly_actions_let_exactly_one_through(
    committed_client: httpx.AsyncClient, billing_on: Settings, wide_database: db_module.Database
) -> None:
    """The monthly counter (PDF renders: free allows 10) at 9, 20 transactions at once."""
    user, _ = await new_user_headers(committed_client)
    committed_client.created_users.append(user["id"])  # type: ignore[attr-defined]
    user_id = uuid.UUID(user["id"])
    database = wide_database
    async with database.sessionmaker() as session, session.begin():
        for _ in range(9):
            await billing_service.enforce_quota(session, user_id=user_id, quota="pdf_renders")
    # Every transaction is open before any of them counts.
    gate = asyncio.Event()

    async def attempt() -> str:
        async with database.sessionmaker() as session:
            try:
                async with session.begin():
                    await session.execute(text("SELECT 1"))
                    await gate.wait()
                    await billing_service.enforce_quota(
                        session, user_id=user_id, quota="pdf_renders"
                    )
                    await asyncio.sleep(0.01)  # the action itself, still in the transaction
                return "ok"
            except billing_service.QuotaExceeded:
                return "refused"

    tasks = [asyncio.create_task(attempt()) for _ in range(PARALLEL)]
    await asyncio.sleep(0.2)
    gate.set()
    outcomes = Counter(await asyncio.gather(*tasks))
    assert outcomes == {"ok": 1, "refused": len(tasks) - 1}, outcomes
    async with database.engine.connect() as conn:
        used = (
            await conn.execute(
                text(
                    "SELECT used FROM usage_counters WHERE user_id = :u AND quota = 'pdf_renders'"
                ),
                {"u": user["id"]},
            )
        ).scalar_one()
    assert used == 10
