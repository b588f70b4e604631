"""Jobs CRUD, extraction of requirements, and explained matching through the API."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests import ownership
from tests.cvs.files import make_pdf
from tests.cvs.test_router import analyse, upload
from tests.factories import new_user_headers

API = "/api/v1"

BACKEND_JOB = """We are hiring a backend engineer to build our payments platform.

Requirements:
- 5+ years of professional experience with Python
- Strong PostgreSQL and Docker skills
- Experience with REST APIs

Nice to have:
- Kubernetes
- AWS
"""

NURSE_JOB = """Our intensive care unit is looking for a registered nurse.

What you bring:
- At least three years of ICU or emergency nursing experience
- ACLS and BLS certification
- Experience with electronic health records and patient triage

Desirable: wound care experience.
"""

ACCOUNTANT_JOB = """Mid-sized firm seeks an accountant for month-end close, accounts payable and
reconciliations. Requirements: CPA, 3-5 years in accounting, advanced Excel, SAP experience.
"""


async def create_job(
    client: httpx.AsyncClient, headers: dict[str, str], **fields: Any
) -> dict[str, Any]:
    payload = {
        "title": "Backend Engineer",
        "description": BACKEND_JOB,
        "location_type": "remote",
        **fields,
    }
    response = await client.post(f"{API}/jobs", json=payload, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["data"]  # type: ignore[no-any-return]


@ownership.register_factory("/api/v1/jobs/{id}")
async def make_job(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    return str((await create_job(client, headers))["id"])


@pytest.fixture
async def headers(client: httpx.AsyncClient) -> dict[str, str]:
    _, headers = await new_user_headers(client)
    return headers


async def test_requirements_extracted_when_not_given(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    job = await create_job(client, headers)
    required = {s.lower() for s in job["required_skills"]}
    assert {"python", "postgresql", "docker"} <= required
    nice = {s.lower() for s in job["nice_to_have_skills"]}
    assert "kubernetes" in nice and "kubernetes" not in required
    assert job["min_experience_years"] == 5
    # location_type was given; everything else was read from the description.
    assert set(job["extracted_fields"]) == {
        "required_skills",
        "nice_to_have_skills",
        "required_languages",
        "min_experience_years",
        "salary",
        "location",
        "seniority",
    }


async def test_given_requirements_win(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    job = await create_job(client, headers, required_skills=["Go", "gRPC"], min_experience_years=2)
    assert job["required_skills"] == ["Go", "gRPC"] and job["min_experience_years"] == 2
    assert "required_skills" not in job["extracted_fields"]


@pytest.mark.parametrize(
    "bad",
    [
        {"location_type": "moon"},
        {"salary_min": 90000, "salary_max": 50000},
        {"salary_min": -1},
        {"title": ""},
        {"description": "short"},
        {"min_experience_years": 99},
        {"unknown_field": 1},
    ],
)
async def test_invalid_jobs_are_422(
    client: httpx.AsyncClient, headers: dict[str, str], bad: dict[str, Any]
) -> None:
    payload = {
        "title": "Backend Engineer",
        "description": BACKEND_JOB,
        "location_type": "remote",
        **bad,
    }
    response = await client.post(f"{API}/jobs", json=payload, headers=headers)
    assert response.status_code == 422, response.text


async def test_update_reextracts_and_validates(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    job = await create_job(client, headers)
    url = f"{API}/jobs/{job['id']}"
    changed = await client.patch(
        url, json={"title": "ICU Nurse", "description": NURSE_JOB}, headers=headers
    )
    assert changed.status_code == 200
    data = changed.json()["data"]
    assert data["min_experience_years"] == 3
    assert "Python" not in data["required_skills"]
    bad = await client.patch(url, json={"salary_min": 10, "salary_max": 5}, headers=headers)
    assert bad.status_code == 422
    half = await client.patch(url, json={"salary_max": 50000}, headers=headers)
    assert half.status_code == 200
    crossing = await client.patch(url, json={"salary_min": 60000}, headers=headers)
    assert crossing.status_code == 422
    assert (await client.delete(url, headers=headers)).status_code == 200
    assert (await client.get(url, headers=headers)).status_code == 404


async def test_matches_rank_the_fitting_job_first(
    client: httpx.AsyncClient, session, headers: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    nurse = await create_job(client, headers, title="ICU Registered Nurse", description=NURSE_JOB)
    backend = await create_job(client, headers)
    accountant = await create_job(
        client,
        headers,
        title="Staff Accountant",
        description=ACCOUNTANT_JOB,
        location_type="on-site",
    )
    cv_id = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    await analyse(client, session, headers, cv_id)

    response = await client.get(f"{API}/cvs/{cv_id}/matches?limit=10", headers=headers)
    assert response.status_code == 200, response.text
    ranked = response.json()["data"]
    assert next(r["job"]["id"] for r in ranked) == nurse["id"]
    assert {r["job"]["id"] for r in ranked} >= {nurse["id"]}
    scores = [r["score"] for r in ranked]
    assert scores == sorted(scores, reverse=True)
    top = ranked[0]
    assert 0 <= top["score"] <= 100 and top["explanation"]
    assert top["score"] > next(
        r["score"] for r in ranked if r["job"]["id"] in (backend["id"], accountant["id"])
    )
    for result in ranked:
        job_skills = {s.lower() for s in result["job"]["required_skills"]}
        assert {s.lower() for s in result["missing_skills"]} <= job_skills
        assert not set(result["matched_skills"]) & set(result["missing_skills"])
        points = sum(part["points"] for part in result["breakdown"])
        assert abs(points - result["score"]) <= 1

    by_job = await client.get(f"{API}/jobs/{nurse['id']}/matches", headers=headers)
    assert by_job.status_code == 200 and by_job.json()["data"][0]["cv"]["id"] == cv_id


async def test_match_report_has_suggestions(
    client: httpx.AsyncClient, session, headers: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    job = await create_job(
        client,
        headers,
        title="ICU Registered Nurse",
        description=NURSE_JOB + "\nRequired: ECMO, Phlebotomy.",
    )
    cv_id = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    await analyse(client, session, headers, cv_id)
    response = await client.post(
        f"{API}/match", json={"cv_id": cv_id, "job_id": job["id"]}, headers=headers
    )
    assert response.status_code == 200, response.text
    report = response.json()["data"]
    assert report["suggestions"] and report["explanation"]
    for skill in report["missing_skills"]:
        assert any(skill in tip for tip in report["suggestions"])
    other_user_job = await client.post(
        f"{API}/match",
        json={"cv_id": cv_id, "job_id": "00000000-0000-0000-0000-000000000000"},
        headers=headers,
    )
    assert other_user_job.status_code == 404


async def test_match_cache_follows_changes(
    client: httpx.AsyncClient, session, headers: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    job = await create_job(client, headers, title="ICU Registered Nurse", description=NURSE_JOB)
    cv_id = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    await analyse(client, session, headers, cv_id)
    first = (await client.get(f"{API}/cvs/{cv_id}/matches", headers=headers)).json()["data"][0]
    await client.patch(
        f"{API}/jobs/{job['id']}",
        json={"required_skills": ["Quantum Basket Weaving"]},
        headers=headers,
    )
    second = (await client.get(f"{API}/cvs/{cv_id}/matches", headers=headers)).json()["data"][0]
    assert (
        second["missing_skills"] == ["Quantum Basket Weaving"] and second["score"] < first["score"]
    )


async def test_search_jobs(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    nurse = await create_job(client, headers, title="ICU Registered Nurse", description=NURSE_JOB)
    await create_job(client, headers)
    response = await client.get(f"{API}/jobs?q=intensive care nursing", headers=headers)
    assert response.status_code == 200
    assert response.json()["data"][0]["id"] == nurse["id"]


async def test_matches_need_a_ready_cv(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    cv_id = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    response = await client.get(f"{API}/cvs/{cv_id}/matches", headers=headers)
    assert response.status_code == 422


REAL_STYLE_JOB = """About us
We are a leading insurance group headquartered in Munich. We are hiring!

