"""The in-process hub on committed data: fan-out from one listening connection, late commits of
smaller sequence numbers, and revoked sessions."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text

from resumate.core import db as db_module
from resumate.modules.notifications import service as notification_service
from resumate.modules.notifications.hub import Hub


@pytest.fixture
async def committed_user(database: db_module.Database) -> AsyncIterator[uuid.UUID]:
    """A user committed for real (the hub only hears committed notifications)."""
    user_id = uuid.uuid4()
    async with database.sessionmaker() as session, session.begin():
        await session.execute(
            text(
                "INSERT INTO users (id, email, password_hash, role, is_active, email_verified) "
                "VALUES (:id, :email, 'x', 'user', true, true)"
            ),
            {"id": user_id, "email": f"hub-{user_id.hex[:8]}@example.com"},
        )
    yield user_id
    async with database.sessionmaker() as session, session.begin():
        await session.execute(text("DELETE FROM users WHERE id = :id"), {"id": user_id})


async def _next(queue: asyncio.Queue[Any]) -> Any:
    return await asyncio.wait_for(queue.get(), 10)


async def test_fan_out_late_commit_and_revocation(
    database: db_module.Database, committed_user: uuid.UUID
) -> None:
    hub = Hub()
    session_a, session_b = uuid.uuid4(), uuid.uuid4()
    try:
        first = await hub.subscribe(user_id=committed_user, session_id=session_a, last_seq=0)
        second = await hub.subscribe(user_id=committed_user, session_id=session_b, last_seq=0)
        other = await hub.subscribe(user_id=uuid.uuid4(), session_id=uuid.uuid4(), last_seq=0)
        assert hub.stream_count == 3

        # Two transactions: the one with the smaller seq commits last.
        early = database.sessionmaker()
        late = database.sessionmaker()
        async with early, late:
            await early.begin()
            await late.begin()
            small = await notification_service.notify(
                early,
                user_id=committed_user,
                kind="resume_viewed",
                params={"title": "A"},
                email=False,
            )
            big = await notification_service.notify(
                late,
                user_id=committed_user,
                kind="resume_viewed",
                params={"title": "B"},
                email=False,
            )
            assert small is not None and big is not None and small.seq < big.seq
            await late.commit()
            for stream in (first, second):
                assert (await _next(stream.queue))["seq"] == big.seq
            await early.commit()
            for stream in (first, second):
                assert (await _next(stream.queue))["seq"] == small.seq
        # A rolled-back notification is never announced.
        async with database.sessionmaker() as session:
            await session.begin()
            await notification_service.notify(
                session,
                user_id=committed_user,
                kind="resume_viewed",
                params={"title": "C"},
                email=False,
            )
            await session.rollback()
        await asyncio.sleep(0.3)
        assert first.queue.empty() and second.queue.empty() and other.queue.empty()

        # Revoking session A (an auth_sessions row going away) ends only A's stream.
        async with database.sessionmaker() as session, session.begin():
            await session.execute(
                text(
                    "INSERT INTO auth_sessions (id, user_id, refresh_token_hash, expires_at) "
                    "VALUES (:id, :u, 'h', now() + interval '1 day')"
                ),
                {"id": session_a, "u": committed_user},
            )
        async with database.sessionmaker() as session, session.begin():
            await session.execute(
                text("UPDATE auth_sessions SET revoked_at = now() WHERE id = :id"),
                {"id": session_a},
            )
        assert await _next(first.queue) is None
        assert second.queue.empty() and not second.closed
    finally:
        await hub.stop()
