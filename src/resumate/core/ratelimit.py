"""Fixed-window rate limits, in Redis when REDIS_URL is set (shared by every process), in
process memory otherwise. A limit is ``count`` hits per ``window`` seconds per key."""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass
from typing import Protocol

import structlog

from resumate.core.errors import RateLimited

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Limit:
    count: int
    window: int  # seconds

    @classmethod
    def parse(cls, text: str) -> Limit:
        """'10/60' -> 10 hits per 60 seconds."""
        count, _, window = text.partition("/")
        return cls(int(count), int(window or 60))


class Backend(Protocol):
    async def hit(self, key: str, window: int) -> tuple[int, int]:
        """Count a hit; returns (hits in the current window, seconds until it resets)."""
        ...

    async def reset(self, key: str) -> None: ...


class MemoryBackend:
    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, int]] = {}
        self._lock = asyncio.Lock()

    async def hit(self, key: str, window: int) -> tuple[int, int]:
        now = time.time()
        bucket = int(now // window)
        async with self._lock:
            if len(self._windows) > 100_000:
                self._windows.clear()  # bounded memory; worst case a window restarts early
            stored = self._windows.get(key)
            count = stored[1] + 1 if stored and stored[0] == bucket else 1
            self._windows[key] = (bucket, count)
        reset_in = math.ceil((bucket + 1) * window - now)
        return count, max(1, reset_in)

    async def reset(self, key: str) -> None:
        async with self._lock:
            self._windows.pop(key, None)


class RedisBackend:
    """Windows shared by every process; while Redis is down, windows in this process."""

    def __init__(self, url: str) -> None:
        from resumate.core.redis import get_redis

        self.redis = get_redis(url)
        self.fallback = MemoryBackend()

    async def hit(self, key: str, window: int) -> tuple[int, int]:
        from resumate.core.metrics import REDIS_FALLBACKS
        from resumate.core.redis import breaker

        if breaker.available:
            try:
                result = await self._hit(key, window)
            except Exception as exc:
                breaker.failure(exc, "rate limit")
            else:
                breaker.success()
                return result
        REDIS_FALLBACKS.labels("rate_limit").inc()
        return await self.fallback.hit(key, window)

    async def _hit(self, key: str, window: int) -> tuple[int, int]:
        now = time.time()
        bucket = int(now // window)
        redis_key = f"resumate:rl:{key}:{bucket}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(redis_key)
            pipe.expire(redis_key, window + 1)
            count, _ = await pipe.execute()
        return int(count), max(1, math.ceil((bucket + 1) * window - now))

    async def reset(self, key: str) -> None:
        await self.fallback.reset(key)
        pattern = f"resumate:rl:{key}:*"
        try:
            async for found in self.redis.scan_iter(match=pattern):
                await self.redis.delete(found)
        except Exception as exc:
            from resumate.core.redis import breaker

            breaker.failure(exc, "rate limit reset")


class RateLimiter:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    async def check(self, scope: str, key: str, limit: Limit) -> None:
        """Count a hit for (scope, key); raise RateLimited once over the limit."""
        count, reset_in = await self.backend.hit(f"{scope}:{key}", limit.window)
        if count > limit.count:
            log.warning("rate limited", scope=scope, count=count, limit=limit.count)
            raise RateLimited(reset_in)

    async def reset(self, scope: str, key: str) -> None:
        await self.backend.reset(f"{scope}:{key}")


_limiter: RateLimiter | None = None


def get_rate_limiter(redis_url: str | None) -> RateLimiter:
    global _limiter
    if _limiter is None:
        _limiter = RateLimiter(RedisBackend(redis_url) if redis_url else MemoryBackend())
    return _limiter


def set_rate_limiter(limiter: RateLimiter | None) -> None:
    global _limiter
    _limiter = limiter
