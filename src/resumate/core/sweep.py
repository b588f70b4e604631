"""The storage sweep: after crashes (a server killed mid-upload, a delete whose commit failed)
no stored file is left without the row that owns it, and no row points at a missing file.

Features register where their rows keep storage keys (``register_key_source``). The sweep reads
every referenced key *before* listing the storage: a file is always stored before its row is
committed, so a referenced key missing from the listing is really missing. Files with no row
are deleted only when older than ``min_age`` (an upload may be between its file and its row).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resumate.core.storage import Storage, StorageError

log = structlog.get_logger(__name__)

DEFAULT_MIN_AGE = 3600.0


@dataclass(frozen=True)
class KeySource:
    name: str
    # The key prefixes this feature owns (``new_key``'s prefix): only these are swept.
    prefixes: tuple[str, ...]
    # Every storage key the feature's rows reference.
    referenced: Callable[[AsyncSession], Awaitable[set[str]]]
    # What to do with rows whose file is gone (mark them failed, delete them); returns a count.
    on_missing: Callable[[AsyncSession, set[str]], Awaitable[int]]


_sources: dict[str, KeySource] = {}


def register_key_source(source: KeySource) -> None:
    _sources[source.name] = source


async def sweep_storage(
    sessionmaker: async_sessionmaker[AsyncSession],
    storage: Storage,
    *,
    min_age: float = DEFAULT_MIN_AGE,
) -> dict[str, int]:
    """Delete orphan files, clean interrupted uploads, and settle rows whose file is missing."""
    started = time.time()
    by_source: dict[str, set[str]] = {}
    async with sessionmaker() as session:
        for name, source in _sources.items():
            by_source[name] = await source.referenced(session)
    referenced = set().union(*by_source.values()) if by_source else set()
    counts = {"orphans_deleted": 0, "incomplete_cleaned": 0, "rows_missing_file": 0}
    counts["incomplete_cleaned"] = await storage.clean_incomplete(min_age)
    present: set[str] = set()
    owned = tuple(f"{prefix}/" for source in _sources.values() for prefix in source.prefixes)
    async for key, modified in storage.list_objects():
        present.add(key)
        if not key.startswith(owned) or key in referenced or started - modified < min_age:
            continue
        try:
            await storage.delete(key)
            counts["orphans_deleted"] += 1
        except StorageError as exc:
            log.warning("orphan file not deleted", key=key, error=str(exc))
    async with sessionmaker() as session, session.begin():
        for name, keys in by_source.items():
            missing = keys - present
            if missing:
                counts["rows_missing_file"] += await _sources[name].on_missing(session, missing)
    if any(counts.values()):
        log.warning("storage sweep", **counts)
    return counts


_last_sweep = 0.0


async def maintenance_sweep() -> None:
    """At most once an hour per process, from the periodic maintenance job."""
    global _last_sweep
    if time.monotonic() - _last_sweep < DEFAULT_MIN_AGE and _last_sweep:
        return
    _last_sweep = time.monotonic()
    from resumate.core.db import get_database
    from resumate.core.storage import get_storage

    await sweep_storage(get_database().sessionmaker, get_storage())
