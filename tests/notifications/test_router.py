"""In-app notifications through the API, the hooks that create them, their mail and settings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import text

from resumate.modules.notifications import service as notification_service
from resumate.modules.notifications.tasks import send_notification_digest
from tests import ownership
from tests.conftest import Inbox
from tests.cvs.files import make_pdf
from tests.factories import (
    PASSWORD,
    bearer,
    new_user_headers,
    pending_jobs,
    register,
    run_pending_jobs,
    unique_email,
)

API = "/api/v1"


async def _notifications(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> Any:
    response = await client.get(f"{API}/notifications", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


@ownership.register_factory("/api/v1/notifications/{id}")
async def make_notification(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    """A notification made through the API: the first public view of a shared resume."""
    created = await client.post(
        f"{API}/resumes", headers=headers, json={"title": "Shared", "data": {"basics": {}}}
    )
    resume_id = created.json()["data"]["id"]
    share = await client.post(
        f"{API}/resumes/{resume_id}/share", headers=headers, json={"enabled": True}
    )
    assert (await client.get(f"{API}/public/r/{share.json()['data']['slug']}")).status_code == 200
    return str((await _notifications(client, headers))["data"][0]["id"])


async def _mail_jobs(session, to: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Notification mails waiting to be sent to ``to``."""
    return [
        j
        for j in await pending_jobs(session, "send_email")
        if j["to"] == to and j["kind"].startswith("notification:")
    ]


