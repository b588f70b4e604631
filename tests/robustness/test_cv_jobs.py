"""No CV analysis is stuck: emoji CVs end ready, a file that hangs the analysis or a process
that dies ends failed with a message after bounded attempts, and the sweep enforces the
deadline."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import httpx
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from sqlalchemy import text

from resumate.config import get_settings, set_settings
from resumate.modules.cvs import service as cv_service
from resumate.modules.cvs import tasks as cv_tasks
from tests.factories import new_user_headers, pending_jobs, run_pending_jobs
from tests.robustness.files import EMOJI_HEADINGS, dotted_line_pdf, emoji_cv_pdf

API = "/api/v1"


@pytest.fixture
async def headers(client: httpx.AsyncClient) -> dict[str, str]:
    _, headers = await new_user_headers(client)
    return headers


async def upload(client: httpx.AsyncClient, headers: dict[str, str], data: bytes, name: str) -> str:
    response = await client.post(
        f"{API}/cvs", files={"file": (name, data, "application/pdf")}, headers=headers
    )
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["id"])


async def read(client: httpx.AsyncClient, headers: dict[str, str], cv_id: str) -> dict[str, Any]:
    response = await client.get(f"{API}/cvs/{cv_id}", headers=headers)
    assert response.status_code == 200
    return response.json()["data"]  # type: ignore[no-any-return]


def with_settings(**changes: Any) -> None:
    set_settings(get_settings().model_copy(update=changes))  # restored by conftest


def test_pdfium_reports_emoji_as_surrogate_halves() -> None:
    """What the fix is for: PDFium's per-character API speaks UTF-16 code units."""
    document = pdfium.PdfDocument(emoji_cv_pdf())
    try:
        assert len(document) == 3
        textpage = document[0].get_textpage()
        count = pdfium_raw.FPDFText_CountChars(textpage)
        codes = [pdfium_raw.FPDFText_GetUnicode(textpage, i) for i in range(count)]
    finally:
        document.close()
    assert any(0xD800 <= code <= 0xDBFF for code in codes)
    assert any(0xDC00 <= code <= 0xDFFF for code in codes)


async def test_emoji_cv_ends_ready(client: httpx.AsyncClient, session, headers) -> None:  # type: ignore[no-untyped-def]
    cv_id = await upload(client, headers, emoji_cv_pdf(), "Ингрид Søgaard CV.pdf")
    assert await run_pending_jobs(session, "analyze_cv") == 1
    cv = await read(client, headers, cv_id)
    assert cv["status"] == "ready", cv["error"]
    stored = (
        await session.execute(text("SELECT text_content FROM cvs WHERE id = :id"), {"id": cv_id})
    ).scalar_one()
    for heading in EMOJI_HEADINGS:
        assert heading in stored
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in stored)
    assert "Kubernetes" in cv["extracted_skills"]
    download = await client.get(f"{API}/cvs/{cv_id}/file", headers=headers)
    assert download.status_code == 200
    assert download.headers["content-disposition"] == (
        'attachment; filename="Sogaard CV.pdf"; '
        "filename*=UTF-8''%D0%98%D0%BD%D0%B3%D1%80%D0%B8%D0%B4%20S%C3%B8gaard%20CV.pdf"
    )


async def test_a_file_that_hangs_the_analysis_fails_at_the_time_limit(
    client: httpx.AsyncClient, session, headers
) -> None:  # type: ignore[no-untyped-def]
    with_settings(analysis_timeout=3.0)
    cv_id = await upload(client, headers, dotted_line_pdf(), "dots.pdf")
    started = time.monotonic()
    await run_pending_jobs(session, "analyze_cv")
    assert time.monotonic() - started < 60  # the analysis process was killed, not awaited
    cv = await read(client, headers, cv_id)
    assert cv["status"] == "failed"
    assert cv["error"] == cv_tasks.timeout_message(3.0)
    assert "took longer than 3 seconds" in cv["error"]


