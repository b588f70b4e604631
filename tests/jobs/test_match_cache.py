"""Match rankings cached in this process when there is no Redis (the embedded default): a
repeated request is a lookup, any write to the user's jobs or CVs retires the ranking at once,
and the store stays within its bounds."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from resumate.config import get_settings
from resumate.core import cache
from resumate.modules.jobs import service as job_service
from tests.cvs.files import make_pdf
from tests.cvs.test_router import analyse, upload
from tests.factories import new_user_headers
from tests.jobs.test_router import ACCOUNTANT_JOB, NURSE_JOB, create_job

API = "/api/v1"


@pytest.fixture
def rankings(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Counts the rankings really computed (cache misses build one, hits do not)."""
    assert get_settings().redis_url is None, "these tests are about running without Redis"
    built: list[str] = []
    for_cv, for_job = job_service.match_jobs_for_cv, job_service.match_cvs_for_job

    async def counted_for_cv(*args: Any, **kwargs: Any) -> Any:
        built.append(f"cv {kwargs['cv_id']}")
        return await for_cv(*args, **kwargs)

    async def counted_for_job(*args: Any, **kwargs: Any) -> Any:
        built.append(f"job {kwargs['job_id']}")
        return await for_job(*args, **kwargs)

    monkeypatch.setattr(job_service, "match_jobs_for_cv", counted_for_cv)
    monkeypatch.setattr(job_service, "match_cvs_for_job", counted_for_job)
    yield built


async def ready_cv(client: httpx.AsyncClient, session: Any, headers: dict[str, str]) -> str:
    cv_id: str = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    assert (await analyse(client, session, headers, cv_id))["status"] == "ready"
    return cv_id