Your tasks
- Build reporting in Power BI for our claims teams

Your profile
- At least three years of experience as a data analyst
- Advanced SQL and Python
- Fluent German (C1)

Nice to have
- dbt

What we offer
- Health insurance, physiotherapy and a learning budget
- Salary: €60k - €75k per year

Location: Munich, Germany. Hybrid: two days a week in the office.
We are an equal opportunity employer and celebrate diversity and inclusion.
"""


async def test_posting_fields_read_from_the_ad(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await client.post(
        f"{API}/jobs",
        json={"title": "Senior Data Analyst", "description": REAL_STYLE_JOB},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    job = response.json()["data"]
    assert {"SQL", "Python"} <= set(job["required_skills"])
    assert job["nice_to_have_skills"] == ["dbt"]
    assert not {"Insurance", "Physical therapy", "Recruiting", "Diversity and inclusion"} & set(
        job["required_skills"]
    )
    assert "German" not in job["required_skills"] and job["required_languages"] == ["German"]
    assert job["min_experience_years"] == 3
    assert (job["salary_min"], job["salary_max"]) == (60_000, 75_000)
    assert (job["salary_currency"], job["salary_period"]) == ("EUR", "year")
    assert job["location"] == "Munich, Germany"
    assert job["location_type"] == "hybrid"
    assert job["seniority"] == "senior"
    assert job["language"] == "en"
    assert [p["kind"] for p in job["posting_parts"]][:4] == [
        "company",
        "responsibilities",
        "requirements",
        "nice_to_have",
    ]
    # A salary given by the user wins over the text, and stays when the text changes.
    patched = await client.patch(
        f"{API}/jobs/{job['id']}",
        json={"salary_min": 50_000, "salary_max": 55_000, "salary_currency": "EUR"},
        headers=headers,
    )
    assert patched.status_code == 200, patched.text
    patched = await client.patch(
        f"{API}/jobs/{job['id']}",
        json={"description": REAL_STYLE_JOB.replace("Power BI", "Tableau")},
        headers=headers,
    )
    data = patched.json()["data"]
    assert (data["salary_min"], data["salary_max"]) == (50_000, 55_000)
    assert "salary" not in data["extracted_fields"]
    bad = await client.patch(
        f"{API}/jobs/{job['id']}", json={"salary_period": "week"}, headers=headers
    )
    assert bad.status_code == 422
