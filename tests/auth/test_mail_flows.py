"""Password reset and email verification, with mail delivered to a real SMTP server."""

from __future__ import annotations

import asyncio
import email
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from resumate.config import Settings
from resumate.core.mail import configure_mail
from tests.conftest import Inbox
from tests.factories import PASSWORD, new_user_headers, register, run_pending_jobs, unique_email

API = "/api/v1"


async def test_password_reset_through_smtp(client: httpx.AsyncClient, session, smtp: Inbox) -> None:  # type: ignore[no-untyped-def]
    email_address = unique_email()
    await register(client, email_address)
    client.cookies.clear()
    other, _ = await new_user_headers(client)

    unknown = await client.post(f"{API}/auth/password/forgot", json={"email": unique_email()})
    known = await client.post(f"{API}/auth/password/forgot", json={"email": email_address.upper()})
    assert unknown.status_code == known.status_code == 202
    assert unknown.json()["data"] == known.json()["data"]
    await run_pending_jobs(session, "send_email")

    token = smtp.link(email_address, "/reset-password")
    old_session = await client.post(
        f"{API}/auth/token", data={"username": email_address, "password": PASSWORD}
    )
    old_headers = {"Authorization": f"Bearer {old_session.json()['access_token']}"}

    weak = await client.post(
        f"{API}/auth/password/reset", json={"token": token, "new_password": "short"}
    )
    assert weak.status_code == 422
    new_password = "reset to something long 77"
    done = await client.post(
        f"{API}/auth/password/reset", json={"token": token, "new_password": new_password}
    )
    # A refused new password must not burn the token: the retry with a good one works.
    assert done.status_code == 200, done.text
    assert (await client.get(f"{API}/users/me", headers=old_headers)).status_code == 401
    reused = await client.post(
        f"{API}/auth/password/reset",
        json={"token": token, "new_password": "yet another long one 1"},
    )
    assert reused.status_code == 422
    login = await client.post(
        f"{API}/auth/login", json={"email": email_address, "password": new_password}
    )
    assert login.status_code == 200
    await run_pending_jobs(session, "send_email")
    subjects = [m["Subject"] for m in smtp.messages]
    assert any("password was changed" in s for s in subjects)
    resets_to_other = [
        m for m in smtp.messages if m["To"] == other["email"] and "Reset" in m["Subject"]
    ]
    assert resets_to_other == []


async def test_expired_reset_token(client: httpx.AsyncClient, session, smtp: Inbox) -> None:  # type: ignore[no-untyped-def]
    email_address = unique_email()
    await register(client, email_address)
    await client.post(f"{API}/auth/password/forgot", json={"email": email_address})
    await run_pending_jobs(session, "send_email")
    token = smtp.link(email_address, "/reset-password")
    await session.execute(
        text("UPDATE one_time_tokens SET expires_at = now() - :d WHERE purpose = 'password_reset'"),
        {"d": timedelta(minutes=1)},
    )
    response = await client.post(
        f"{API}/auth/password/reset", json={"token": token, "new_password": "a fine new password 9"}
    )
    assert response.status_code == 422 and "expired" in response.json()["error"]["message"]


async def test_email_verification_through_smtp(
    client: httpx.AsyncClient, session, smtp: Inbox
) -> None:  # type: ignore[no-untyped-def]
    email_address = unique_email()
    user = await register(client, email_address)
    assert user["email_verified"] is False
    await run_pending_jobs(session, "send_email")
    first = smtp.link(email_address, "/verify-email")
    resend = await client.post(
        f"{API}/auth/verify-email/resend", headers={"X-CSRF-Token": client.cookies["csrf_token"]}
    )
    assert resend.status_code == 202
    await run_pending_jobs(session, "send_email")
    second = smtp.link(email_address, "/verify-email")
    assert first != second
    stale = await client.post(f"{API}/auth/verify-email", json={"token": first})
    assert stale.status_code == 422  # only the newest link works
    verified = await client.post(f"{API}/auth/verify-email", json={"token": second})
    assert verified.status_code == 200 and verified.json()["data"]["user"]["email_verified"] is True
    again = await client.post(f"{API}/auth/verify-email", json={"token": second})
    assert again.status_code == 422