async def test_list_read_and_read_all(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    user, headers = await new_user_headers(client)
    _, other_headers = await new_user_headers(client)
    user_id = uuid.UUID(user["id"])
    for n in range(3):
        await notification_service.notify(
            session,
            user_id=user_id,
            kind="cv_analysis_ready",
            params={"filename": f"cv{n}.pdf", "score": 70 + n},
            link=f"/cvs/{n}",
        )
    await session.commit()

    body = await _notifications(client, headers, per_page=2)
    assert body["meta"]["pagination"] == {"page": 1, "per_page": 2, "total": 3, "pages": 2}
    assert body["meta"]["unread"] == 3
    first, second = body["data"]
    assert first["seq"] > second["seq"]  # newest first
    assert first["title"] == "Your CV has been analysed"
    assert first["body"] == "cv2.pdf: quality score 72/100."
    assert first["link"] == "/cvs/2"
    assert first["read_at"] is None
    me = await client.get(f"{API}/users/me", headers=headers)
    assert me.json()["data"]["unread_notifications"] == 3

    # Someone else's notification does not exist for me.
    assert (
        await client.post(f"{API}/notifications/{first['id']}/read", headers=other_headers)
    ).status_code == 404
    read = await client.post(f"{API}/notifications/{first['id']}/read", headers=headers)
    assert read.status_code == 200 and read.json()["data"]["read_at"] is not None
    unread = await _notifications(client, headers, unread="true")
    assert [n["id"] for n in unread["data"]] == [n["id"] for n in body["data"][1:]] + [
        n["id"] for n in (await _notifications(client, headers, page=2, per_page=2))["data"]
    ]
    assert (await _notifications(client, headers, unread="false"))["meta"]["pagination"][
        "total"
    ] == 1

    marked = await client.post(f"{API}/notifications/read-all", headers=headers)
    assert marked.json()["data"] == {"marked": 2}
    assert (await _notifications(client, headers, unread="true"))["data"] == []
    me = await client.get(f"{API}/users/me", headers=headers)
    assert me.json()["data"]["unread_notifications"] == 0
    assert (await _notifications(client, other_headers))["data"] == []
    missing = await client.post(f"{API}/notifications/{uuid.uuid4()}/read", headers=headers)
    assert missing.status_code == 404
    assert (await client.get(f"{API}/notifications")).status_code == 401


async def test_settings_language_and_locked_security_mail(
    client: httpx.AsyncClient, session
) -> None:  # type: ignore[no-untyped-def]
    user, headers = await new_user_headers(client)
    got = await client.get(f"{API}/users/me/notification-settings", headers=headers)
    assert got.status_code == 200
    data = got.json()["data"]
    assert data["language"] == "en"
    assert data["email"]["cv_analysis_ready"] is True
    assert "security_new_sign_in" in data["locked"]

    refused = await client.patch(
        f"{API}/users/me/notification-settings",
        headers=headers,
        json={"email": {"security_password_changed": False}},
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["details"]["errors"][0]["path"] == (
        "$.email.security_password_changed"
    )
    unknown = await client.patch(
        f"{API}/users/me/notification-settings", headers=headers, json={"email": {"nope": True}}
    )
    assert unknown.status_code == 422
    bad_language = await client.patch(
        f"{API}/users/me/notification-settings", headers=headers, json={"language": "xx"}
    )
    assert bad_language.status_code == 422

    changed = await client.patch(
        f"{API}/users/me/notification-settings",
        headers=headers,
        json={"language": "fr", "email": {"resume_viewed": False}},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["data"]["language"] == "fr"
    assert changed.json()["data"]["email"]["resume_viewed"] is False
    # A second change merges with the first.
    again = await client.patch(
        f"{API}/users/me/notification-settings",
        headers=headers,
        json={"email": {"cv_analysis_failed": False}},
    )
    assert again.json()["data"]["email"]["resume_viewed"] is False
    assert again.json()["data"]["email"]["cv_analysis_failed"] is False
    assert again.json()["data"]["language"] == "fr"

    await notification_service.notify(
        session,
        user_id=uuid.UUID(user["id"]),
        kind="cv_analysis_ready",
        params={"filename": "cv.pdf", "score": 81},
    )
    await session.commit()
    (item,) = (await _notifications(client, headers))["data"]
    assert item["title"] == "Votre CV a été analysé"
    assert item["body"] == "cv.pdf : score de qualité 81/100."


async def test_cv_analysis_creates_notification_mail_and_events(
    client: httpx.AsyncClient,
    session,  # type: ignore[no-untyped-def]
    smtp: Inbox,
) -> None:
    user, headers = await new_user_headers(client)
    uploaded = await client.post(
        f"{API}/cvs",
        headers=headers,
        files={"file": ("maria.pdf", make_pdf(), "application/pdf")},
    )
    assert uploaded.status_code == 201, uploaded.text
    cv_id = uploaded.json()["data"]["id"]
    assert (await _notifications(client, headers))["data"] == []
    await run_pending_jobs(session, "analyze_cv")

    (item,) = (await _notifications(client, headers))["data"]
    assert item["kind"] == "cv_analysis_ready"
    assert item["link"] == f"/app/cvs/{cv_id}"
    assert item["data"]["cv_id"] == cv_id
    assert "maria.pdf" in item["body"]
    events = await session.execute(
        text("SELECT event FROM analytics_events WHERE owner_id = :u ORDER BY id"),
        {"u": user["id"]},
    )
    assert [e for (e,) in events] == ["signup", "login", "cv_uploaded", "cv_analysed"]

    (job,) = [
        j
        for j in await pending_jobs(session, "send_email")
        if j["to"] == user["email"] and j["kind"] == "notification:cv_analysis_ready"
    ]
    queued = await session.execute(
        text("SELECT headers FROM mail_outbox WHERE id = :id"), {"id": job["mail_id"]}
    )
    assert queued.scalar_one()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    await run_pending_jobs(session, "send_email")
    (mail,) = [m for m in smtp.messages if m["To"] == user["email"] and "analysed" in m["Subject"]]
    assert mail["Subject"] == "Your CV has been analysed"
    unsubscribe = mail["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/api/v1/notifications/unsubscribe?token=" in (
        unsubscribe
    )
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # One click (RFC 8058: a POST with this body, no cookie, no CSRF header).
    url = unsubscribe.strip("<>")
    path = url[url.index("/api/v1") :]
    client.cookies.clear()
    page = await client.get(path)
    assert page.status_code == 200 and "Unsubscribe" in page.text
    settings = await client.get(f"{API}/users/me/notification-settings", headers=headers)
    assert settings.json()["data"]["email"]["cv_analysis_ready"] is True  # GET changed nothing
    done = await client.post(
        path,
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert done.status_code == 200, done.text
    assert done.json()["data"] == {"kind": "cv_analysis_ready", "email": False}
    settings = await client.get(f"{API}/users/me/notification-settings", headers=headers)
    assert settings.json()["data"]["email"]["cv_analysis_ready"] is False

    # The next analysis notifies in-app only.
    again = await client.post(f"{API}/cvs/{cv_id}/reanalyze", headers=headers)
    assert again.status_code == 202
    await run_pending_jobs(session, "analyze_cv")
    assert len((await _notifications(client, headers))["data"]) == 2
    assert not [j for j in await pending_jobs(session, "send_email") if j["to"] == user["email"]]


async def test_unsubscribe_tokens_are_checked(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    user, _ = await new_user_headers(client)
    user_id = uuid.UUID(user["id"])
    good = notification_service.unsubscribe_token(user_id, "resume_viewed")
    tampered = good[:-1] + ("0" if good[-1] != "0" else "1")
    other_kind = good.replace("resume_viewed", "cv_analysis_failed")
    security = notification_service.unsubscribe_token(user_id, "security_new_sign_in")
    for token in (tampered, other_kind, security, "garbage", "a.b.c", "%00.%ED%A0%80.x%FF"):
        response = await client.post(f"{API}/notifications/unsubscribe?token={token}")
        assert response.status_code == 422, (token, response.text)
    assert (await client.get(f"{API}/notifications/unsubscribe?token=x.y.z")).status_code == 400


async def test_one_mail_per_kind_per_hour_then_a_digest(
    client: httpx.AsyncClient,
    session,  # type: ignore[no-untyped-def]
    smtp: Inbox,
) -> None:
    user, _ = await new_user_headers(client)
    user_id = uuid.UUID(user["id"])
    for n in range(3):
        await notification_service.notify(
            session,
            user_id=user_id,
            kind="cv_analysis_failed",
            params={"filename": f"cv{n}.docx", "error": "unreadable"},
        )
    # A different kind has its own hour.
    await notification_service.notify(
        session, user_id=user_id, kind="resume_viewed", params={"title": "Mine"}
    )
    mails = await _mail_jobs(session, user["email"])
    assert sorted(j["kind"] for j in mails) == [
        "notification:cv_analysis_failed",
        "notification:resume_viewed",
    ]
    digests = await session.execute(
        text(
            "SELECT args, scheduled_at FROM procrastinate_jobs "
            "WHERE task_name = 'send_notification_digest' AND args->>'user_id' = :u"
        ),
        {"u": user["id"]},
    )
    ((args, scheduled_at),) = digests.all()
    assert args["kind"] == "cv_analysis_failed"
    assert timedelta(minutes=59) < scheduled_at - datetime.now(UTC) <= timedelta(minutes=61)
    states = await session.execute(
        text(
            "SELECT email_state, count(*) FROM notifications WHERE user_id = :u "
            "AND kind = 'cv_analysis_failed' GROUP BY 1 ORDER BY 1"
        ),
        {"u": user["id"]},
    )
    assert states.all() == [("pending", 2), ("sent", 1)]

    await run_pending_jobs(session, "send_email")
    await send_notification_digest(user_id=user["id"], kind="cv_analysis_failed")
    await send_notification_digest(user_id=user["id"], kind="cv_analysis_failed")  # idempotent
    digest_jobs = [j for j in await pending_jobs(session, "send_email") if j["to"] == user["email"]]
    assert len(digest_jobs) == 1
    await run_pending_jobs(session, "send_email")
    subjects = sorted(
        m["Subject"]
        for m in smtp.messages
        if m["To"] == user["email"] and "Confirm" not in m["Subject"]
    )
    assert subjects == [
        "2 new notifications: Your CV could not be analysed",
        "Your CV could not be analysed",
        "Your shared resume was viewed",
    ]
    digest = next(m for m in smtp.messages if m["Subject"].startswith("2 new"))
    plain = next(p for p in digest.walk() if p.get_content_type() == "text/plain")
    body = plain.get_payload(decode=True).decode()
    assert "cv1.docx" in body and "cv2.docx" in body and "cv0.docx" not in body


async def test_security_events(client: httpx.AsyncClient, session, smtp: Inbox) -> None:  # type: ignore[no-untyped-def]
    email = unique_email()
    await register(client, email)
    client.cookies.clear()
    # Same device and address as at sign-up: nothing to report.
    headers = await bearer(client, email)
    assert (await _notifications(client, headers))["data"] == []

    other_device = await client.post(
        f"{API}/auth/token",
        data={"username": email, "password": PASSWORD},
        headers={"User-Agent": "Mozilla/5.0 (X11; Linux) Firefox/130.0"},
    )
    assert other_device.status_code == 200
    (item,) = (await _notifications(client, headers))["data"]
    assert item["kind"] == "security_new_sign_in"
    assert "Firefox/130.0" in item["body"]
    assert item["data"] == {"new_device": True, "new_address": False}
    jobs = [j for j in await pending_jobs(session, "send_email") if j["to"] == email]
    (mail,) = [j for j in jobs if j["kind"] == "notification:security_new_sign_in"]
    assert "headers" not in mail  # security mail: no unsubscribe

    # Refresh-token reuse revokes that session and says so.
    refresh = other_device.json()["refresh_token"]
    assert (
        await client.post(f"{API}/auth/refresh", json={"refresh_token": refresh})
    ).status_code == 200
    reused = await client.post(f"{API}/auth/refresh", json={"refresh_token": refresh})
    assert reused.status_code == 401
    kinds = [n["kind"] for n in (await _notifications(client, headers))["data"]]
    assert kinds == ["security_sessions_revoked", "security_new_sign_in"]

    changed = await client.post(
        f"{API}/users/me/password",
        headers=headers,
        json={"current_password": PASSWORD, "new_password": "another long passphrase 42"},
    )
    assert changed.status_code == 200, changed.text
    latest = (await _notifications(client, headers))["data"][0]
    assert latest["kind"] == "security_password_changed"
    # The existing password_changed mail is the mail; no second one for the notification.
    kinds_mailed = [
        j["kind"] for j in await pending_jobs(session, "send_email") if j["to"] == email
    ]
    assert kinds_mailed.count("password_changed") == 1
    assert "notification:security_password_changed" not in kinds_mailed


async def test_first_public_view_each_day_notifies_once(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    _, headers = await new_user_headers(client)
    created = await client.post(
        f"{API}/resumes",
        headers=headers,
        json={"title": "Ана 🚀 مرحبا", "data": {"basics": {"name": "Ana"}}},
    )
    assert created.status_code == 201, created.text
    resume_id = created.json()["data"]["id"]
    share = await client.post(
        f"{API}/resumes/{resume_id}/share", headers=headers, json={"enabled": True}
    )
    slug = share.json()["data"]["slug"]
    for _ in range(3):
        assert (await client.get(f"{API}/public/r/{slug}")).status_code == 200
    items = (await _notifications(client, headers))["data"]
    assert [n["kind"] for n in items] == ["resume_viewed"]
    assert items[0]["link"] == f"/app/resumes/{resume_id}"
    stats = await client.get(f"{API}/resumes/{resume_id}/stats", headers=headers)
    assert stats.json()["data"]["views"] == 3


async def test_any_text_is_stored(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    user, headers = await new_user_headers(client)
    nasty = "a\x00b\ud800c 🚀 مرحبا 中文 {title} {0}"
    created = await notification_service.notify(
        session,
        user_id=uuid.UUID(user["id"]),
        kind="cv_analysis_failed",
        params={"filename": nasty, "error": nasty * 200},
        link="/x" + nasty,
        data={"k": nasty},
    )
    assert created is not None
    await session.commit()
    (item,) = (await _notifications(client, headers))["data"]
    assert item["body"].startswith("ab\ufffdc 🚀 مرحبا 中文 {title} {0}: ab\ufffdc")
    assert "\x00" not in item["body"] and len(item["body"]) <= 2000
