"""Pooled connections are checked on checkout without a round trip per request, and a pool
whose PostgreSQL sessions were ended (server restart, ``pg_terminate_backend``) recovers on the
next checkout, without an error reaching the caller.

These run against their own small pool on the test cluster (not the rolled-back test
transaction, which would hide the pool)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text

from resumate.core import db as db_module


@pytest.fixture
async def small(database_url: str) -> AsyncIterator[db_module.Database]:
    database = db_module.Database(database_url, pool_size=2, max_overflow=0, pool_timeout=2)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def pings(small: db_module.Database, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the liveness pings the pool sends (one entry per ping)."""
    seen: list[int] = []
    dialect = small.engine.dialect
    real = dialect.do_ping

    def counting(dbapi_connection: Any) -> bool:
        seen.append(1)
        return real(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counting)
    return seen


async def _backend_pid(database: db_module.Database) -> int:
    async with database.engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def _terminate(database: db_module.Database, pids: set[int]) -> None:
    """End these sessions from another connection and wait until they are gone."""
    async with database.engine.connect() as admin:
        await admin.execute(
            text("SELECT pg_terminate_backend(pid) FROM unnest(CAST(:p AS int[])) pid"),
            {"p": list(pids)},
        )
        for _ in range(200):
            left = (
                await admin.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(CAST(:p AS int[]))"
                    ),
                    {"p": list(pids)},
                )
            ).scalar_one()
            if not left:
                break
            await asyncio.sleep(0.01)
        await admin.commit()


async def _two_backends(database: db_module.Database) -> set[int]:
    """Check out both pooled connections at once, so both exist; their backend pids."""
    async with database.engine.connect() as one, database.engine.connect() as two:
        pids = {
            int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())
            for conn in (one, two)
        }
    assert len(pids) == 2
    return pids


async def test_a_connection_just_returned_is_reused_without_a_ping(
    small: db_module.Database, pings: list[int]
) -> None:
    first = await _backend_pid(small)
    pings.clear()
    for _ in range(5):
        assert await _backend_pid(small) == first
    assert pings == []


async def test_a_connection_idle_past_the_limit_is_pinged(
    small: db_module.Database, pings: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await _backend_pid(small)
    pings.clear()
    monkeypatch.setattr(db_module, "IDLE_PING_SECONDS", -1.0)
    assert await _backend_pid(small) == first  # pinged, alive, kept
    assert pings == [1]


async def test_terminated_sessions_are_replaced_on_checkout(
    small: db_module.Database, database: db_module.Database, pings: list[int]
) -> None:
    old = await _two_backends(small)
    await _terminate(database, old)
    # Every statement after the termination succeeds, on new sessions: the dead ones are
    # found on checkout (their sockets turned readable) and the pool reconnects.
    seen: set[int] = set()
    for _ in range(4):
        seen.add(await _backend_pid(small))
    assert seen and not seen & old
    assert pings, "the dead connection was not checked"
    async with small.sessionmaker() as session:
        assert (await session.execute(text("SELECT 1"))).scalar_one() == 1


async def test_a_session_that_reads_after_a_termination_does_not_fail(
    small: db_module.Database, database: db_module.Database
) -> None:
    """The request's view: a session whose pooled connection was terminated while idle."""
    pid = await _backend_pid(small)
    await _terminate(database, {pid})
    async with small.sessionmaker() as session:
        new_pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        await session.commit()
    assert new_pid != pid
