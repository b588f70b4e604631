"""A shared cache in Redis (when REDIS_URL is set) for views that are costly to build and read
far more often than written: the template list, match results, and per-user views such as the
dashboard.

Keys are versioned, never deleted one by one: a value is stored under the current version of
its namespace (and of its user, for per-user values), and a write bumps that version, so every
value cached before it stops being found at once. Writers call ``touch_user`` /
``touch_namespace`` inside their transaction; the bump happens only after the commit, so a
reader can never store the old state under the new version.

Without Redis (``REDIS_URL`` unset, the embedded default), a caller may ask for the value to
be kept in this process instead (``local=True``, the match rankings): the same versioned keys,
with versions kept in this process and bumped after every commit that touched the user or the
namespace, in a store bounded in bytes and entries (least recently used go first) whose values
live at most ``LOCAL_TTL`` seconds, so a write made by another process (a stand-alone worker)
shows within that time. Otherwise, or while Redis is down, ``cached`` just builds the value
(always correct, never stale). A process that could not bump a version while Redis was down
bumps the global epoch when Redis answers again, which retires everything cached before.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import structlog
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from resumate import __version__
from resumate.config import get_settings
from resumate.core.metrics import CACHE
from resumate.core.redis import breaker, get_redis

log = structlog.get_logger(__name__)

PREFIX = "resumate:cache"
DEFAULT_TTL = 300
MAX_VALUE_BYTES = 1024 * 1024
_INFO_USERS = "cache_touched_users"
_INFO_NAMESPACES = "cache_touched_namespaces"
_EPOCH = f"{PREFIX}:epoch"

# In-process store (no Redis): values at most LOCAL_TTL seconds old, LOCAL_MAX_BYTES of encoded
# JSON and LOCAL_MAX_ENTRIES values in all; versions of at most LOCAL_MAX_VERSIONS users (past
# that, everything is dropped and the local epoch moves on, which no older key can reach).
LOCAL_TTL = 30.0
LOCAL_MAX_BYTES = 32 * 1024 * 1024
LOCAL_MAX_ENTRIES = 5_000
LOCAL_MAX_VERSIONS = 100_000

_pending: set[asyncio.Task[Any]] = set()
_missed_bump = False
_local_epoch = 0
_local_user_versions: dict[uuid.UUID, int] = {}
_local_namespace_versions: dict[str, int] = {}
_local_values: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
_local_bytes = 0


def _user_version_key(user_id: uuid.UUID) -> str:
    return f"{PREFIX}:v:u:{user_id}"


def _namespace_version_key(namespace: str) -> str:
    return f"{PREFIX}:v:ns:{namespace}"


def _redis_url() -> str | None:
    return get_settings().redis_url


# ---- invalidation ---------------------------------------------------------------------------


def touch_user(session: AsyncSession, user_id: uuid.UUID | None) -> None:
    """Retire everything cached for ``user_id`` once ``session``'s transaction commits (rows
    with a ``user_id`` flushed through the ORM do this by themselves; call it for writes made
    with plain ``update()`` statements)."""
    if user_id is not None:
        session.info.setdefault(_INFO_USERS, set()).add(user_id)


def touch_namespace(session: AsyncSession, namespace: str) -> None:
    """Retire everything cached in ``namespace`` (for every user) once the commit is done."""
    session.info.setdefault(_INFO_NAMESPACES, set()).add(namespace)


@event.listens_for(Session, "after_flush")
def _owners_of_flushed_rows(session: Session, flush_context: Any) -> None:
    """Any row with a ``user_id`` written through the ORM touches its owner: per-user cached
    views follow every write without each service having to remember to say so. (Rows that
    only log, such as analytics events with their ``owner_id``, do not.)"""
    for row in (*session.new, *session.dirty, *session.deleted):
        owner = getattr(row, "user_id", None)
        if isinstance(owner, uuid.UUID):
            session.info.setdefault(_INFO_USERS, set()).add(owner)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    users: set[uuid.UUID] = session.info.pop(_INFO_USERS, set())
    namespaces: set[str] = session.info.pop(_INFO_NAMESPACES, set())
    if users or namespaces:
        _bump_local(users, namespaces)
        _schedule_bump(users, namespaces)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_INFO_USERS, None)
    session.info.pop(_INFO_NAMESPACES, None)


def _bump_local(users: Iterable[uuid.UUID], namespaces: Iterable[str]) -> None:
    """Move this process's versions on (always: it costs nothing and keeps the in-process
    store right whichever way the next read goes)."""
    global _local_epoch
    for user in users:
        _local_user_versions[user] = _local_user_versions.get(user, 0) + 1
    for namespace in namespaces:
        _local_namespace_versions[namespace] = _local_namespace_versions.get(namespace, 0) + 1
    if len(_local_user_versions) > LOCAL_MAX_VERSIONS:
        _local_user_versions.clear()
        clear_local()
        _local_epoch += 1


def clear_local() -> None:
    """Drop every value kept in this process (versions stay, so nothing older comes back)."""
    global _local_bytes
    _local_values.clear()
    _local_bytes = 0


def _schedule_bump(users: Iterable[uuid.UUID], namespaces: Iterable[str]) -> None:
    url = _redis_url()
    if not url:
        return
    keys = [_user_version_key(u) for u in users] + [_namespace_version_key(n) for n in namespaces]
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    task = loop.create_task(_bump(url, keys))
    _pending.add(task)
    task.add_done_callback(_pending.discard)


async def _bump(url: str, keys: list[str]) -> None:
    global _missed_bump
    if not breaker.available:
        _missed_bump = True
        return
    try:
        pipe = get_redis(url).pipeline(transaction=False)
        for key in keys:
            pipe.incr(key)
            pipe.expire(key, 30 * 86400)
        await pipe.execute()
        breaker.success()
    except Exception as exc:
        _missed_bump = True
        breaker.failure(exc, "cache invalidation")


async def flush_pending() -> None:
    """Wait for version bumps in flight (tests, shutdown)."""
    if _pending:
        await asyncio.gather(*list(_pending), return_exceptions=True)


# ---- reading --------------------------------------------------------------------------------


async def cached(
    namespace: str,
    parts: Iterable[object],
    build: Callable[[], Awaitable[Any]],
    *,
    user_id: uuid.UUID | None = None,
    ttl: int = DEFAULT_TTL,
    local: bool = False,
) -> tuple[Any, bool]:
    """(value, hit): ``build()``'s JSON-serialisable result, cached under the current versions
    of ``namespace`` (and of ``user_id``). Without Redis it is kept in this process when
    ``local`` is set, else simply built; while Redis is down it is simply built."""
    url = _redis_url()
    if not url and local:
        return await _cached_local(namespace, parts, build, user_id=user_id, ttl=ttl)
    if not url or not breaker.available:
        CACHE.labels(namespace, "bypass").inc()
        return await build(), False
    client = get_redis(url)
    try:
        await _repair_missed_bumps(client)
        version_keys = [_EPOCH, _namespace_version_key(namespace)]
        if user_id is not None:
            version_keys.append(_user_version_key(user_id))
        versions = [int(v or 0) for v in await client.mget(version_keys)]
        key = ":".join(
            [
                PREFIX,
                __version__,
                namespace,
                *map(str, versions),
                str(user_id or "-"),
                *map(str, parts),
            ]
        )
        raw = await client.get(key)
        breaker.success()
    except Exception as exc:
        breaker.failure(exc, "cache read")
        CACHE.labels(namespace, "bypass").inc()
        return await build(), False
    if raw is not None:
        CACHE.labels(namespace, "hit").inc()
        return json.loads(raw), True
    CACHE.labels(namespace, "miss").inc()
    value = await build()
    encoded = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    if len(encoded) <= MAX_VALUE_BYTES:
        try:
            await client.set(key, encoded, ex=ttl)
        except Exception as exc:
            breaker.failure(exc, "cache write")
    return value, False


async def _cached_local(
    namespace: str,
    parts: Iterable[object],
    build: Callable[[], Awaitable[Any]],
    *,
    user_id: uuid.UUID | None,
    ttl: int,
) -> tuple[Any, bool]:
    global _local_bytes
    # The key is made before building: a write committed while the value is built moves the
    # version on, so the value (possibly read before the write) is stored where nobody looks.
    key = ":".join(
        [
            str(_local_epoch),
            namespace,
            str(_local_namespace_versions.get(namespace, 0)),
            str(user_id or "-"),
            str(_local_user_versions.get(user_id, 0) if user_id is not None else 0),
            *map(str, parts),
        ]
    )
    now = time.monotonic()
    found = _local_values.get(key)
    if found is not None:
        if found[0] > now:
            _local_values.move_to_end(key)
            CACHE.labels(namespace, "hit").inc()
            return json.loads(found[1]), True
        del _local_values[key]
        _local_bytes -= len(found[1])
    CACHE.labels(namespace, "miss").inc()
    value = await build()
    encoded = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    if len(encoded) <= min(MAX_VALUE_BYTES, LOCAL_MAX_BYTES):
        previous = _local_values.pop(key, None)
        if previous is not None:
            _local_bytes -= len(previous[1])
        _local_values[key] = (now + min(float(ttl), LOCAL_TTL), encoded)
        _local_bytes += len(encoded)
        while _local_bytes > LOCAL_MAX_BYTES or len(_local_values) > LOCAL_MAX_ENTRIES:
            _, (_, dropped) = _local_values.popitem(last=False)
            _local_bytes -= len(dropped)
    return value, False


def local_usage() -> tuple[int, int]:
    """(values, bytes) kept in this process."""
    return len(_local_values), _local_bytes


async def _repair_missed_bumps(client: Any) -> None:
    """After an outage during which a bump was lost, retire everything cached before it."""
    global _missed_bump
    if _missed_bump:
        await client.incr(_EPOCH)
        _missed_bump = False
        log.info("cache epoch bumped after missed invalidations")
