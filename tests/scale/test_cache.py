"""The Redis cache: versioned keys retired by writes (after commit), per-user invalidation,
and a Redis that stops mid-run: the service keeps serving, without cache and with in-process
rate limits, says so once, and reports itself degraded rather than down."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import structlog
from fastapi import FastAPI

from resumate.app import create_app
from resumate.config import Settings, set_settings
from resumate.core import cache
from resumate.core.metrics import CACHE
from resumate.core.redis import RETRY_SECONDS, breaker
from tests.auth.test_admin import make_admin
from tests.cvs.files import make_pdf
from tests.cvs.test_router import analyse, upload
from tests.factories import new_user_headers
from tests.jobs.test_router import NURSE_JOB, create_job
from tests.scale.conftest import OwnRedis

API = "/api/v1"


def lookups(namespace: str, outcome: str) -> float:
    return CACHE.labels(namespace, outcome)._value.get()


@pytest.fixture
def with_redis(settings: Settings, fresh_breaker: None) -> Iterator[Any]:
    """Switch the process settings to a Redis URL for the test."""

    def use(url: str) -> Settings:
        changed = settings.model_copy(update={"redis_url": url})
        set_settings(changed)
        return changed

    yield use
    set_settings(settings)


async def test_cached_values_follow_versions(
    machine_redis_url: str, with_redis: Any, session: Any
) -> None:
    with_redis(machine_redis_url)
    user = uuid.uuid4()
    builds = 0

    async def build() -> dict[str, Any]:
        nonlocal builds
        builds += 1
        return {"n": builds, "text": "Ünïcødé 🚀 \u202e"}

    first, hit = await cache.cached("demo", ["a", 1], build, user_id=user)
    assert (first, hit) == ({"n": 1, "text": "Ünïcødé 🚀 \u202e"}, False)
    assert await cache.cached("demo", ["a", 1], build, user_id=user) == (first, True)
    _, hit = await cache.cached("demo", ["a", 1], build, user_id=uuid.uuid4())
    assert not hit, "another user never sees this user's value"

    # A touch inside a transaction that rolls back changes nothing...
    async with session.begin_nested() as nested:
        cache.touch_user(session, user)
        await nested.rollback()
    await cache.flush_pending()
    assert (await cache.cached("demo", ["a", 1], build, user_id=user))[1]

    # ...one that commits retires the user's values, and only after the commit.
    cache.touch_user(session, user)
    await cache.flush_pending()
    assert (await cache.cached("demo", ["a", 1], build, user_id=user))[1], "bumped before commit"
    await session.commit()
    await cache.flush_pending()
    value, hit = await cache.cached("demo", ["a", 1], build, user_id=user)
    assert not hit and value["n"] == builds

    cache.touch_namespace(session, "demo")
    await session.commit()
    await cache.flush_pending()
    assert not (await cache.cached("demo", ["a", 1], build, user_id=user))[1]


async def test_template_list_cached_and_invalidated_by_admin_writes(
    client: httpx.AsyncClient, session: Any, machine_redis_url: str, with_redis: Any
) -> None:
    with_redis(machine_redis_url)
    before_miss = lookups("templates", "miss")
    first = await client.get(f"{API}/templates")
    assert first.status_code == 200
    await cache.flush_pending()
    before_hit = lookups("templates", "hit")
    again = await client.get(f"{API}/templates")
    assert again.json() == first.json()
    assert lookups("templates", "hit") == before_hit + 1
    assert lookups("templates", "miss") == before_miss + 1

    admin = await make_admin(client, session)
    modern = next(t for t in first.json()["data"] if t["slug"] == "modern")
    changed = await client.patch(
        f"{API}/templates/{modern['id']}", data={"name": "Modern ✨ renamed"}, headers=admin
    )
    assert changed.status_code == 200, changed.text
    await cache.flush_pending()
    after = (await client.get(f"{API}/templates")).json()["data"]
    assert next(t for t in after if t["slug"] == "modern")["name"] == "Modern ✨ renamed"


async def test_matches_cached_per_user_and_retired_by_writes(
    client: httpx.AsyncClient, session: Any, machine_redis_url: str, with_redis: Any
) -> None:
    with_redis(machine_redis_url)
    _, headers = await new_user_headers(client)
    await create_job(client, headers, title="ICU Registered Nurse", description=NURSE_JOB)
    cv_id = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    await analyse(client, session, headers, cv_id)
    await cache.flush_pending()

    url = f"{API}/cvs/{cv_id}/matches"
    first = (await client.get(url, headers=headers)).json()["data"]
    hits = lookups("matches", "hit")
    assert (await client.get(url, headers=headers)).json()["data"] == first
    assert lookups("matches", "hit") == hits + 1

    added = await create_job(client, headers, title="Night Nurse", description=NURSE_JOB)
    await cache.flush_pending()
    after = (await client.get(url, headers=headers)).json()["data"]
    assert added["id"] in {m["job"]["id"] for m in after}, "a new job must show at once"


async def test_redis_stopping_mid_run_degrades_but_serves(
    client: httpx.AsyncClient,
    app: FastAPI,
    own_redis: OwnRedis,
    with_redis: Any,
    settings: Settings,
) -> None:
    from resumate.core.ratelimit import set_rate_limiter

    redis_settings = with_redis(own_redis.url)
    set_rate_limiter(None)
    ready_app = create_app(redis_settings, manage_resources=False)
    transport = httpx.ASGITransport(app=ready_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as ops:
        ready = await ops.get("/health/ready")
        assert ready.json()["status"] == "ready" and ready.json()["checks"]["redis"] == "ok"

        assert (await client.get(f"{API}/templates")).status_code == 200
        own_redis.kill()

        with structlog.testing.capture_logs() as logs:
            for _ in range(5):
                response = await client.get(f"{API}/templates")
                assert response.status_code == 200
                assert response.json()["data"]
            # Rate limits keep holding, per process: 10 bad logins per account per 15 min.
            email = f"nobody-{uuid.uuid4().hex[:6]}@example.com"
            codes = [
                (
                    await client.post(
                        f"{API}/auth/login", json={"email": email, "password": "wrong" * 3}
                    )
                ).status_code
                for _ in range(12)
            ]
        assert 429 in codes and 500 not in codes and 503 not in codes, codes
        outages = [e for e in logs if e["event"].startswith("redis unavailable")]
        assert len(outages) == 1, f"logged {len(outages)} times"

        degraded = await ops.get("/health/ready")
        assert degraded.status_code == 200
        body = degraded.json()
        assert body["status"] == "degraded" and body["degraded"] == ["redis"]
        assert body["checks"]["database"] == "ok"
        assert body["checks"]["redis"].startswith("error")

        # A write while Redis is down cannot retire cached values: when Redis is back, the
        # epoch moves on, so nothing cached before the outage is served.
        cache._schedule_bump([uuid.uuid4()], [])
        await cache.flush_pending()
        own_redis.start()
        breaker.retry_at = 0.0  # instead of waiting RETRY_SECONDS
        ready = await ops.get("/health/ready")
        assert ready.json()["status"] == "ready"
        assert (await client.get(f"{API}/templates")).status_code == 200
        import redis.asyncio as redis_asyncio

        probe = redis_asyncio.Redis.from_url(own_redis.url)
        assert await probe.get("resumate:cache:epoch") == b"1"
        await probe.aclose()
    assert RETRY_SECONDS <= 10