async def ranking(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> list[Any]:
    response = await client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["data"]  # type: ignore[no-any-return]


async def test_a_repeated_request_is_served_from_the_process(
    client: httpx.AsyncClient, session: Any, rankings: list[str]
) -> None:
    _, headers = await new_user_headers(client)
    job = await create_job(client, headers, title="ICU Registered Nurse", description=NURSE_JOB)
    cv_id = await ready_cv(client, session, headers)

    by_cv = f"{API}/cvs/{cv_id}/matches"
    first = await ranking(client, by_cv, headers)
    assert await ranking(client, by_cv, headers) == first
    assert rankings == [f"cv {cv_id}"], "the second request (and its view event) built again"
    # Another limit is another ranking; the job's view of the same pair is its own too.
    await ranking(client, f"{by_cv}?limit=5", headers)
    by_job = f"{API}/jobs/{job['id']}/matches"
    cvs = await ranking(client, by_job, headers)
    assert await ranking(client, by_job, headers) == cvs
    assert len(rankings) == 3


async def test_every_write_to_jobs_or_cvs_retires_the_ranking(
    client: httpx.AsyncClient, session: Any, rankings: list[str]
) -> None:
    _, headers = await new_user_headers(client)
    nurse = await create_job(
        client, headers, title="ICU Registered Nurse ✚ Ünïcødé", description=NURSE_JOB
    )
    cv_id = await ready_cv(client, session, headers)
    url = f"{API}/cvs/{cv_id}/matches"
    first = await ranking(client, url, headers)
    assert [m["job"]["id"] for m in first] == [nurse["id"]]

    # A new job shows at once.
    added = await create_job(client, headers, title="Accountant", description=ACCOUNTANT_JOB)
    after_add = await ranking(client, url, headers)
    assert {m["job"]["id"] for m in after_add} == {nurse["id"], added["id"]}

    # A changed requirement changes the score at once.
    changed = await client.patch(
        f"{API}/jobs/{nurse['id']}",
        json={"required_skills": ["Quantum Basket Weaving"]},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    after_change = await ranking(client, url, headers)
    nurse_match = next(m for m in after_change if m["job"]["id"] == nurse["id"])
    assert nurse_match["missing_skills"] == ["Quantum Basket Weaving"]

    # A deactivated job and a deleted job leave the ranking at once.
    off = await client.patch(
        f"{API}/jobs/{added['id']}", json={"is_active": False}, headers=headers
    )
    assert off.status_code == 200, off.text
    assert [m["job"]["id"] for m in await ranking(client, url, headers)] == [nurse["id"]]
    assert (await client.delete(f"{API}/jobs/{nurse['id']}", headers=headers)).status_code == 200
    assert await ranking(client, url, headers) == []

    # A write to a CV (a second CV analysed) retires the job's ranking of CVs.
    job = await create_job(client, headers, title="Night Nurse", description=NURSE_JOB)
    by_job = f"{API}/jobs/{job['id']}/matches"
    assert len(await ranking(client, by_job, headers)) == 1
    await ready_cv(client, session, headers)
    assert len(await ranking(client, by_job, headers)) == 2
    # Each write above made the next request build again; nothing was served stale.
    assert len(rankings) == 7


async def test_another_users_write_keeps_my_ranking(
    client: httpx.AsyncClient, session: Any, rankings: list[str]
) -> None:
    _, mine = await new_user_headers(client)
    _, theirs = await new_user_headers(client)
    await create_job(client, mine, title="ICU Registered Nurse", description=NURSE_JOB)
    cv_id = await ready_cv(client, session, mine)
    url = f"{API}/cvs/{cv_id}/matches"
    await ranking(client, url, mine)
    await create_job(client, theirs, title="Accountant", description=ACCOUNTANT_JOB)
    await ranking(client, url, mine)
    assert rankings == [f"cv {cv_id}"]
    # And they never see my cached ranking: my CV is not theirs.
    assert (await client.get(url, headers=theirs)).status_code == 404


async def test_a_write_committed_while_building_is_not_hidden(session: Any) -> None:
    user = uuid.uuid4()
    state = {"value": "old"}

    async def build_while_written() -> dict[str, str]:
        read = dict(state)  # the build reads the old state...
        state["value"] = "new"  # ...then a write commits before it is stored
        cache.touch_user(session, user)
        await session.commit()
        return read

    async def build() -> dict[str, str]:
        return dict(state)

    value, hit = await cache.cached("matches", ["t"], build_while_written, user_id=user, local=True)
    assert (value, hit) == ({"value": "old"}, False)
    assert await cache.cached("matches", ["t"], build, user_id=user, local=True) == (
        {"value": "new"},
        False,
    )
    assert await cache.cached("matches", ["t"], build, user_id=user, local=True) == (
        {"value": "new"},
        True,
    )


async def test_a_rolled_back_write_changes_nothing(session: Any) -> None:
    user = uuid.uuid4()

    async def build() -> list[int]:
        return [1, 2, 3]

    await cache.cached("matches", ["r"], build, user_id=user, local=True)
    async with session.begin_nested() as nested:
        cache.touch_user(session, user)
        await nested.rollback()
    assert (await cache.cached("matches", ["r"], build, user_id=user, local=True))[1]


@pytest.fixture
def small_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    cache.clear_local()
    monkeypatch.setattr(cache, "LOCAL_MAX_BYTES", 10_000)
    monkeypatch.setattr(cache, "LOCAL_MAX_ENTRIES", 50)
    yield
    cache.clear_local()


async def test_the_store_is_bounded_least_recently_used_first(small_store: None) -> None:
    user = uuid.uuid4()
    payload = "é" * 500  # 1,000 bytes of UTF-8 once encoded, plus the JSON quotes

    async def build() -> str:
        return payload

    for n in range(30):
        await cache.cached("matches", [n], build, user_id=user, local=True)
        if n == 0:
            continue
        # Keep the first one in use: it must survive while older-in-use ones go.
        assert (await cache.cached("matches", [0], build, user_id=user, local=True))[1]
    values, size = cache.local_usage()
    assert size <= 10_000 and values <= 9
    assert (await cache.cached("matches", [0], build, user_id=user, local=True))[1]
    assert (await cache.cached("matches", [29], build, user_id=user, local=True))[1]
    assert not (await cache.cached("matches", [1], build, user_id=user, local=True))[1]

    # Many small values: the entry cap holds too; a value larger than the store is not kept.
    async def small() -> int:
        return 1

    for n in range(200):
        await cache.cached("matches", ["s", n], small, user_id=user, local=True)
    assert cache.local_usage()[0] <= 50

    async def huge() -> str:
        return "x" * 20_000

    assert await cache.cached("matches", ["h"], huge, user_id=user, local=True) == (
        "x" * 20_000,
        False,
    )
    assert not (await cache.cached("matches", ["h"], huge, user_id=user, local=True))[1]
    assert cache.local_usage()[1] <= 10_000


async def test_values_expire_and_versions_stay_bounded(
    small_store: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = uuid.uuid4()
    clock = [1_000.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: clock[0])

    async def build() -> str:
        return "ranking"

    await cache.cached("matches", ["e"], build, user_id=user, local=True)
    clock[0] += cache.LOCAL_TTL - 1
    assert (await cache.cached("matches", ["e"], build, user_id=user, local=True))[1]
    clock[0] += 2  # a write by another process (no Redis to say so) shows within LOCAL_TTL
    assert not (await cache.cached("matches", ["e"], build, user_id=user, local=True))[1]

    # Past LOCAL_MAX_VERSIONS users with writes, versions are forgotten: everything cached goes,
    # and no key made before can be found again.
    monkeypatch.setattr(cache, "LOCAL_MAX_VERSIONS", 5)
    assert (await cache.cached("matches", ["e"], build, user_id=user, local=True))[1]
    cache._bump_local([uuid.uuid4() for _ in range(6)], [])
    assert len(cache._local_user_versions) <= 5
    assert cache.local_usage() == (0, 0)
    assert not (await cache.cached("matches", ["e"], build, user_id=user, local=True))[1]


async def test_without_local_nothing_is_kept(rankings: list[str]) -> None:
    user = uuid.uuid4()

    async def build() -> int:
        return 7

    assert await cache.cached("demo", ["x"], build, user_id=user) == (7, False)
    assert await cache.cached("demo", ["x"], build, user_id=user) == (7, False)
