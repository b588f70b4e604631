"""Shared Redis client (used when REDIS_URL is set)."""

from __future__ import annotations

import asyncio
from functools import cache

import redis.asyncio as redis_asyncio


@cache
def get_redis(url: str) -> redis_asyncio.Redis:
    return redis_asyncio.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)


async def ping_redis(url: str) -> None:
    await asyncio.wait_for(get_redis(url).ping(), 2.0)
