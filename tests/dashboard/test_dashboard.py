"""GET /dashboard: everything in one call, cached per user and invalidated by writes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from resumate.config import get_settings, set_settings
from resumate.core import usercache
from resumate.modules.notifications import service as notification_service
from tests.conftest import port_open, require_service
from tests.cvs.files import make_pdf
from tests.factories import new_user_headers, run_pending_jobs

API = "/api/v1"


async def _dashboard(client: httpx.AsyncClient, headers: dict[str, str]) -> tuple[Any, str]:
    await usercache.flush_pending()
    response = await client.get(f"{API}/dashboard", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["data"], response.headers["X-Cache"]


@pytest.fixture(params=["local", "redis"])
def cache_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "redis":
        require_service("redis", port_open("127.0.0.1", 6379), "no Redis on 127.0.0.1:6379")
        import redis

        url = "redis://127.0.0.1:6379/14"
        # Rate-limit windows live in Redis for an hour: sign-ups counted there by earlier runs
        # (other checkouts, other sessions on this machine) must not refuse this test's users.
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(match="resumate:rl:*"):
            client.delete(key)
        before = get_settings()
        set_settings(before.model_copy(update={"redis_url": url}))
        try:
            yield "redis"
        finally:
            set_settings(before)
            for key in client.scan_iter(match="resumate:rl:*"):
                client.delete(key)
            client.close()
    else:
        usercache.clear_local()
        yield "local"


async def test_dashboard_in_one_call_cached_and_invalidated(
    client: httpx.AsyncClient,
    session,  # type: ignore[no-untyped-def]
    cache_backend: str,
) -> None:
    user, headers = await new_user_headers(client)
    empty, state = await _dashboard(client, headers)
    assert state == "miss"
    assert set(empty) == {
        "resumes",
        "cvs",
        "jobs",
        "top_matches",
        "usage",
        "notifications_unread",
        "recent_activity",
    }
    assert empty["resumes"] == {"total": 0, "recent": []}
    assert empty["top_matches"] == []
    # Billing is off in tests: every quota is shown, none limited.
    assert empty["usage"] and all(q["limit"] is None for q in empty["usage"])
    assert {q["quota"] for q in empty["usage"]} >= {"resumes", "cv_analyses"}
    assert [a["event"] for a in empty["recent_activity"]] == ["login", "signup"]
    assert (await _dashboard(client, headers))[1] == "hit"

    # Every write that changes what is shown invalidates it.
    resume = await client.post(
        f"{API}/resumes", headers=headers, json={"title": "Mine", "data": {"basics": {"name": "A"}}}
    )
    resume_id = resume.json()["data"]["id"]
    data, state = await _dashboard(client, headers)
    assert state == "miss"
    assert data["resumes"]["total"] == 1
    (item,) = data["resumes"]["recent"]
    assert item["id"] == resume_id and item["pdf_state"] == "none"
    assert data["recent_activity"][0]["event"] == "resume_created"
    assert (await _dashboard(client, headers))[1] == "hit"

    renamed = await client.patch(
        f"{API}/resumes/{resume_id}", headers=headers, json={"title": "Renamed"}
    )
    assert renamed.status_code == 200
    data, state = await _dashboard(client, headers)
    assert state == "miss" and data["resumes"]["recent"][0]["title"] == "Renamed"

    uploaded = await client.post(
        f"{API}/cvs", headers=headers, files={"file": ("cv.pdf", make_pdf(), "application/pdf")}
    )
    assert uploaded.status_code == 201
    data, _ = await _dashboard(client, headers)
    assert data["cvs"]["recent"][0]["status"] == "pending"
    await run_pending_jobs(session, "analyze_cv")  # the worker's commit invalidates too
    job = await client.post(
        f"{API}/jobs",
        headers=headers,
        json={
            "title": "ICU Nurse",
            "description": "Registered nurse for intensive care: patient care, ACLS, triage.",
            "location_type": "on-site",
        },
    )
    assert job.status_code == 201
    data, state = await _dashboard(client, headers)
    assert state == "miss"
    assert data["cvs"]["recent"][0]["status"] == "ready"
    assert data["cvs"]["recent"][0]["quality_score"] is not None
    assert data["jobs"] == {"total": 1, "active": 1}
    assert data["notifications_unread"] == 1
    (match,) = data["top_matches"]
    assert match["job_id"] == job.json()["data"]["id"]
    assert match["cv_id"] == uploaded.json()["data"]["id"]
    assert 0 <= match["score"] <= 100

    read = await client.post(f"{API}/notifications/read-all", headers=headers)
    assert read.json()["data"]["marked"] == 1
    data, state = await _dashboard(client, headers)
    assert state == "miss" and data["notifications_unread"] == 0

    # Another user's writes leave my cache alone.
    _, other_headers = await new_user_headers(client)
    await _dashboard(client, headers)
    await client.post(
        f"{API}/resumes", headers=other_headers, json={"title": "X", "data": {"basics": {}}}
    )
    assert (await _dashboard(client, headers))[1] == "hit"
    # A notification created by another transaction (the worker's) too.
    await notification_service.notify(
        session, user_id=uuid.UUID(user["id"]), kind="resume_viewed", params={"title": "Mine"}
    )
    await session.commit()
    data, state = await _dashboard(client, headers)
    assert state == "miss" and data["notifications_unread"] == 1


async def test_dashboard_needs_auth(client: httpx.AsyncClient) -> None:
    assert (await client.get(f"{API}/dashboard")).status_code == 401


async def test_dashboard_tells_a_current_pdf_from_an_outdated_one(
    client: httpx.AsyncClient,
) -> None:
    """A resume's PDF state: none, current once rendered, outdated after a change of its data,
    current again once rendered anew."""
    usercache.clear_local()
    _, headers = await new_user_headers(client)
    made = await client.post(
        f"{API}/resumes", headers=headers, json={"title": "CV", "data": {"basics": {"name": "Zoë"}}}
    )
    url = f"{API}/resumes/{made.json()['data']['id']}"
    states = []
    for step in ("pdf", "patch", "pdf"):
        if step == "pdf":
            rendered = await client.post(f"{url}/pdf", headers=headers)
            assert rendered.status_code == 201, rendered.text
        else:
            patched = await client.patch(
                url, headers=headers, json={"data": {"basics": {"name": "Zoë 李"}}}
            )
            assert patched.status_code == 200, patched.text
        data, _ = await _dashboard(client, headers)
        (item,) = data["resumes"]["recent"]
        states.append(item["pdf_state"])
    assert states == ["current", "outdated", "current"]