async def test_outbox_when_no_smtp(client: httpx.AsyncClient, session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    configure_mail(settings)
    before = set(settings.outbox_dir.glob("*.eml")) if settings.outbox_dir.exists() else set()
    email_address = unique_email()
    await register(client, email_address)
    await run_pending_jobs(session, "send_email")
    new = set(settings.outbox_dir.glob("*.eml")) - before
    assert len(new) == 1
    path: Path = new.pop()
    assert path.stat().st_mode & 0o777 == 0o600
    message = email.message_from_bytes(path.read_bytes())
    assert message["To"] == email_address and "verify-email?token=" in path.read_text()


async def test_mail_job_is_retried_when_smtp_is_down(settings: Settings) -> None:
    from resumate.core.mail import send_email

    configure_mail(
        settings.model_copy(
            update={"smtp_host": "127.0.0.1", "smtp_port": 9, "smtp_starttls": False}
        )
    )
    try:
        with pytest.raises((OSError, asyncio.TimeoutError, Exception)):
            await send_email(to="a@example.com", subject="s", text="t", html="<p>t</p>")
    finally:
        configure_mail(settings)
    assert send_email.retry_strategy is not None and send_email.retry_strategy.max_attempts >= 3


async def test_one_time_links_never_stay_in_the_job_queue(
    client: httpx.AsyncClient, session, smtp: Inbox
) -> None:  # type: ignore[no-untyped-def]
    """The job carries an outbox id, not the message: a reset link is readable only in the
    outbox row, and that row is gone once the mail went out."""
    from tests.factories import pending_jobs

    email_address = unique_email()
    await register(client, email_address)
    await run_pending_jobs(session, "send_email")
    await client.post(f"{API}/auth/password/forgot", json={"email": email_address})
    jobs = [j for j in await pending_jobs(session, "send_email") if j["to"] == email_address]
    assert len(jobs) == 1
    assert set(jobs[0]) == {"to", "kind", "mail_id"}
    assert "token" not in str(jobs[0])
    queued = await session.execute(
        text("SELECT body_text FROM mail_outbox WHERE id = :id"), {"id": jobs[0]["mail_id"]}
    )
    assert "/reset-password?token=" in queued.scalar_one()

    await run_pending_jobs(session, "send_email")
    assert smtp.link(email_address, "/reset-password")
    left = await session.execute(
        text("SELECT count(*) FROM mail_outbox WHERE id = :id"), {"id": jobs[0]["mail_id"]}
    )
    assert left.scalar_one() == 0
    # A retry of a job whose mail was already delivered sends nothing twice.
    sent = len(smtp.messages)
    from resumate.core.mail import send_email

    await send_email(**jobs[0])
    assert len(smtp.messages) == sent


async def test_outbox_row_kept_while_delivery_fails(
    client: httpx.AsyncClient, session, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    from resumate.core.mail import forget_unsent_mail, send_email
    from tests.factories import pending_jobs

    email_address = unique_email()
    await register(client, email_address)
    (job,) = [j for j in await pending_jobs(session, "send_email") if j["to"] == email_address]
    configure_mail(
        settings.model_copy(
            update={"smtp_host": "127.0.0.1", "smtp_port": 9, "smtp_starttls": False}
        )
    )
    try:
        with pytest.raises((OSError, asyncio.TimeoutError, Exception)):
            await send_email(**job)
    finally:
        configure_mail(settings)
    count = text("SELECT count(*) FROM mail_outbox WHERE id = :id")
    assert (await session.execute(count, {"id": job["mail_id"]})).scalar_one() == 1
    # After every retry failed, the message is forgotten once it is old enough.
    await forget_unsent_mail()
    assert (await session.execute(count, {"id": job["mail_id"]})).scalar_one() == 1
    await session.execute(
        text("UPDATE mail_outbox SET created_at = now() - interval '8 days' WHERE id = :id"),
        {"id": job["mail_id"]},
    )
    await forget_unsent_mail()
    assert (await session.execute(count, {"id": job["mail_id"]})).scalar_one() == 0
