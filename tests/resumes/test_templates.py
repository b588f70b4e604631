"""Admin template uploads: compiled before acceptance, refused with the compiler's message."""

from __future__ import annotations

import io
import zipfile

import httpx
from sqlalchemy import text

from tests.auth.test_admin import make_admin
from tests.factories import new_user_headers

API = "/api/v1"

GOOD = b"""
#let data = json(bytes(sys.inputs.at("data", default: "{}")))
#let basics = data.at("basics", default: (:))
#set page(paper: "a4")
= #basics.at("name", default: "Anonymous")
#basics.at("label", default: "")
"""


async def test_admin_uploads_a_template(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    admin = await make_admin(client, session)
    response = await client.post(
        f"{API}/templates",
        headers=admin,
        data={"slug": "plain-test", "name": "Plain", "description": "Minimal"},
        files={"file": ("template.typ", GOOD, "text/plain")},
    )
    assert response.status_code == 201, response.text
    template = response.json()["data"]
    assert template["version"] == 1 and template["is_builtin"] is False
    preview = await client.get(template["preview_url"])
    assert preview.status_code == 200 and preview.content[:4] == b"\x89PNG"
    duplicate = await client.post(
        f"{API}/templates",
        headers=admin,
        data={"slug": "plain-test", "name": "Plain"},
        files={"file": ("template.typ", GOOD, "text/plain")},
    )
    assert duplicate.status_code == 409

    _, user = await new_user_headers(client)
    resume = await client.post(
        f"{API}/resumes",
        json={
            "title": "t",
            "template_id": template["id"],
            "data": {"basics": {"name": "Uma Upload"}},
        },
        headers=user,
    )
    assert resume.status_code == 201
    pdf = await client.post(f"{API}/resumes/{resume.json()['data']['id']}/pdf", headers=user)
    assert pdf.status_code == 201

    updated = await client.patch(
        f"{API}/templates/{template['id']}",
        headers=admin,
        data={"name": "Plainer"},
        files={"file": ("template.typ", GOOD + b"\nUpdated", "text/plain")},
    )
    assert updated.status_code == 200 and updated.json()["data"]["version"] == 2
    removed = await client.delete(f"{API}/templates/{template['id']}", headers=admin)
    assert removed.status_code == 200
    assert (await client.get(f"{API}/templates/{template['id']}")).status_code == 404
    # The resume falls back to the default template.
    again = await client.post(f"{API}/resumes/{resume.json()['data']['id']}/pdf", headers=user)
    assert again.status_code == 201


async def test_failing_template_refused_with_compiler_message(
    client: httpx.AsyncClient, session
) -> None:  # type: ignore[no-untyped-def]
    admin = await make_admin(client, session)
    broken = b'#let x = (\n= #undefined-function("boom")\n'
    response = await client.post(
        f"{API}/templates",
        headers=admin,
        data={"slug": "broken", "name": "Broken"},
        files={"file": ("template.typ", broken, "text/plain")},
    )
    assert response.status_code == 422
    body = response.json()["error"]
    assert "does not compile" in body["message"] and body["details"]["compiler"]
    count = (
        await session.execute(text("SELECT count(*) FROM templates WHERE slug = 'broken'"))
    ).scalar_one()
    assert count == 0


async def test_template_cannot_read_outside_its_folder(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    admin = await make_admin(client, session)
    sneaky = b'#let secret = read("/etc/passwd")\n#secret\n'
    response = await client.post(
        f"{API}/templates",
        headers=admin,
        data={"slug": "sneaky", "name": "Sneaky"},
        files={"file": ("template.typ", sneaky, "text/plain")},
    )
    assert response.status_code == 422
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("template.typ", GOOD)
        archive.writestr("../escape.typ", b"x")
    zipped = await client.post(
        f"{API}/templates",
        headers=admin,
        data={"slug": "zipped", "name": "Zipped"},
        files={"file": ("t.zip", buffer.getvalue(), "application/zip")},
    )
    assert zipped.status_code == 422 and "Unsafe path" in zipped.json()["error"]["message"]


async def test_templates_admin_only(client: httpx.AsyncClient) -> None:
    _, user = await new_user_headers(client)
    response = await client.post(
        f"{API}/templates",
        headers=user,
        data={"slug": "nope", "name": "Nope"},
        files={"file": ("template.typ", GOOD, "text/plain")},
    )
    assert response.status_code == 403
