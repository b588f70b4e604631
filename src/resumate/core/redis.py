"""Shared Redis client (used when REDIS_URL is set) and its circuit breaker.

Redis is an optimisation here (shared cache, shared rate-limit windows), never a dependency:
when it stops answering, callers fall back (no cache, in-process rate limits), the outage is
logged once, and Redis is tried again every ``RETRY_SECONDS`` rather than on every request.
"""

from __future__ import annotations

import asyncio
import time
from functools import cache

import redis.asyncio as redis_asyncio
import structlog

log = structlog.get_logger(__name__)

RETRY_SECONDS = 5.0


@cache
def get_redis(url: str) -> redis_asyncio.Redis:
    return redis_asyncio.from_url(
        url, socket_timeout=2.0, socket_connect_timeout=2.0, health_check_interval=30
    )


async def ping_redis(url: str) -> None:
    await asyncio.wait_for(get_redis(url).ping(), 2.0)


class Breaker:
    """Open (skip Redis) after a failure, half-open after ``RETRY_SECONDS``."""

    def __init__(self) -> None:
        self.down_since: float | None = None
        self.retry_at = 0.0

    @property
    def available(self) -> bool:
        return self.down_since is None or time.monotonic() >= self.retry_at

    def failure(self, exc: BaseException, where: str) -> None:
        now = time.monotonic()
        if self.down_since is None:
            self.down_since = now
            log.warning(
                "redis unavailable: serving without the shared cache, rate limits per process",
                error=repr(exc)[:200],
                where=where,
            )
        self.retry_at = now + RETRY_SECONDS

    def success(self) -> None:
        if self.down_since is not None:
            log.info("redis is back", down_seconds=round(time.monotonic() - self.down_since, 1))
            self.down_since = None


breaker = Breaker()
