"""Small helpers to make users and sessions through the real API."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from resumate.core.queue import queue

PASSWORD = "correct horse battery staple"
_counter = itertools.count()


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}{next(_counter)}-{uuid.uuid4().hex[:6]}@example.com"


async def register(
    client: httpx.AsyncClient, email: str | None = None, password: str = PASSWORD, **extra: Any
) -> dict[str, Any]:
    """Register (the client keeps the cookies); returns the user."""
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": email or unique_email(), "password": password, **extra},
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]["user"]  # type: ignore[no-any-return]


async def bearer(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/token", data={"username": email, "password": password}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def new_user_headers(
    client: httpx.AsyncClient, **extra: Any
) -> tuple[dict[str, Any], dict[str, str]]:
    """A fresh user and bearer headers for it (cookies cleared so only the bearer counts)."""
    email = unique_email()
    user = await register(client, email, **extra)
    client.cookies.clear()
    return user, await bearer(client, email)


def csrf_headers(client: httpx.AsyncClient) -> dict[str, str]:
    return {"X-CSRF-Token": client.cookies.get("csrf_token") or ""}


async def pending_jobs(session: AsyncSession, task_name: str) -> list[dict[str, Any]]:
    """Args of jobs deferred (in this test's transaction) for ``task_name``."""
    rows = await session.execute(
        text(
            "SELECT args FROM procrastinate_jobs WHERE task_name = :name AND status = 'todo' "
            "ORDER BY id"
        ),
        {"name": task_name},
    )
    return [row[0] for row in rows]


async def run_pending_jobs(session: AsyncSession, task_name: str) -> int:
    """Run (inline) the jobs deferred for ``task_name`` in this test's transaction."""
    task = queue.tasks[task_name]
    jobs = await pending_jobs(session, task_name)
    for args in jobs:
        await task(**args)
    await session.execute(
        text("DELETE FROM procrastinate_jobs WHERE task_name = :name AND status = 'todo'"),
        {"name": task_name},
    )
    return len(jobs)
