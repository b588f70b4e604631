"""Settings, import and export through the pages (no JavaScript): each form's errors appear next
to its field, and what succeeds is visible through the API's services."""

from __future__ import annotations

import json
import re

import httpx

from tests.factories import PASSWORD
from tests.web.test_pages import signup


async def test_import_and_export_json_resume(client: httpx.AsyncClient) -> None:
    await signup(client)
    token = client.cookies["csrf_token"]
    document = {
        "basics": {"name": "Ingrid Søgaard", "label": "Ingeniør"},
        "skills": [{"name": "Rust"}],
    }
    imported = await client.post(
        "/app/resumes/import",
        data={"csrf_token": token},
        files={"file": ("cv.json", json.dumps(document).encode(), "application/json")},
    )
    assert imported.status_code == 303, imported.text
    url = imported.headers["location"]
    editor = await client.get(url)
    assert 'value="Ingrid Søgaard"' in editor.text and 'value="Rust"' in editor.text
    exported = await client.get(url + "/export")
    assert exported.json() == document
    assert "filename*=UTF-8''Ingrid" in exported.headers["content-disposition"]
    broken = await client.post(
        "/app/resumes/import",
        data={"csrf_token": token},
        files={"file": ("cv.json", b"{not json", "application/json")},
    )
    assert broken.status_code == 422 and "not a JSON document" in broken.text
    invalid = await client.post(
        "/app/resumes/import",
        data={"csrf_token": token},
        files={"file": ("cv.json", b'{"basics": {"email": 5}}', "application/json")},
    )
    assert invalid.status_code == 422 and "basics.email" in invalid.text


async def test_profile_password_and_account_deletion(client: httpx.AsyncClient) -> None:
    email = await signup(client)
    token = client.cookies["csrf_token"]
    saved = await client.post(
        "/app/settings/profile", data={"csrf_token": token, "full_name": "Ada King"}
    )
    assert saved.status_code == 200 and "Profile saved" in saved.text
    assert 'value="Ada King"' in saved.text
    wrong = await client.post(
        "/app/settings/password",
        data={"csrf_token": token, "current_password": "not it at all 1", "new_password": "x"},
    )
    assert wrong.status_code == 422
    assert re.search(r'id="f-(current|new)_password-desc"', wrong.text)
    changed = await client.post(
        "/app/settings/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": "another long passphrase 7",
        },
    )
    assert changed.status_code == 200 and "Password changed" in changed.text
    export = await client.get("/app/settings/export")
    assert export.status_code == 200 and export.json()
    refused = await client.post(
        "/app/settings/delete", data={"csrf_token": token, "password": PASSWORD}
    )
    assert refused.status_code == 422
    assert re.search(r'id="f-delete-password-desc">[^<]+', refused.text)
    assert (await client.get("/app")).status_code == 200  # still there
    deleted = await client.post(
        "/app/settings/delete",
        data={"csrf_token": token, "password": "another long passphrase 7"},
    )
    assert deleted.status_code == 200 and "deleted" in deleted.text
    assert (await client.get("/app")).status_code == 303
    client.cookies.clear()
    form = await client.get("/signin")
    again = await client.post(
        "/signin",
        data={
            "csrf_token": client.cookies["csrf_token"],
            "email": email,
            "password": "another long passphrase 7",
        },
    )
    assert again.status_code == 401 and form.status_code == 200
