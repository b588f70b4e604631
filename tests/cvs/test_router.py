"""CV upload and analysis through the API, with real PDF and DOCX files."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from tests import ownership
from tests.cvs.files import CV_TEXT, make_docx, make_image_only_pdf, make_pdf
from tests.factories import new_user_headers, pending_jobs, run_pending_jobs

API = "/api/v1"


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    content: bytes,
    name: str = "cv.pdf",
    content_type: str = "application/pdf",
) -> httpx.Response:
    return await client.post(
        f"{API}/cvs", files={"file": (name, content, content_type)}, headers=headers
    )


@ownership.register_factory("/api/v1/cvs/{id}")
async def make_cv(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    response = await upload(client, headers, make_pdf())
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["id"])


@pytest.fixture
async def headers(client: httpx.AsyncClient) -> dict[str, str]:
    _, headers = await new_user_headers(client)
    return headers


def stored_cv_files(storage) -> set[str]:  # type: ignore[no-untyped-def]
    root = storage.root / "cvs"
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


async def analyse(
    client: httpx.AsyncClient, session, headers: dict[str, str], cv_id: str
) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    await run_pending_jobs(session, "analyze_cv")
    response = await client.get(f"{API}/cvs/{cv_id}", headers=headers)
    assert response.status_code == 200
    return response.json()["data"]  # type: ignore[no-any-return]


async def test_pdf_upload_is_pending_with_its_job(
    client: httpx.AsyncClient, session, headers: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    response = await upload(client, headers, make_pdf(), name="../../etc/María CV.pdf")
    assert response.status_code == 201, response.text
    cv = response.json()["data"]
    assert cv["status"] == "pending" and cv["file_kind"] == "pdf"
    assert cv["filename"] == "María CV.pdf"
    jobs = await pending_jobs(session, "analyze_cv")
    assert {"cv_id": cv["id"]} in jobs
    original = await client.get(f"{API}/cvs/{cv['id']}/file", headers=headers)
    assert original.status_code == 200 and original.content.startswith(b"%PDF")


async def test_pdf_analysis_is_useful(
    client: httpx.AsyncClient, session, headers: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    cv_id = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    cv = await analyse(client, session, headers, cv_id)
    assert cv["status"] == "ready", cv.get("error")
    assert cv["contact"]["email"] == CV_TEXT["email"]
    assert cv["contact"]["phone_e164"] == "+34612345678"
    today = date.today()
    expected = ((today.year - 2016) * 12 + today.month - 1) / 12  # Jan 2016 to today, no gap
    assert abs(cv["total_experience_years"] - expected) <= 0.3
    skills = {s.lower() for s in cv["extracted_skills"]}
    # Acronyms come back under their canonical names.
    assert {"advanced cardiac life support", "basic life support", "critical care"} <= skills
    assert 0 <= cv["quality_score"] <= 100 and cv["quality_breakdown"]
    assert isinstance(cv["ats_compatibility_feedback"], list)
    assert cv["summary"] and cv["provider"] == "offline"
    assert cv["parsed_content"]["basics"]["email"] == CV_TEXT["email"]
    count = (
        await session.execute(
            text("SELECT count(*) FROM embeddings WHERE resource_id = :id"), {"id": cv_id}
        )
    ).scalar_one()
    assert count == 1


async def test_docx_upload_and_to_resume(
    client: httpx.AsyncClient, session, headers: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    response = await upload(
        client,
        headers,
        make_docx(),
        name="cv.docx",
        content_type="application/octet-stream",  # the declared type is ignored: content decides
    )
    assert response.status_code == 201, response.text
    cv = await analyse(client, session, headers, response.json()["data"]["id"])
    assert cv["status"] == "ready" and cv["file_kind"] == "docx"
    assert cv["contact"]["email"] == CV_TEXT["email"]
    resume = await client.post(f"{API}/cvs/{cv['id']}/to-resume", headers=headers)
    assert resume.status_code == 201, resume.text
    data = resume.json()["data"]["data"]
    assert data["basics"]["email"] == CV_TEXT["email"]
    pdf = await client.post(f"{API}/resumes/{resume.json()['data']['id']}/pdf", headers=headers)
    assert pdf.status_code == 201


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "cv.pdf"),
        (b"Just some plain text pretending to be a CV", "cv.docx"),
        (b"PK\x03\x04" + b"\x00" * 60, "cv.docx"),
    ],
)
async def test_other_types_are_415_and_leave_nothing(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    storage,
    content: bytes,
    name: str,  # type: ignore[no-untyped-def]
) -> None:
    before = stored_cv_files(storage)
    response = await upload(client, headers, content, name=name)
    assert (
        response.status_code == 415 and response.json()["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    )
    assert stored_cv_files(storage) == before


async def test_zip_without_word_document_is_415(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    response = await upload(client, headers, buffer.getvalue(), name="cv.docx")
    assert response.status_code == 415


async def test_too_large_is_413_and_leaves_nothing(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    storage,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    before = stored_cv_files(storage)
    big = b"%PDF-1.7\n" + b"0" * (settings.max_upload_bytes + 1)
    response = await upload(client, headers, big)
    assert response.status_code == 413 and response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert stored_cv_files(storage) == before
    huge = b"%PDF-1.7\n" + b"0" * (settings.max_upload_bytes + 200_000)
    response = await upload(client, headers, huge)
    assert response.status_code == 413
    assert stored_cv_files(storage) == before


async def test_corrupt_pdf_fails_with_a_readable_message(
    client: httpx.AsyncClient, session, headers: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    cv_id = (await upload(client, headers, b"%PDF-1.7\n1 0 obj garbage without end")).json()[
        "data"
    ]["id"]
    cv = await analyse(client, session, headers, cv_id)
    assert cv["status"] == "failed"
    assert cv["error"] and "Traceback" not in cv["error"] and len(cv["error"]) < 300


async def test_image_only_pdf_is_ready_with_feedback(
    client: httpx.AsyncClient, session, headers: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    cv_id = (await upload(client, headers, make_image_only_pdf())).json()["data"]["id"]
    cv = await analyse(client, session, headers, cv_id)
    assert cv["status"] == "ready"
    feedback = " ".join(f["message"].lower() for f in cv["ats_compatibility_feedback"])
    assert "text" in feedback
    assert cv["quality_score"] < 40


async def test_reanalyze_and_delete(
    client: httpx.AsyncClient, session, headers: dict[str, str], storage
) -> None:  # type: ignore[no-untyped-def]
    cv_id = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    await analyse(client, session, headers, cv_id)
    again = await client.post(f"{API}/cvs/{cv_id}/reanalyze", headers=headers)
    assert again.status_code == 202 and again.json()["data"]["status"] == "pending"
    cv = await analyse(client, session, headers, cv_id)
    assert cv["status"] == "ready"
    listing = await client.get(f"{API}/cvs", headers=headers)
    assert listing.json()["meta"]["pagination"]["total"] == 1
    before = stored_cv_files(storage)
    assert (await client.delete(f"{API}/cvs/{cv_id}", headers=headers)).status_code == 200
    assert len(before - stored_cv_files(storage)) == 1
    assert (await client.get(f"{API}/cvs/{cv_id}", headers=headers)).status_code == 404


async def test_to_resume_before_ready_is_refused(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    cv_id = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    response = await client.post(f"{API}/cvs/{cv_id}/to-resume", headers=headers)
    assert response.status_code == 422


async def test_stalled_processing_is_requeued(
    client: httpx.AsyncClient, session, headers: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from resumate.modules.cvs import service as cv_service

    cv_id = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    await session.execute(text("DELETE FROM procrastinate_jobs WHERE task_name = 'analyze_cv'"))
    await session.execute(
        text(
            "UPDATE cvs SET status = 'processing', processing_started_at = now() - interval '1 hour', attempts = 1 WHERE id = :id"
        ),
        {"id": cv_id},
    )
    swept = await cv_service.sweep_analyses(
        session,
        deadline=timedelta(minutes=30),
        stalled_after=timedelta(minutes=10),
        deadline_message="late",
        crash_message="crashed",
    )
    assert swept["requeued"] >= 1
    assert {"cv_id": cv_id} in await pending_jobs(session, "analyze_cv")
    cv = await analyse(client, session, headers, cv_id)
    assert cv["status"] == "ready"


async def test_missing_file_field_is_422(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await client.post(
        f"{API}/cvs", files={"other": ("x.pdf", b"%PDF-1.4", "application/pdf")}, headers=headers
    )
    assert response.status_code == 422


async def test_api_exposes_skill_evidence_ats_checks_and_extraction(
    client: httpx.AsyncClient, session, headers: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    cv_id = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    cv = await analyse(client, session, headers, cv_id)
    assert cv["status"] == "ready", cv.get("error")
    details = cv["skills_detail"]
    assert details and all(d["snippet"] and d["source"] for d in details)
    assert any(d["source"] == "skills section" for d in details)
    assert all(d["position"] for d in details if d["source"] == "position")
    assert all(len(d["snippet"]) <= 145 for d in details)
    checks = {f["check"]: f for f in cv["ats_compatibility_feedback"]}
    assert {"parsable_text", "standard_headings", "contact_details", "dates", "layout", "file",
            "length"} <= set(checks)  # fmt: skip
    assert all(f["status"] in ("passed", "warning", "failed") for f in checks.values())
    assert cv["extraction"] == {
        "method": "text",
        "text_layer": "ok",
        "ocr_confidence": None,
        "ocr_pages": 0,
    }
    # The OpenAPI schema documents the shapes.
    schema = (await client.get("/openapi.json")).json()["components"]["schemas"]
    assert {"snippet", "source", "position"} <= set(schema["SkillDetailRead"]["properties"])
    assert {"check", "status", "fix"} <= set(schema["AtsCheckRead"]["properties"])
