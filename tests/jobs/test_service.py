"""Retrieval rules: the HNSW path and the exact path agree; fusion keeps both signals."""

from __future__ import annotations

import uuid

import httpx

from resumate.modules.jobs import service as job_service
from tests.cvs.files import make_pdf
from tests.cvs.test_router import analyse, upload
from tests.factories import new_user_headers
from tests.jobs.test_router import ACCOUNTANT_JOB, BACKEND_JOB, NURSE_JOB, create_job


async def test_index_and_exact_paths_agree(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    user, headers = await new_user_headers(client)
    for title, description in (
        ("ICU Registered Nurse", NURSE_JOB),
        ("Backend Engineer", BACKEND_JOB),
        ("Staff Accountant", ACCOUNTANT_JOB),
        ("Emergency Room Nurse", NURSE_JOB.replace("intensive care unit", "emergency department")),
    ):
        await create_job(client, headers, title=title, description=description)
    cv_id = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    await analyse(client, session, headers, cv_id)
    owner = uuid.UUID(user["id"])
    cv = uuid.UUID(cv_id)
    exact = await job_service.match_jobs_for_cv(session, user_id=owner, cv_id=cv, exact=True)
    indexed = await job_service.match_jobs_for_cv(session, user_id=owner, cv_id=cv, exact=False)
    assert [job.id for job, _ in exact] == [job.id for job, _ in indexed]
    assert [r["score"] for _, r in exact] == [r["score"] for _, r in indexed]


async def test_inactive_jobs_are_not_returned(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    user, headers = await new_user_headers(client)
    nurse = await create_job(client, headers, title="ICU Registered Nurse", description=NURSE_JOB)
    await client.patch(f"/api/v1/jobs/{nurse['id']}", json={"is_active": False}, headers=headers)
    cv_id = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    await analyse(client, session, headers, cv_id)
    for exact in (True, False):
        ranked = await job_service.match_jobs_for_cv(
            session, user_id=uuid.UUID(user["id"]), cv_id=uuid.UUID(cv_id), exact=exact
        )
        assert nurse["id"] not in {str(job.id) for job, _ in ranked}


async def test_other_users_jobs_never_leak_into_matches(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    _, stranger = await new_user_headers(client)
    await create_job(client, stranger, title="ICU Registered Nurse", description=NURSE_JOB)
    user, headers = await new_user_headers(client)
    cv_id = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    await analyse(client, session, headers, cv_id)
    for mode in ("hybrid", "vector", "keyword"):
        ranked = await job_service.match_jobs_for_cv(
            session, user_id=uuid.UUID(user["id"]), cv_id=uuid.UUID(cv_id), mode=mode
        )
        assert ranked == []


async def test_skill_stage_keeps_the_ads_sharing_most_skills(
    client: httpx.AsyncClient, session
) -> None:  # type: ignore[no-untyped-def]
    from resumate.ai.jobs import skill_ids

    user, headers = await new_user_headers(client)
    owner = uuid.UUID(user["id"])
    made = {}
    for title, skills in (
        ("three", ["Python", "PostgreSQL", "Docker"]),
        ("two", ["Python", "Docker"]),
        ("one", ["Python"]),
        ("none", ["Nursing"]),
    ):
        made[title] = (
            await create_job(
                client,
                headers,
                title=f"Job {title}",
                required_skills=skills,
                description=BACKEND_JOB,
            )
        )["id"]
    query = skill_ids(["python", "postgres", "Docker", "Go"])
    found = await job_service.skill_search(session, owner_id=owner, skill_ids=query, k=2)
    assert [str(i) for i in found] == [made["three"], made["two"]]
    everything = await job_service.skill_search(session, owner_id=owner, skill_ids=query, k=10)
    assert str(uuid.UUID(made["none"])) not in {str(i) for i in everything}
    assert len(everything) == 3


async def test_skill_stage_follows_activation_and_deletion(
    client: httpx.AsyncClient, session
) -> None:  # type: ignore[no-untyped-def]
    from resumate.ai.jobs import skill_ids

    user, headers = await new_user_headers(client)
    owner = uuid.UUID(user["id"])
    job = await create_job(client, headers, required_skills=["Rust", "Tokio"])
    query = skill_ids(["Rust"])
    assert [
        str(i)
        for i in await job_service.skill_search(session, owner_id=owner, skill_ids=query, k=5)
    ] == [job["id"]]
    await client.patch(f"/api/v1/jobs/{job['id']}", json={"is_active": False}, headers=headers)
    assert await job_service.skill_search(session, owner_id=owner, skill_ids=query, k=5) == []
    await client.patch(
        f"/api/v1/jobs/{job['id']}",
        json={"is_active": True, "required_skills": ["Go"]},
        headers=headers,
    )
    assert await job_service.skill_search(session, owner_id=owner, skill_ids=query, k=5) == []
    found = await job_service.skill_search(
        session, owner_id=owner, skill_ids=skill_ids(["go"]), k=5
    )
    assert [str(i) for i in found] == [job["id"]]
    await client.delete(f"/api/v1/jobs/{job['id']}", headers=headers)
    assert (
        await job_service.skill_search(session, owner_id=owner, skill_ids=skill_ids(["go"]), k=5)
        == []
    )
