"""The connection pool serves waiters first come, first served, and says who holds it.

SQLAlchemy's asyncio pool puts a returned connection in its queue and wakes the oldest waiter;
a request asking before that waiter runs takes it (``get_nowait`` first), and the waiter goes
to the back of the line. Under load a request could be overtaken until its pool timeout: the
unexplained 503s of the load test. These run against the real PostgreSQL with real pools."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

from resumate.core import db as db_module
from resumate.core.metrics import render_metrics


async def _overtaking_order(engine: Any) -> list[str]:
    """One connection. ``waiter`` queues for it while ``holder`` has it; ``holder`` gives it
    back and at once asks again (as a busy server's next request would, before the woken
    waiter gets to run). Who got the connection, in order?"""
    order: list[str] = []
    holder_conn = await engine.connect()
    await holder_conn.execute(text("SELECT 1"))
    waiting = asyncio.Event()

    async def waiter() -> None:
        waiting.set()
        async with engine.connect() as conn:
            order.append("waiter")
            await conn.execute(text("SELECT 1"))

    task = asyncio.create_task(waiter())
    await waiting.wait()
    for _ in range(5):  # let the waiter reach the pool's queue
        await asyncio.sleep(0)
    await holder_conn.close()  # back to the pool: the waiter is woken...
    again: AsyncConnection = await engine.connect()  # ...and the holder asks again at once
    order.append("holder again")
    await again.close()
    await asyncio.wait_for(task, 10)
    return order


async def test_stock_pool_lets_a_newcomer_overtake_a_waiter(database_url: str) -> None:
    """The cause, shown on SQLAlchemy's own pool: the waiter is overtaken."""
    engine = create_async_engine(
        db_module.sqlalchemy_url(database_url),
        poolclass=AsyncAdaptedQueuePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=10,
    )
    try:
        assert await _overtaking_order(engine) == ["holder again", "waiter"]
    finally:
        await engine.dispose()


async def test_fair_pool_serves_the_waiter_first(database_url: str) -> None:
    database = db_module.Database(database_url, pool_size=1, max_overflow=0, pool_timeout=10)
    try:
        assert await _overtaking_order(database.engine) == ["waiter", "holder again"]
        assert database.pool.checkedout() == 0
    finally:
        await database.dispose()


async def test_waiters_are_served_in_arrival_order(database_url: str) -> None:
    # One connection, so the order served is the order handed over (with two, a client's
    # pre-ping can finish before the other's).
    database = db_module.Database(database_url, pool_size=1, max_overflow=0, pool_timeout=10)
    order: list[int] = []
    try:
        held = [await database.engine.connect()]
        for conn in held:
            await conn.execute(text("SELECT 1"))

        async def client(number: int) -> None:
            async with database.engine.connect() as conn:
                order.append(number)
                await conn.execute(text("SELECT 1"))
                await asyncio.sleep(0)

        tasks = []
        for number in range(8):
            tasks.append(asyncio.create_task(client(number)))
            for _ in range(5):
                await asyncio.sleep(0)
        assert database.pool.waiting() == 8
        for conn in held:
            await conn.close()
        await asyncio.wait_for(asyncio.gather(*tasks), 20)
        assert order == list(range(8))
        assert database.pool.checkedout() == 0
        assert database.pool.waiting() == 0
    finally:
        await database.dispose()


async def test_a_waiter_cancelled_after_the_hand_off_passes_the_connection_on(
    database_url: str,
) -> None:
    database = db_module.Database(database_url, pool_size=1, max_overflow=0, pool_timeout=10)
    try:
        held = await database.engine.connect()
        await held.execute(text("SELECT 1"))
        served: list[str] = []

        async def client(name: str) -> None:
            async with database.engine.connect() as conn:
                served.append(name)
                await conn.execute(text("SELECT 1"))

        first = asyncio.create_task(client("first"))
        for _ in range(5):
            await asyncio.sleep(0)
        second = asyncio.create_task(client("second"))
        for _ in range(5):
            await asyncio.sleep(0)
        await held.close()  # handed to "first", which has not run yet...
        first.cancel()  # ...and is cancelled (its client went away) before it does
        with pytest.raises(asyncio.CancelledError):
            await first
        await asyncio.wait_for(second, 10)
        assert served == ["second"]
        assert database.pool.checkedout() == 0
    finally:
        await database.dispose()


async def test_a_timed_out_wait_names_the_holders(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database = db_module.Database(database_url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    try:
        db_module.hold_as("POST /test/slow")
        held = await database.engine.connect()
        await held.execute(text("SELECT 1"))
        db_module.hold_as("GET /test/fast")
        with pytest.raises(sa_exc.TimeoutError):
            async with database.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        assert database.pool.holders()["POST /test/slow"]["count"] == 1
        await held.close()
        # The pool recovers: the next checkout is served at once.
        async with database.engine.connect() as conn:
            assert (await conn.execute(text("SELECT 1"))).scalar() == 1
    finally:
        await database.dispose()
    logged = capsys.readouterr()
    assert "database pool wait timed out" in logged.out + logged.err
    assert "POST /test/slow" in logged.out + logged.err
    body = render_metrics()[0].decode()
    assert "resumate_db_pool_timeouts_total" in body
    assert 'resumate_db_connection_hold_seconds_count{holder="POST /test/slow"}' in body


@pytest.fixture
async def own_pool(
    app: Any, database_url: str, database: db_module.Database
) -> AsyncIterator[db_module.Database]:
    pool = db_module.Database(database_url, pool_size=2, max_overflow=0)
    db_module.set_database(pool)
    try:
        yield pool
    finally:
        db_module.set_database(database)
        await pool.dispose()


async def test_requests_hold_connections_under_their_route_template(
    app: Any, own_pool: db_module.Database
) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        response = await client.get(
            "/api/v1/resumes/00000000-0000-0000-0000-000000000000",
            headers={"Authorization": "Bearer not-a-token"},
        )
    assert response.status_code == 401
    # No query ran (the token was refused first): nothing was checked out for it.
    assert own_pool.pool.checkedout() == 0
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        response = await client.get("/api/v1/templates")
    assert response.status_code == 200, response.text
    body = render_metrics()[0].decode()
    # The route template, as in the access log and the HTTP metrics.
    assert 'resumate_db_connection_hold_seconds_count{holder="GET /templates"}' in body
    assert "resumate_db_pool_wait_seconds_count" in body
    assert 'resumate_db_pool_connections{state="checked_out"}' in body


def test_the_pool_is_sized_by_the_machine() -> None:
    assert db_module.default_pool_size(1) == 5
    assert db_module.default_pool_size(2) == 8
    assert db_module.default_pool_size(16) == 64
