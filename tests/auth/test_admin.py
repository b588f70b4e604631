"""Roles: admin-only routes and the create-admin command."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest
from sqlalchemy import text

from tests.factories import PASSWORD, bearer, new_user_headers, register, unique_email

API = "/api/v1"


async def make_admin(client: httpx.AsyncClient, session) -> dict[str, str]:  # type: ignore[no-untyped-def]
    email = unique_email("admin")
    user = await register(client, email)
    client.cookies.clear()
    await session.execute(
        text("UPDATE users SET role = 'admin' WHERE id = :id"), {"id": user["id"]}
    )
    return await bearer(client, email, PASSWORD)


async def test_admin_routes_forbidden_to_users(client: httpx.AsyncClient) -> None:
    user, headers = await new_user_headers(client)
    for method, path in (
        ("GET", f"{API}/admin/users"),
        ("GET", f"{API}/admin/metrics"),
        ("PATCH", f"{API}/admin/users/{user['id']}"),
    ):
        response = await client.request(
            method, path, headers=headers, json={} if method == "PATCH" else None
        )
        assert response.status_code == 403, (method, path)
        assert response.json()["error"]["code"] == "FORBIDDEN"
    assert (await client.get(f"{API}/admin/users")).status_code == 401


async def test_admin_lists_deactivates_and_promotes(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    admin = await make_admin(client, session)
    user, user_headers = await new_user_headers(client)
    listing = await client.get(f"{API}/admin/users?per_page=2&page=1", headers=admin)
    assert listing.status_code == 200
    meta = listing.json()["meta"]["pagination"]
    assert meta["per_page"] == 2 and meta["total"] >= 2 and meta["pages"] >= 1
    assert (await client.get(f"{API}/admin/users?per_page=101", headers=admin)).status_code == 422

    off = await client.patch(
        f"{API}/admin/users/{user['id']}", json={"is_active": False}, headers=admin
    )
    assert off.status_code == 200 and off.json()["data"]["is_active"] is False
    assert (await client.get(f"{API}/users/me", headers=user_headers)).status_code == 401
    relogin = await client.post(
        f"{API}/auth/login", json={"email": user["email"], "password": PASSWORD}
    )
    assert relogin.status_code == 401

    on = await client.patch(
        f"{API}/admin/users/{user['id']}", json={"is_active": True, "role": "admin"}, headers=admin
    )
    assert on.json()["data"]["role"] == "admin"
    bad_role = await client.patch(
        f"{API}/admin/users/{user['id']}", json={"role": "root"}, headers=admin
    )
    assert bad_role.status_code == 422
    metrics = await client.get(f"{API}/admin/metrics", headers=admin)
    assert metrics.status_code == 200 and metrics.json()["data"]["admins"] >= 2


def test_create_admin_command(database_url: str, settings) -> None:  # type: ignore[no-untyped-def]
    email = unique_email("cli-admin")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "RESUMATE_DATA_DIR": str(settings.data_dir),
        "RESUMATE_SECRET_KEY": settings.secret(),
    }
    cmd = [sys.executable, "-m", "resumate.cli", "create-admin", email, "--password-stdin"]
    weak = subprocess.run(cmd, input="short\n", env=env, capture_output=True, text=True, timeout=60)
    assert weak.returncode != 0 and "Password" in weak.stderr
    created = subprocess.run(
        cmd, input="an admin passphrase 1\n", env=env, capture_output=True, text=True, timeout=60
    )
    assert created.returncode == 0, created.stderr
    assert "created" in created.stdout
    promoted = subprocess.run(
        [sys.executable, "-m", "resumate.cli", "create-admin", email],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert promoted.returncode == 0, promoted.stderr
    import psycopg

    with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        row = conn.execute("SELECT role FROM users WHERE email = %s", (email,)).fetchone()
        assert row == ("admin",)
        conn.execute("DELETE FROM users WHERE email = %s", (email,))


@pytest.mark.parametrize("bad", ["not-an-email", ""])
def test_create_admin_rejects_bad_email(bad: str, database_url: str, settings) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "DATABASE_URL": database_url, "RESUMATE_SECRET_KEY": settings.secret()}
    result = subprocess.run(
        [sys.executable, "-m", "resumate.cli", "create-admin", bad, "--password-stdin"],
        input="an admin passphrase 1\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
