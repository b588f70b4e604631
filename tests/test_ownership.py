"""Run the ownership harness over the whole API."""

from __future__ import annotations

import httpx

import tests.cvs.test_router
import tests.jobs.test_router
import tests.notifications.test_router
import tests.resumes.test_router  # noqa: F401 - registers the resume factory
from tests import ownership
from tests.factories import PASSWORD, bearer, new_user_headers, register, unique_email


@ownership.register_factory("/api/v1/auth/sessions/{id}")
async def make_session(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    sessions = (await client.get("/api/v1/auth/sessions", headers=headers)).json()["data"]
    return str(sessions[-1]["id"])


async def test_every_owned_route_is_isolated(app, client: httpx.AsyncClient) -> None:  # type: ignore[no-untyped-def]
    email = unique_email("owner")
    await register(client, email)
    client.cookies.clear()
    owner = await bearer(client, email, PASSWORD)
    # A second session for the owner, so revoking one does not lock the harness out.
    await bearer(client, email, PASSWORD)
    _, stranger = await new_user_headers(client)
    checked = await ownership.assert_isolated(app, client, owner, stranger)
    assert ("DELETE", "/api/v1/auth/sessions/{id}") in checked
    assert ("PATCH", "/api/v1/resumes/{id}") in checked
    assert ("POST", "/api/v1/resumes/{id}/pdf") in checked
