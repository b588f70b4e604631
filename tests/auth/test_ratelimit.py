"""Rate limits: in-process and Redis-backed (the local Redis on 127.0.0.1:6379)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from resumate.core.errors import RateLimited
from resumate.core.ratelimit import (
    Limit,
    MemoryBackend,
    RateLimiter,
    RedisBackend,
    set_rate_limiter,
)
from tests.conftest import port_open, require_service
from tests.factories import unique_email

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_url() -> str:
    require_service("redis", port_open("127.0.0.1", 6379), "no Redis on 127.0.0.1:6379")
    return REDIS_URL


async def test_memory_limiter_counts_per_key() -> None:
    limiter = RateLimiter(MemoryBackend())
    limit = Limit(3, 60)
    for _ in range(3):
        await limiter.check("t", "a", limit)
    with pytest.raises(RateLimited) as raised:
        await limiter.check("t", "a", limit)
    assert 1 <= int(raised.value.headers["Retry-After"]) <= 60
    await limiter.check("t", "b", limit)  # other keys are unaffected


async def test_redis_limiter_is_shared_between_processes(redis_url: str) -> None:
    key = uuid.uuid4().hex
    first, second = RateLimiter(RedisBackend(redis_url)), RateLimiter(RedisBackend(redis_url))
    limit = Limit(4, 60)
    for limiter in (first, second, first, second):
        await limiter.check("shared", key, limit)
    with pytest.raises(RateLimited):
        await first.check("shared", key, limit)
    await first.reset("shared", key)
    await second.check("shared", key, limit)


async def test_register_flood_gets_429_via_redis(
    client: httpx.AsyncClient, redis_url: str, settings
) -> None:  # type: ignore[no-untyped-def]
    backend = RedisBackend(redis_url)
    set_rate_limiter(RateLimiter(backend))
    await backend.reset("register:ip:127.0.0.1")
    limit = Limit.parse(settings.rate_register_ip).count
    last = None
    for _ in range(limit + 1):
        last = await client.post(
            "/api/v1/auth/register",
            json={"email": unique_email(), "password": "long enough pass 1"},
        )
        client.cookies.clear()
    assert last is not None and last.status_code == 429
    assert last.json()["error"]["code"] == "RATE_LIMITED" and last.headers["retry-after"]
    await backend.reset("register:ip:127.0.0.1")


async def test_forgot_password_per_account_limit_does_not_leak(
    client: httpx.AsyncClient, settings
) -> None:  # type: ignore[no-untyped-def]
    email = unique_email()
    for _ in range(Limit.parse(settings.rate_forgot_account).count + 2):
        response = await client.post("/api/v1/auth/password/forgot", json={"email": email})
        assert response.status_code == 202
