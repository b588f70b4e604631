"""Per-user cached views (the dashboard) with a version per user bumped by writers.

A writer calls ``touch(session, user_id)`` inside its transaction; the version is bumped only
after that transaction commits, so a reader can never cache the old state under the new
version. Readers key their cache on the current version, so a bump invalidates everything
cached for that user at once. Redis holds versions and values when ``REDIS_URL`` is set (shared
by every process); otherwise they live in this process, with a short lifetime so that a write
made by another process (a stand-alone worker) shows within ``LOCAL_TTL`` seconds.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from resumate.config import get_settings

log = structlog.get_logger(__name__)

REDIS_TTL = 600
LOCAL_TTL = 30.0
LOCAL_MAX = 10_000
_INFO_KEY = "usercache_touched"

_local_versions: dict[uuid.UUID, int] = {}
_local_values: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_pending: set[asyncio.Task[Any]] = set()


def touch(session: AsyncSession, user_id: uuid.UUID | None) -> None:
    """Invalidate ``user_id``'s cached views once ``session``'s transaction commits."""
    if user_id is not None:
        session.info.setdefault(_INFO_KEY, set()).add(user_id)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    touched: set[uuid.UUID] | None = session.info.pop(_INFO_KEY, None)
    if touched:
        bump(touched)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_INFO_KEY, None)


def bump(user_ids: set[uuid.UUID]) -> None:
    for user_id in user_ids:
        _local_versions[user_id] = _local_versions.get(user_id, 0) + 1
    url = get_settings().redis_url
    if not url:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    task = loop.create_task(_bump_redis(url, list(user_ids)))
    _pending.add(task)
    task.add_done_callback(_pending.discard)


async def _bump_redis(url: str, user_ids: list[uuid.UUID]) -> None:
    from resumate.core.redis import get_redis

    try:
        pipe = get_redis(url).pipeline(transaction=False)
        for user_id in user_ids:
            pipe.incr(f"uc:v:{user_id}")
        await pipe.execute()
    except Exception as exc:  # the cached value then lives until its TTL
        log.warning("user cache invalidation failed", error=repr(exc))


async def flush_pending() -> None:
    """Wait for invalidations in flight (tests, shutdown)."""
    if _pending:
        await asyncio.gather(*list(_pending), return_exceptions=True)


async def cached(
    user_id: uuid.UUID, name: str, build: Callable[[], Awaitable[Any]]
) -> tuple[Any, bool]:
    """(value, hit): ``build()``'s JSON-serialisable result, cached for this user's version."""
    url = get_settings().redis_url
    if url:
        return await _cached_redis(url, user_id, name, build)
    key = f"{name}:{user_id}:{_local_versions.get(user_id, 0)}"
    found = _local_values.get(key)
    now = time.monotonic()
    if found is not None and found[0] > now:
        _local_values.move_to_end(key)
        return found[1], True
    value = await build()
    _local_values[key] = (now + LOCAL_TTL, value)
    while len(_local_values) > LOCAL_MAX:
        _local_values.popitem(last=False)
    return value, False


async def _cached_redis(
    url: str, user_id: uuid.UUID, name: str, build: Callable[[], Awaitable[Any]]
) -> tuple[Any, bool]:
    from resumate.core.redis import get_redis

    client = get_redis(url)
    try:
        version = int(await client.get(f"uc:v:{user_id}") or 0)
        key = f"uc:{name}:{user_id}:{version}"
        raw = await client.get(key)
    except Exception as exc:
        log.warning("user cache unavailable", error=repr(exc))
        return await build(), False
    if raw is not None:
        return json.loads(raw), True
    value = await build()
    try:
        await client.set(key, json.dumps(value, separators=(",", ":")), ex=REDIS_TTL)
    except Exception as exc:
        log.warning("user cache write failed", error=repr(exc))
    return value, False


def clear_local() -> None:
    _local_values.clear()
