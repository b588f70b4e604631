"""The pages that mailed links open."""

from __future__ import annotations

import httpx

from tests.conftest import Inbox
from tests.factories import register, run_pending_jobs, unique_email


async def test_verify_page_confirms_on_post(
    client: httpx.AsyncClient, session, smtp: Inbox
) -> None:  # type: ignore[no-untyped-def]
    email = unique_email()
    await register(client, email)
    await run_pending_jobs(session, "send_email")
    token = smtp.link(email, "/verify-email")
    page = await client.get(f"/verify-email?token={token}")
    assert page.status_code == 200 and "Confirm my email" in page.text
    me = (await client.get("/api/v1/users/me")).json()["data"]
    assert me["email_verified"] is False  # opening the link alone changes nothing
    done = await client.post("/verify-email", data={"token": token})
    assert done.status_code == 200 and "confirmed" in done.text
    assert (await client.get("/api/v1/users/me")).json()["data"]["email_verified"] is True
    again = await client.post("/verify-email", data={"token": token})
    assert again.status_code == 400


async def test_reset_page_flow(client: httpx.AsyncClient, session, smtp: Inbox) -> None:  # type: ignore[no-untyped-def]
    email = unique_email()
    await register(client, email)
    client.cookies.clear()
    await client.post("/api/v1/auth/password/forgot", json={"email": email})
    await run_pending_jobs(session, "send_email")
    token = smtp.link(email, "/reset-password")
    form = await client.get(f"/reset-password?token={token}")
    assert form.status_code == 200, form.text
    assert 'name="new_password"' in form.text
    weak = await client.post("/reset-password", data={"token": token, "new_password": "short"})
    assert weak.status_code == 422 and "Password" in weak.text
    done = await client.post(
        "/reset-password", data={"token": token, "new_password": "a long new secret 12"}
    )
    assert done.status_code == 200 and "changed" in done.text
    login = await client.post(
        "/api/v1/auth/login", json={"email": email, "password": "a long new secret 12"}
    )
    assert login.status_code == 200
    xss = await client.get('/reset-password?token="><script>alert(1)</script>')
    assert "<script>alert(1)</script>" not in xss.text
