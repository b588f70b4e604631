"""The job queue: procrastinate on the application's own PostgreSQL database.

Tasks live in each feature's ``tasks.py`` and register on ``queue``. Jobs are deferred with
``defer()`` inside the request's transaction, so a rolled-back request leaves no job and a
committed one never loses its job. Any number of workers (in the server process on the
embedded default, or ``resumate worker`` on any machine sharing the database) pick them up.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import procrastinate
import psycopg_pool
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from resumate.core.db import raw_connection

log = structlog.get_logger(__name__)

queue = procrastinate.App(connector=procrastinate.PsycopgConnector())

# Coroutines run by the periodic maintenance task (cleanups registered by features).
_maintenance_hooks: list[Callable[[], Awaitable[Any]]] = []


def register_maintenance(hook: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[Any]]:
    """Run ``hook`` every few minutes in whichever worker picks the periodic job."""
    _maintenance_hooks.append(hook)
    return hook


async def defer(
    session: AsyncSession,
    task: procrastinate.tasks.Task[Any, Any, Any],
    *,
    queueing_lock: str | None = None,
    lock: str | None = None,
    schedule_in: dict[str, int] | None = None,
    **kwargs: Any,
) -> int:
    """Defer ``task`` in ``session``'s transaction; returns the job id."""
    options: dict[str, Any] = {"connection": await raw_connection(session)}
    if queueing_lock:
        options["queueing_lock"] = queueing_lock
    if lock:
        options["lock"] = lock
    if schedule_in:
        options["schedule_in"] = schedule_in
    return await task.configure(**options).defer_async(**kwargs)


async def retry_stalled_jobs(seconds_since_heartbeat: float = 60) -> int:
    """Put back jobs whose worker died (no heartbeat) so another worker runs them."""
    count = 0
    for job in await queue.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=seconds_since_heartbeat
    ):
        await queue.job_manager.retry_job(job)
        count += 1
    if count:
        log.warning("stalled jobs retried", count=count)
    return count


@queue.periodic(cron="*/5 * * * *", periodic_id="maintenance")
@queue.task(name="maintenance", queueing_lock="maintenance", pass_context=False)
async def maintenance(timestamp: int) -> None:
    await retry_stalled_jobs()
    for hook in _maintenance_hooks:
        try:
            await hook()
        except Exception:
            log.exception("maintenance hook failed", hook=getattr(hook, "__name__", str(hook)))


def make_pool(conninfo: str, *, max_size: int = 10) -> psycopg_pool.AsyncConnectionPool:
    return psycopg_pool.AsyncConnectionPool(
        conninfo,
        min_size=1,
        max_size=max_size,
        open=False,
        kwargs={"autocommit": True, "prepare_threshold": None},
    )


class QueueRunner:
    """Opens the queue's connection pool and, optionally, runs a worker in this process."""

    def __init__(self, conninfo: str, *, concurrency: int = 2, run_worker: bool = False) -> None:
        self.conninfo = conninfo
        self.concurrency = concurrency
        self.run_worker = run_worker
        self._worker: asyncio.Task[None] | None = None
        self._opened = False

    async def start(self) -> None:
        pool = make_pool(self.conninfo, max_size=max(4, self.concurrency + 2))
        await queue.open_async(pool=pool)
        self._opened = True
        if self.run_worker:
            self._worker = asyncio.create_task(
                queue.run_worker_async(
                    concurrency=self.concurrency,
                    install_signal_handlers=False,
                    wait=True,
                    shutdown_graceful_timeout=10,
                    name="in-process",
                ),
                name="procrastinate-worker",
            )
            log.info("in-process worker started", concurrency=self.concurrency)

    async def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._worker
            self._worker = None
        if self._opened:
            await queue.close_async()
            self._opened = False
