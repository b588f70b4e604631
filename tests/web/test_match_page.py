"""The detailed match report in the browser: a form that POSTs (with the CSRF token) one CV and
one job to /app/match, like the API's POST /match; the GET link stays for bookmarks."""

from __future__ import annotations

import re

import httpx

from tests.cvs.files import make_pdf
from tests.factories import run_pending_jobs
from tests.web.test_pages import signup

NURSE_AD = (
    "ICU registered nurse. Requirements: patient care, ACLS, triage, medication "
    "administration, ECMO; 3+ years of intensive care experience."
)


async def _upload(client: httpx.AsyncClient, token: str) -> str:
    response = await client.post(
        "/app/cvs",
        data={"csrf_token": token},
        files={"file": ("nurse.pdf", make_pdf(), "application/pdf")},
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"].rsplit("/", 1)[1])


async def test_match_report_is_a_form_post_with_suggestions(
    client: httpx.AsyncClient, session
) -> None:  # type: ignore[no-untyped-def]
    await signup(client)
    token = client.cookies["csrf_token"]
    cv_id = await _upload(client, token)
    await run_pending_jobs(session, "analyze_cv")
    pending_cv = await _upload(client, token)  # not analysed: cannot be compared yet
    created = await client.post(
        "/app/jobs",
        data={
            "csrf_token": token,
            "title": "ICU Nurse",
            "description": NURSE_AD,
            "location_type": "on-site",
        },
    )
    job_id = created.headers["location"].rsplit("/", 1)[1]

    # The job page and the CV page offer the report as a POST form with the CSRF token.
    for url in (f"/app/jobs/{job_id}", f"/app/cvs/{cv_id}"):
        html = (await client.get(url)).text
        form = re.search(r'<form method="post" action="/app/match".*?</form>', html, re.S)
        assert form, url
        assert 'name="csrf_token"' in form.group(0)
        assert f'name="cv_id" value="{cv_id}"' in form.group(0)
        assert f'name="job_id" value="{job_id}"' in form.group(0)

    pair = {"cv_id": cv_id, "job_id": job_id}
    refused = await client.post("/app/match", data=pair)
    assert refused.status_code == 403  # no CSRF token
    report = await client.post("/app/match", data={"csrf_token": token, **pair})
    assert report.status_code == 200, report.text[:500]
    assert "Suggestions" in report.text and "Missing skills" in report.text
    suggestions = re.search(r"<h2 class=\"h3\">Suggestions</h2><ul>(.*?)</ul>", report.text, re.S)
    assert suggestions and suggestions.group(1).count("<li>") >= 1
    assert f'href="/app/match?cv={cv_id}&amp;job={job_id}"' in report.text  # bookmarkable
    bookmarked = await client.get(f"/app/match?cv={cv_id}&job={job_id}")
    assert bookmarked.status_code == 200 and "Suggestions" in bookmarked.text

    # The compare form: every analysed CV and job to pick, errors next to the field.
    form = await client.get("/app/match")
    assert form.status_code == 200
    assert f'<option value="{cv_id}"' in form.text and f'<option value="{job_id}"' in form.text
    assert f'<option value="{pending_cv}"' not in form.text
    empty = await client.post("/app/match", data={"csrf_token": token, "job_id": job_id})
    assert empty.status_code == 422
    assert re.search(r'id="f-cv_id-desc">Choose one', empty.text)
    assert f'<option value="{job_id}" selected' in empty.text
    not_ready = await client.post(
        "/app/match", data={"csrf_token": token, "cv_id": pending_cv, "job_id": job_id}
    )
    assert not_ready.status_code == 422
    assert re.search(r'id="f-cv_id-desc">The CV is not analysed yet', not_ready.text)
    stranger = "00000000-0000-0000-0000-000000000000"
    unknown_job = await client.post(
        "/app/match", data={"csrf_token": token, "cv_id": cv_id, "job_id": stranger}
    )
    assert unknown_job.status_code == 422
    assert re.search(r'id="f-job_id-desc">[^<]*not found', unknown_job.text, re.I)
    unknown_cv = await client.post(
        "/app/match", data={"csrf_token": token, "cv_id": stranger, "job_id": job_id}
    )
    assert re.search(r'id="f-cv_id-desc">[^<]*not found', unknown_cv.text, re.I)