async def test_an_analysis_that_keeps_dying_is_retried_then_failed(
    client: httpx.AsyncClient, session, headers
) -> None:  # type: ignore[no-untyped-def]
    # 30 MB of address space: the analysis process dies of MemoryError while starting.
    with_settings(analysis_memory_mb=30)
    cv_id = await upload(client, headers, emoji_cv_pdf(), "cv.pdf")
    jobs = await pending_jobs(session, "analyze_cv")
    for attempt in range(1, cv_service.MAX_ANALYSIS_ATTEMPTS):
        with pytest.raises(cv_tasks.RetryAnalysis):
            await cv_tasks.analyze_cv(**jobs[0])
        cv = await read(client, headers, cv_id)
        assert cv["status"] == "pending", attempt
    await cv_tasks.analyze_cv(**jobs[0])
    cv = await read(client, headers, cv_id)
    assert cv["status"] == "failed"
    assert cv["error"] == cv_tasks.crash_message(cv_service.MAX_ANALYSIS_ATTEMPTS)


async def test_a_cv_whose_worker_died_every_time_is_failed_at_the_next_start(
    client: httpx.AsyncClient, session, headers
) -> None:  # type: ignore[no-untyped-def]
    cv_id = await upload(client, headers, emoji_cv_pdf(), "cv.pdf")
    await session.execute(
        text("UPDATE cvs SET status = 'processing', attempts = :n WHERE id = :id"),
        {"id": cv_id, "n": cv_service.MAX_ANALYSIS_ATTEMPTS},
    )
    await run_pending_jobs(session, "analyze_cv")
    cv = await read(client, headers, cv_id)
    assert cv["status"] == "failed" and "stopped unexpectedly 4 times" in cv["error"]


async def test_sweep_enforces_the_deadline(client: httpx.AsyncClient, session, headers) -> None:  # type: ignore[no-untyped-def]
    late_pending = await upload(client, headers, emoji_cv_pdf(), "a.pdf")
    late_processing = await upload(client, headers, emoji_cv_pdf(), "b.pdf")
    recent = await upload(client, headers, emoji_cv_pdf(), "c.pdf")
    await session.execute(
        text(
            "UPDATE cvs SET queued_at = now() - interval '11 minutes', "
            "status = CASE WHEN id = :b THEN 'processing' ELSE status END, "
            "processing_started_at = now() - interval '1 minute' WHERE id IN (:a, :b)"
        ),
        {"a": late_pending, "b": late_processing},
    )
    assert get_settings().analysis_deadline == 600
    swept = await cv_tasks.sweep_once()
    assert swept["past_deadline"] == 2
    for cv_id in (late_pending, late_processing):
        cv = await read(client, headers, cv_id)
        assert cv["status"] == "failed"
        assert cv["error"] == cv_tasks.deadline_message(600)
        assert "within 10 minutes" in cv["error"]
    assert (await read(client, headers, recent))["status"] == "pending"
    # A job that runs after the sweep gave up leaves the CV as the sweep left it.
    await run_pending_jobs(session, "analyze_cv")
    assert (await read(client, headers, late_pending))["status"] == "failed"
    assert (await read(client, headers, recent))["status"] == "ready"


async def test_reanalyze_restarts_the_deadline(client: httpx.AsyncClient, session, headers) -> None:  # type: ignore[no-untyped-def]
    cv_id = await upload(client, headers, emoji_cv_pdf(), "a.pdf")
    await session.execute(
        text("UPDATE cvs SET queued_at = now() - interval '1 day' WHERE id = :id"),
        {"id": cv_id},
    )
    await run_pending_jobs(session, "analyze_cv")
    again = await client.post(f"{API}/cvs/{cv_id}/reanalyze", headers=headers)
    assert again.status_code == 202
    swept = await cv_service.sweep_analyses(
        session,
        deadline=timedelta(minutes=10),
        stalled_after=timedelta(minutes=5),
        deadline_message="late",
        crash_message="crashed",
    )
    assert swept["past_deadline"] == 0
    await run_pending_jobs(session, "analyze_cv")
    assert (await read(client, headers, cv_id))["status"] == "ready"
