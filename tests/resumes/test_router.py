"""Resumes through the API: CRUD, ETags, import/export, PDF, preview, sharing and stats."""

from __future__ import annotations

import copy
import io
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pypdfium2
import pytest
from sqlalchemy import text

from resumate.config import Settings
from resumate.core import security
from resumate.rendering.pdf import sample_resume
from tests import ownership
from tests.factories import bearer, csrf_headers, new_user_headers, register, unique_email

API = "/api/v1"


def document() -> dict[str, Any]:
    return copy.deepcopy(sample_resume())


async def create(
    client: httpx.AsyncClient, headers: dict[str, str], **extra: Any
) -> dict[str, Any]:
    payload = {"title": "My resume", "data": document(), **extra}
    response = await client.post(f"{API}/resumes", json=payload, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["data"]  # type: ignore[no-any-return]


@ownership.register_factory("/api/v1/resumes/{id}")
async def make_resume(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    return str((await create(client, headers))["id"])


@pytest.fixture
async def headers(client: httpx.AsyncClient) -> dict[str, str]:
    _, headers = await new_user_headers(client)
    return headers


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


async def test_templates_are_listed_publicly(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/templates")
    assert response.status_code == 200
    templates = response.json()["data"]
    assert {"classic", "modern", "compact", "academic"} <= {t["slug"] for t in templates}
    first = templates[0]
    assert set(first) >= {"id", "slug", "name", "description", "preview_url"}
    preview = await client.get(first["preview_url"])
    assert preview.status_code == 200 and preview.content[:8] == b"\x89PNG\r\n\x1a\n"


async def test_create_read_list_and_etag(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await create(client, headers)
    got = await client.get(f"{API}/resumes/{created['id']}", headers=headers)
    assert got.status_code == 200
    assert got.headers["etag"] == created["etag"]
    assert got.json()["data"]["data"]["basics"]["name"] == document()["basics"]["name"]
    await create(client, headers, title="Another")
    listing = await client.get(f"{API}/resumes?per_page=1&sort=title", headers=headers)
    assert listing.status_code == 200
    assert listing.json()["meta"]["pagination"] == {
        "page": 1,
        "per_page": 1,
        "total": 2,
        "pages": 2,
    }
    assert listing.json()["data"][0]["title"] == "Another"
    second = (
        await client.get(f"{API}/resumes?per_page=1&page=2&sort=title", headers=headers)
    ).json()
    assert [r["title"] for r in second["data"]] == ["My resume"]
    past = (await client.get(f"{API}/resumes?per_page=1&page=5", headers=headers)).json()
    assert past["data"] == [] and past["meta"]["pagination"]["total"] == 2
    # The list is written by pydantic directly: the same envelope, and each item the same
    # fields in the same form (ids, timestamps) as the resume read on its own.
    whole = await client.get(f"{API}/resumes?sort=title", headers=headers)
    assert whole.headers["content-type"] == "application/json"
    one = got.json()["data"]
    fields = ("id", "title", "template_id", "version", "share_enabled", "created_at", "updated_at")
    assert whole.json() == {
        "success": True,
        "data": [whole.json()["data"][0], {name: one[name] for name in fields}],
        "error": None,
        "meta": {"pagination": {"page": 1, "per_page": 20, "total": 2, "pages": 1}},
    }
    assert list(whole.json()["data"][0]) == list(fields)


async def test_invalid_document_names_json_paths(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    bad = document()
    bad["work"][0]["startDate"] = "March 2020"
    bad["basics"]["name"] = 42
    response = await client.post(
        f"{API}/resumes", json={"title": "x", "data": bad}, headers=headers
    )
    assert response.status_code == 422
    paths = {e["path"] for e in response.json()["error"]["details"]["errors"]}
    assert "$.data.work[0].startDate" in paths and "$.data.basics.name" in paths


async def test_stale_if_match_is_412_and_changes_nothing(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await create(client, headers)
    url = f"{API}/resumes/{created['id']}"
    first = await client.patch(
        url, json={"title": "First"}, headers={**headers, "If-Match": created["etag"]}
    )
    assert first.status_code == 200 and first.headers["etag"] != created["etag"]
    stale = await client.patch(
        url, json={"title": "Lost update"}, headers={**headers, "If-Match": created["etag"]}
    )
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "PRECONDITION_FAILED"
    assert (await client.get(url, headers=headers)).json()["data"]["title"] == "First"
    fresh = await client.patch(
        url, json={"title": "Second"}, headers={**headers, "If-Match": first.headers["etag"]}
    )
    assert fresh.status_code == 200


async def test_duplicate_import_export(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    data = document()
    data["x-custom"] = {"kept": True}  # unknown keys survive a round trip
    imported = await client.post(f"{API}/resumes/import", json=data, headers=headers)
    assert imported.status_code == 201, imported.text
    resume = imported.json()["data"]
    assert data["basics"]["name"] in resume["title"]
    exported = await client.get(f"{API}/resumes/{resume['id']}/export", headers=headers)
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    assert exported.json()["x-custom"] == {"kept": True}
    assert exported.json()["basics"]["name"] == data["basics"]["name"]
    copy_ = await client.post(f"{API}/resumes/{resume['id']}/duplicate", headers=headers)
    assert copy_.status_code == 201 and copy_.json()["data"]["id"] != resume["id"]
    bad = await client.post(f"{API}/resumes/import", json={"work": "nope"}, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["errors"][0]["path"].startswith("$.work")


async def test_pdf_rendered_stored_and_reused(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await create(client, headers)
    url = f"{API}/resumes/{created['id']}"
    assert (await client.get(f"{url}/pdf", headers=headers)).status_code == 404
    made = await client.post(f"{url}/pdf", headers=headers)
    assert made.status_code == 201, made.text
    info = made.json()["data"]
    assert info["pages"] >= 1 and info["size_bytes"] > 1000 and info["reused"] is False
    again = (await client.post(f"{url}/pdf", headers=headers)).json()["data"]
    assert again["reused"] is True and again["id"] == info["id"]
    download = await client.get(f"{url}/pdf", headers=headers)
    assert download.status_code == 200 and download.headers["content-type"] == "application/pdf"
    assert download.content.startswith(b"%PDF") and len(download.content) == info["size_bytes"]
    text = pdf_text(download.content)
    data = document()
    assert data["basics"]["name"] in text
    assert data["work"][0]["name"] in text
    # A change of data makes a new PDF.
    changed = document()
    changed["basics"]["label"] = "Principal Engineer"
    await client.patch(url, json={"data": changed}, headers=headers)
    newer = (await client.post(f"{url}/pdf", headers=headers)).json()["data"]
    assert newer["reused"] is False and newer["sha256"] != info["sha256"]


async def test_pdf_rendered_twice_at_once_keeps_one_row_and_one_file(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    db_conn: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another request stores the same document's PDF while this one renders: this one answers
    with the winner's PDF and removes the file it wrote."""
    import uuid

    from sqlalchemy import func, insert, select

    from resumate.core.storage import get_storage
    from resumate.modules.resumes import service as resume_service
    from resumate.modules.resumes.models import Resume, ResumePdf

    def stored_files() -> set[str]:
        root = get_storage().root  # type: ignore[attr-defined]
        return {str(p) for p in root.joinpath("pdfs").rglob("*") if p.is_file()}

    created = await create(client, headers)
    url = f"{API}/resumes/{created['id']}"
    first = (await client.post(f"{url}/pdf", headers=headers)).json()["data"]
    changed = document()
    changed["basics"]["label"] = "Raced"
    await client.patch(url, json={"data": changed}, headers=headers)
    render = resume_service._render
    winner_key = "pdfs/winner-of-the-race.pdf"

    async def render_while_another_wins(*args: Any, **kwargs: Any) -> Any:
        rendered = await render(*args, **kwargs)
        row = (
            await db_conn.execute(select(ResumePdf).where(ResumePdf.id == uuid.UUID(first["id"])))
        ).one()
        digest = (
            await db_conn.execute(select(Resume.data_sha256).where(Resume.id == row.resume_id))
        ).scalar_one()
        await db_conn.execute(
            insert(ResumePdf).values(
                id=uuid.uuid4(),
                resume_id=row.resume_id,
                template_id=row.template_id,
                template_version=row.template_version,
                template_digest=row.template_digest,
                data_sha256=digest,
                sha256=rendered.sha256,
                size_bytes=rendered.size_bytes,
                pages=rendered.pages,
                storage_key=winner_key,
            )
        )
        return rendered

    monkeypatch.setattr(resume_service, "_render", render_while_another_wins)
    before = stored_files()
    raced = await client.post(f"{url}/pdf", headers=headers)
    assert raced.status_code in (200, 201), raced.text
    info = raced.json()["data"]
    assert info["reused"] is True
    rows = (
        await db_conn.execute(
            select(func.count()).select_from(ResumePdf).where(ResumePdf.storage_key == winner_key)
        )
    ).scalar_one()
    assert rows == 1
    assert stored_files() == before, "the losing request's file was removed"


async def test_template_choice_and_unknown_template(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    templates = {t["slug"]: t["id"] for t in (await client.get(f"{API}/templates")).json()["data"]}
    modern = await create(client, headers, template_id=templates["modern"])
    assert modern["template_id"] == templates["modern"]
    bad = await client.post(
        f"{API}/resumes",
        json={
            "title": "x",
            "data": document(),
            "template_id": "00000000-0000-0000-0000-000000000000",
        },
        headers=headers,
    )
    assert bad.status_code == 422


async def test_preview_png(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    created = await create(client, headers)
    response = await client.get(f"{API}/resumes/{created['id']}/preview", headers=headers)
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.content[:4] == b"\x89PNG"
    missing = await client.get(f"{API}/resumes/{created['id']}/preview?page=40", headers=headers)
    assert missing.status_code == 404


async def test_share_view_counts_and_disable(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await create(client, headers)
    url = f"{API}/resumes/{created['id']}"
    shared = await client.post(f"{url}/share", json={"enabled": True}, headers=headers)
    assert shared.status_code == 200
    slug = shared.json()["data"]["slug"]
    assert len(slug) >= 16 and shared.json()["data"]["public_url"].endswith(f"/r/{slug}")

    page = await client.get(f"{API}/public/r/{slug}")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert document()["basics"]["name"] in page.text
    short = await client.get(f"/r/{slug}")
    assert short.status_code == 200
    pdf = await client.get(f"{API}/public/r/{slug}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    stats = (await client.get(f"{url}/stats", headers=headers)).json()["data"]
    assert stats["views"] == 2 and stats["downloads"] == 1
    assert len(stats["by_day"]) == 30 and stats["by_day"][-1]["views"] == 2

    off = await client.post(f"{url}/share", json={"enabled": False}, headers=headers)
    assert off.json()["data"]["public_url"] is None
    assert (await client.get(f"{API}/public/r/{slug}")).status_code == 404
    assert (await client.get(f"{API}/public/r/{slug}/pdf")).status_code == 404
    assert (await client.get(f"{API}/public/r/not-a-real-slug")).status_code == 404


async def test_delete_removes_pdf_files(
    client: httpx.AsyncClient, headers: dict[str, str], storage
) -> None:  # type: ignore[no-untyped-def]
    created = await create(client, headers)
    url = f"{API}/resumes/{created['id']}"
    await client.post(f"{url}/pdf", headers=headers)
    files_before = set(storage.root.rglob("*.pdf"))
    assert (await client.delete(url, headers=headers)).status_code == 200
    assert (await client.get(url, headers=headers)).status_code == 404
    files_after = set(storage.root.rglob("*.pdf"))
    assert len(files_before - files_after) == 1


async def test_account_export_includes_resumes(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await create(client, headers)
    export = (await client.get(f"{API}/users/me/export", headers=headers)).json()
    assert [r["id"] for r in export["resumes"]] == [created["id"]]


async def test_unicode_resume_renders(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    data = {"basics": {"name": "Ζωή Ολυμπία – Жанна – 王小明 – سارة", "email": "zoe@example.com"}}
    created = (
        await client.post(f"{API}/resumes", json={"title": "Intl", "data": data}, headers=headers)
    ).json()["data"]
    made = await client.post(f"{API}/resumes/{created['id']}/pdf", headers=headers)
    assert made.status_code == 201
    download = await client.get(f"{API}/resumes/{created['id']}/pdf", headers=headers)
    text = pdf_text(download.content)
    for word in ("Ζωή", "Жанна", "王小明"):
        assert word in text
    assert io.BytesIO(download.content).getbuffer().nbytes > 0


async def test_render_queue_full_is_503_with_retry_after(
    client: httpx.AsyncClient, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from resumate.modules.resumes import service
    from resumate.rendering.pool import RenderPool

    created = await create(client, headers)
    # A pool that can hold no render at all: every render finds it full.
    full = RenderPool(workers=1, warm=False, max_pending=1)
    full._lanes[0].in_flight = 1
    monkeypatch.setattr(service, "_render_pool", full)
    try:
        response = await client.post(f"{API}/resumes/{created['id']}/pdf", headers=headers)
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"] == "1"
        assert response.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
        preview = await client.get(f"{API}/resumes/{created['id']}/preview", headers=headers)
        assert preview.status_code == 503
    finally:
        full.close()


async def _pdf_events(db_conn: Any, resume_id: str) -> list[dict[str, Any]]:
    from sqlalchemy import text

    rows = await db_conn.execute(
        text(
            "SELECT meta FROM analytics_events WHERE resource_id = :r AND event = 'pdf_rendered'"
            " ORDER BY id"
        ),
        {"r": resume_id},
    )
    return [row.meta for row in rows]


async def test_pdf_rendered_event_once_per_new_pdf(
    client: httpx.AsyncClient, headers: dict[str, str], db_conn: Any
) -> None:
    """The row and its event go in together: one event with the page count per new PDF, none
    for a reused one."""
    created = await create(client, headers)
    url = f"{API}/resumes/{created['id']}"
    made = (await client.post(f"{url}/pdf", headers=headers)).json()["data"]
    assert (await client.post(f"{url}/pdf", headers=headers)).json()["data"]["reused"] is True
    assert await _pdf_events(db_conn, created["id"]) == [{"pages": made["pages"]}]
    changed = document()
    changed["basics"]["label"] = "Ünïcode 🚀 لقب"
    await client.patch(url, json={"data": changed}, headers=headers)
    newer = (await client.post(f"{url}/pdf", headers=headers)).json()["data"]
    assert newer["reused"] is False
    events = await _pdf_events(db_conn, created["id"])
    assert events == [{"pages": made["pages"]}, {"pages": newer["pages"]}]


async def test_pdf_follows_the_data_whoever_changes_it(
    client: httpx.AsyncClient, headers: dict[str, str], db_conn: Any
) -> None:
    """A stored PDF is found by its document's digest, which PostgreSQL keeps with the data:
    a change made outside the API (here by SQL) renders a new PDF, and the document as it was
    finds its PDF again."""
    from resumate.core.storage import get_storage

    created = await create(client, headers)
    url = f"{API}/resumes/{created['id']}"
    first = (await client.post(f"{url}/pdf", headers=headers)).json()["data"]
    assert first["reused"] is False
    await db_conn.execute(
        text(
            "UPDATE resumes SET data = jsonb_set(data, '{basics,label}', '\"Changed by SQL\"') "
            "WHERE id = :id"
        ),
        {"id": created["id"]},
    )
    changed = await client.post(f"{url}/pdf", headers=headers)
    assert changed.status_code == 201, changed.text
    assert changed.json()["data"]["reused"] is False
    key = (
        await db_conn.execute(
            text("SELECT storage_key FROM resume_pdfs WHERE id = :id"),
            {"id": changed.json()["data"]["id"]},
        )
    ).scalar_one()
    assert "Changed by SQL" in pdf_text(await get_storage().read(key))
    # Back to the first document (keys in another order: the same jsonb): its PDF again.
    original = document()
    reordered = dict(reversed(list(original.items())))
    patched = await client.patch(url, json={"data": reordered}, headers=headers)
    assert patched.status_code == 200, patched.text
    again = (await client.post(f"{url}/pdf", headers=headers)).json()["data"]
    assert again["reused"] is True and again["id"] == first["id"]


async def test_pdf_reused_when_the_template_changes_back(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    """The same document with another template is another PDF; going back to the first
    template finds the first PDF (the newest PDF of the document is then the other one's)."""
    templates = {t["slug"]: t["id"] for t in (await client.get(f"{API}/templates")).json()["data"]}
    created = await create(client, headers, template_id=templates["classic"])
    url = f"{API}/resumes/{created['id']}"
    classic = (await client.post(f"{url}/pdf", headers=headers)).json()["data"]
    await client.patch(url, json={"template_id": templates["modern"]}, headers=headers)
    modern = (await client.post(f"{url}/pdf", headers=headers)).json()["data"]
    assert modern["reused"] is False and modern["template_id"] == templates["modern"]
    assert modern["sha256"] != classic["sha256"]
    await client.patch(url, json={"template_id": templates["classic"]}, headers=headers)
    back = (await client.post(f"{url}/pdf", headers=headers)).json()["data"]
    assert back["reused"] is True and back["id"] == classic["id"]
    assert back["template_id"] == templates["classic"]
    again = (await client.post(f"{url}/pdf", headers=headers)).json()["data"]
    assert again["reused"] is True and again["id"] == classic["id"]


async def test_pdf_rendered_again_when_its_file_is_gone(
    client: httpx.AsyncClient, headers: dict[str, str], db_conn: Any
) -> None:
    """A stored PDF whose file went missing is rendered again into the same row (a new file,
    one more event); the next request reuses it."""
    from resumate.core.storage import get_storage

    created = await create(client, headers)
    url = f"{API}/resumes/{created['id']}"
    first = (await client.post(f"{url}/pdf", headers=headers)).json()["data"]
    key = (
        await db_conn.execute(
            text("SELECT storage_key FROM resume_pdfs WHERE id = :id"), {"id": first["id"]}
        )
    ).scalar_one()
    await get_storage().delete(key)
    again = await client.post(f"{url}/pdf", headers=headers)
    assert again.status_code == 201, again.text
    info = again.json()["data"]
    assert info["reused"] is False and info["id"] == first["id"]
    assert info["pages"] == first["pages"]
    new_key = (
        await db_conn.execute(
            text("SELECT storage_key FROM resume_pdfs WHERE id = :id"), {"id": first["id"]}
        )
    ).scalar_one()
    assert new_key != key and await get_storage().exists(new_key)
    assert await _pdf_events(db_conn, created["id"]) == [{"pages": first["pages"]}] * 2
    third = (await client.post(f"{url}/pdf", headers=headers)).json()["data"]
    assert third["reused"] is True and third["id"] == first["id"]
    download = await client.get(f"{url}/pdf", headers=headers)
    assert download.status_code == 200 and len(download.content) == info["size_bytes"]


async def test_pdf_refused_by_the_quota_after_its_render_leaves_no_file(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    db_conn: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The file is written while the quota is counted: when the count refuses, the file goes,
    and neither a row nor an event is written."""
    from sqlalchemy import func, select

    from resumate.core.errors import QuotaExceeded
    from resumate.core.storage import get_storage
    from resumate.modules.billing import service as billing_service
    from resumate.modules.resumes.models import ResumePdf

    def stored_files() -> set[str]:
        root = get_storage().root  # type: ignore[attr-defined]
        return {str(p) for p in root.joinpath("pdfs").rglob("*") if p.is_file()}

    async def refuse(*args: Any, **kwargs: Any) -> None:
        raise QuotaExceeded("Your plan allows 0 pdf renders", details={"quota": "pdf_renders"})

    created = await create(client, headers)
    url = f"{API}/resumes/{created['id']}"
    monkeypatch.setattr(billing_service, "enforce_quota", refuse)
    # Only a count with a limit (billing on) can refuse; without one the count goes into the
    # row's statement (see test_pdf_render_counted_in_the_rows_statement_without_billing).
    monkeypatch.setattr(billing_service, "counts_without_limit", lambda quota: False)
    before = stored_files()
    refused = await client.post(f"{url}/pdf", headers=headers)
    assert refused.status_code == 402, refused.text
    assert stored_files() == before
    rows = (
        await db_conn.execute(
            select(func.count()).select_from(ResumePdf).where(ResumePdf.resume_id == created["id"])
        )
    ).scalar_one()
    assert rows == 0
    assert await _pdf_events(db_conn, created["id"]) == []


async def test_pdf_route_checks_the_caller_like_every_other_route(
    client: httpx.AsyncClient,
    session,  # type: ignore[no-untyped-def]
) -> None:
    """POST /pdf loads the caller, the resume and its template in one query: the same 401s
    (no token, revoked session, deactivated account), CSRF check for the cookie and 404 for
    another account's resume as the routes that use CurrentUser and OwnedResume."""
    email = unique_email()
    user = await register(client, email)  # the client keeps the cookies
    by_cookie = await create(client, csrf_headers(client))
    url = f"{API}/resumes/{by_cookie['id']}/pdf"
    # The cookie needs the CSRF header on a POST; with it the PDF is made.
    refused = await client.post(url)
    assert refused.status_code == 403, refused.text
    made = await client.post(url, headers=csrf_headers(client))
    assert made.status_code == 201, made.text
    client.cookies.clear()
    assert (await client.post(url)).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert (await client.post(url, headers=bad)).status_code == 401
    # Another account's resume (and one that does not exist) is 404, not 401.
    _, other = await new_user_headers(client)
    assert (await client.post(url, headers=other)).status_code == 404
    missing = f"{API}/resumes/00000000-0000-4000-8000-000000000000/pdf"
    assert (await client.post(missing, headers=other)).status_code == 404
    # A revoked session loses access at once, and so does a deactivated account.
    headers = await bearer(client, email)
    assert (await client.post(url, headers=headers)).status_code in (200, 201)
    current = next(
        s
        for s in (await client.get(f"{API}/auth/sessions", headers=headers)).json()["data"]
        if s["current"]
    )
    second = await bearer(client, email)
    assert (
        await client.delete(f"{API}/auth/sessions/{current['id']}", headers=second)
    ).status_code == 200
    revoked = await client.post(url, headers=headers)
    assert revoked.status_code == 401, revoked.text
    assert (await client.post(url, headers=second)).status_code in (200, 201)
    await session.execute(
        text("UPDATE users SET is_active = false WHERE id = :id"), {"id": user["id"]}
    )
    deactivated = await client.post(url, headers=second)
    assert deactivated.status_code == 401, deactivated.text


# The list and the GETs of one resume load the caller together with what they read (one
# query, ``list_for_caller`` / ``OwnedResumeToRead`` / ``OwnedResumeWithTemplate``): each check
# of ``CurrentUser`` is made here against both, request by request (``/users/me`` uses it).
READING_ROUTES = ("", "/{id}", "/{id}/export", "/{id}/preview", "/{id}/stats")


@pytest.mark.parametrize("path", READING_ROUTES)
async def test_reading_routes_check_the_caller_like_every_other_route(
    client: httpx.AsyncClient,
    session,  # type: ignore[no-untyped-def]
    settings: Settings,
    path: str,
) -> None:
    email = unique_email()
    user = await register(client, email)  # the client keeps the cookies
    made = await create(client, csrf_headers(client))
    url = f"{API}/resumes{path.format(id=made['id'])}"
    me = f"{API}/users/me"

    async def status(**kwargs: Any) -> int:
        """The route's status, after checking that ``CurrentUser``'s route answers the same."""
        got = await client.get(url, **kwargs)
        reference = await client.get(me, **kwargs)
        if got.status_code == 200:
            assert reference.status_code == 200, reference.text
        else:
            assert got.status_code == reference.status_code, (got.text, reference.text)
            assert got.json()["error"]["message"] == reference.json()["error"]["message"]
        return got.status_code

    # The cookie on a GET needs no CSRF header (a safe method), as everywhere.
    assert await status() == 200
    client.cookies.clear()
    assert await status() == 401  # no token
    assert await status(headers={"Authorization": "Bearer not-a-token"}) == 401
    headers = await bearer(client, email)
    assert await status(headers=headers) == 200
    claims = security.decode_access_token(
        headers["Authorization"].removeprefix("Bearer "), secret=settings.secret()
    )
    old, _ = security.create_access_token(
        secret=settings.secret(),
        user_id=claims.user_id,
        session_id=claims.session_id,
        role=claims.role,
        lifetime=timedelta(minutes=5),
        now=datetime.now(UTC) - timedelta(hours=1),
    )
    assert await status(headers={"Authorization": f"Bearer {old}"}) == 401  # token expired
    forged, _ = security.create_access_token(
        secret="another secret entirely, 32 bytes or more",
        user_id=claims.user_id,
        session_id=claims.session_id,
        role=claims.role,
        lifetime=timedelta(minutes=5),
    )
    assert await status(headers={"Authorization": f"Bearer {forged}"}) == 401
    unknown, _ = security.create_access_token(  # well signed, for a session that never was
        secret=settings.secret(),
        user_id=claims.user_id,
        session_id=uuid.uuid4(),
        role=claims.role,
        lifetime=timedelta(minutes=5),
    )
    assert await status(headers={"Authorization": f"Bearer {unknown}"}) == 401
    # The session ends (expired, then revoked), then the account is deactivated: 401 at once.
    await session.execute(
        text("UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE id = :id"),
        {"id": claims.session_id},
    )
    assert await status(headers=headers) == 401
    headers = await bearer(client, email)
    assert await status(headers=headers) == 200
    claims = security.decode_access_token(
        headers["Authorization"].removeprefix("Bearer "), secret=settings.secret()
    )
    await session.execute(
        text("UPDATE auth_sessions SET revoked_at = now() WHERE id = :id"),
        {"id": claims.session_id},
    )
    assert await status(headers=headers) == 401
    headers = await bearer(client, email)
    assert await status(headers=headers) == 200
    await session.execute(
        text("UPDATE users SET is_active = false WHERE id = :id"), {"id": user["id"]}
    )
    assert await status(headers=headers) == 401
    # Another account: 404 for this resume, and a list without it.
    _, other = await new_user_headers(client)
    response = await client.get(url, headers=other)
    if path:
        assert response.status_code == 404, response.text
    else:
        assert response.status_code == 200 and response.json()["data"] == []


async def test_list_pages_past_the_end_and_without_resumes(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    """The caller's row comes back once with an empty page: the totals are still right."""
    empty = await client.get(f"{API}/resumes", headers=headers)
    assert empty.status_code == 200
    assert empty.json()["data"] == []
    assert empty.json()["meta"]["pagination"] == {
        "page": 1,
        "per_page": 20,
        "total": 0,
        "pages": 0,
    }
    for title in ("b", "a", "c"):
        await create(client, headers, title=title)
    for sort, titles in (("title", ["a", "b"]), ("-title", ["c", "b"])):
        listing = await client.get(f"{API}/resumes?per_page=2&sort={sort}", headers=headers)
        assert [r["title"] for r in listing.json()["data"]] == titles
        assert listing.json()["meta"]["pagination"]["total"] == 3
    past = await client.get(f"{API}/resumes?per_page=2&page=3", headers=headers)
    assert past.json()["data"] == []
    assert past.json()["meta"]["pagination"] == {"page": 3, "per_page": 2, "total": 3, "pages": 2}
