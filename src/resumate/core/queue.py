"""The job queue: procrastinate on the application's own PostgreSQL database.

Tasks live in each feature's ``tasks.py`` and register on ``queue``. Jobs are deferred with
``defer()`` inside the request's transaction, so a rolled-back request leaves no job and a
committed one never loses its job. Any number of workers (in the server process on the
embedded default, or ``resumate worker`` on any machine sharing the database) pick them up.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import procrastinate
import psycopg
import psycopg_pool
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from resumate.core.db import hold_as, raw_connection

log = structlog.get_logger(__name__)

# Where the queue's pool connects; set by ``QueueRunner.start`` before the app is opened.
_pool_settings: dict[str, Any] = {}


def _pool_factory(**kwargs: Any) -> psycopg_pool.AsyncConnectionPool:
    """Called by procrastinate when the app is opened: it then opens the pool itself and closes
    it on ``close_async`` (a pool handed over with ``open_async(pool=...)`` would be neither
    opened nor closed by procrastinate)."""
    if "conninfo" not in _pool_settings:
        raise RuntimeError("the job queue is not configured (use QueueRunner)")
    return psycopg_pool.AsyncConnectionPool(**_pool_settings, **kwargs)


queue = procrastinate.App(connector=procrastinate.PsycopgConnector(pool_factory=_pool_factory))

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
    queue_name: str | None = None,
    priority: int | None = None,
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
    if queue_name:
        options["queue"] = queue_name
    if priority is not None:
        options["priority"] = priority
    return await task.configure(**options).defer_async(**kwargs)


# ---- job leases: a job whose worker is alive is never run a second time ------------------
# A worker's heartbeat says it is alive; a late heartbeat (a starved process, a slow disk under
# load) made a worker that was only slow look dead, its job was put back and started a second
# time elsewhere. So each worker process also keeps one connection holding a PostgreSQL
# advisory lock per job it runs. PostgreSQL drops them the moment that process dies (its
# connection closes, kill -9 included); a job is put back only when its lock is free.
LEASE_NAMESPACE = 0x4A4F42  # "JOB": pg_advisory_lock(namespace, key) keeps clear of others


def _lease_key(job_id: int) -> int:
    return job_id % 2_147_483_647  # the int4 key space


class JobLeases:
    """The advisory locks of the jobs this process is running, on one dedicated connection."""

    def __init__(self) -> None:
        self._conn: psycopg.AsyncConnection[Any] | None = None
        self._lock = asyncio.Lock()
        self._held: Counter[int] = Counter()

    async def _connection(self) -> psycopg.AsyncConnection[Any]:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = await psycopg.AsyncConnection.connect(
                _pool_settings["conninfo"], autocommit=True, prepare_threshold=None
            )
            for job_id, count in self._held.items():  # the old connection took them along
                for _ in range(count):
                    await self._take(self._conn, job_id)
        return self._conn

    @staticmethod
    async def _take(conn: psycopg.AsyncConnection[Any], job_id: int) -> None:
        await conn.execute("SELECT pg_advisory_lock(%s, %s)", (LEASE_NAMESPACE, _lease_key(job_id)))

    async def acquire(self, job_id: int) -> None:
        async with self._lock:
            self._held[job_id] += 1
            await self._take(await self._connection(), job_id)

    async def release(self, job_id: int) -> None:
        async with self._lock:
            self._held[job_id] -= 1
            if self._held[job_id] <= 0:
                del self._held[job_id]
            conn = self._conn
            if conn is None or conn.closed or conn.broken:
                return  # the locks went with the connection
            with contextlib.suppress(psycopg.Error):
                await conn.execute(
                    "SELECT pg_advisory_unlock(%s, %s)", (LEASE_NAMESPACE, _lease_key(job_id))
                )

    async def close(self) -> None:
        async with self._lock:
            self._held.clear()
            if self._conn is not None:
                with contextlib.suppress(psycopg.Error):
                    await self._conn.close()
                self._conn = None


_leases = JobLeases()


async def hold_job_lease(call_next: Callable[[], Awaitable[Any]], context: Any, worker: Any) -> Any:
    """Worker middleware: the job's lease is held while it runs (and its database
    connections are labelled with its task in the pool's metrics)."""
    job_id = context.job.id
    hold_as(f"job {context.job.task_name}")
    try:
        await _leases.acquire(job_id)
    except (psycopg.Error, OSError) as exc:  # the database is away: the job will find out
        log.warning("job lease not taken", job_id=job_id, error=repr(exc)[:200])
        return await call_next()
    try:
        return await call_next()
    finally:
        await _leases.release(job_id)


async def close_job_leases() -> None:
    await _leases.close()


# Put back only a job started over ``seconds`` ago whose lease nobody holds.
_ABANDONED = """
    SELECT pg_try_advisory_xact_lock(%(namespace)s, %(key)s) AND NOT EXISTS (
        SELECT 1 FROM procrastinate_events
         WHERE job_id = %(job_id)s AND type = 'started'
           AND at > now() - make_interval(secs => %(seconds)s)) AS abandoned
"""


async def _abandoned(job_id: int, seconds: float) -> bool:
    row = await queue.connector.execute_query_one_async(
        _ABANDONED,
        namespace=LEASE_NAMESPACE,
        key=_lease_key(job_id),
        job_id=job_id,
        seconds=float(seconds),
    )
    return bool(row["abandoned"])


async def retry_stalled_jobs(seconds_since_heartbeat: float | None = None) -> int:
    """Put back jobs whose worker died (no heartbeat, and its lease released with its
    connection) so another worker runs them. A worker that is only slow keeps its jobs."""
    if seconds_since_heartbeat is None:
        from resumate.config import get_settings

        seconds_since_heartbeat = get_settings().job_stall_seconds
    count = 0
    for job in await queue.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=seconds_since_heartbeat
    ):
        assert job.id is not None
        if not await _abandoned(job.id, seconds_since_heartbeat):
            log.info("late heartbeat, but the job's worker is alive: left running", job_id=job.id)
            continue
        try:
            await queue.job_manager.retry_job(job)
        except Exception as exc:  # another worker's watchdog put it back first
            log.info("stalled job not retried", job_id=job.id, error=repr(exc)[:200])
            continue
        count += 1
    if count:
        log.warning("stalled jobs retried", count=count)
    return count


async def run_worker_resilient(**options: Any) -> None:
    """Run a procrastinate worker until cancelled. procrastinate stops its worker when the
    database connection is lost (a PostgreSQL restart, a failover): start it again, with a
    growing pause, so a database outage never needs a Resumate restart."""
    delay = 1.0
    while True:
        started = time.monotonic()
        try:
            await queue.run_worker_async(**options)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("job worker failed; starting it again", error=repr(exc)[:300], delay=delay)
        else:
            log.warning("job worker stopped on its own (database lost?); starting it again")
        if time.monotonic() - started > 60:
            delay = 1.0
        await asyncio.sleep(delay)
        delay = min(delay * 2, 10.0)


def worker_options(stall_seconds: float) -> dict[str, Any]:
    """Heartbeat timings for ``run_worker_async`` that let a dead worker be noticed in time."""
    return {
        "update_heartbeat_interval": max(0.5, stall_seconds / 4),
        "stalled_worker_timeout": stall_seconds,
        "worker_middleware": [hold_job_lease],
    }


async def watch_stalled_jobs(stall_seconds: float) -> None:
    """Run in every worker: every half stall time, put back jobs of workers that died."""
    while True:
        await asyncio.sleep(max(1.0, stall_seconds / 2))
        try:
            await retry_stalled_jobs(stall_seconds)
        except Exception as exc:  # the database is away: try again next round
            log.warning("stalled-job check failed", error=repr(exc)[:200])


@queue.periodic(cron="*/5 * * * *", periodic_id="maintenance")
@queue.task(name="maintenance", queueing_lock="maintenance", pass_context=False)
async def maintenance(timestamp: int) -> None:
    from resumate.core.sweep import maintenance_sweep

    await retry_stalled_jobs()
    try:
        await maintenance_sweep()
    except Exception:
        log.exception("storage sweep failed")
    for hook in _maintenance_hooks:
        try:
            await hook()
        except Exception:
            log.exception("maintenance hook failed", hook=getattr(hook, "__name__", str(hook)))


def configure_pool(conninfo: str, *, max_size: int = 10) -> None:
    """Point the queue's (future) pool at ``conninfo``; takes effect on the next open."""
    _pool_settings.clear()
    _pool_settings.update(
        conninfo=conninfo,
        min_size=1,
        max_size=max_size,
        # No autocommit here: procrastinate's listener opens its own connection with these
        # kwargs plus autocommit=True (a duplicate keyword fails); the pool commits per use.
        kwargs={"prepare_threshold": None},
    )


class QueueRunner:
    """Opens the queue's connection pool and, optionally, runs a worker in this process."""

    def __init__(
        self,
        conninfo: str,
        *,
        concurrency: int = 2,
        run_worker: bool = False,
        queues: list[str] | None = None,
        stall_seconds: float = 60.0,
    ) -> None:
        self.stall_seconds = stall_seconds
        self._watchdog: asyncio.Task[None] | None = None
        self.conninfo = conninfo
        self.concurrency = concurrency
        self.run_worker = run_worker
        self.queues = queues
        self._worker: asyncio.Task[None] | None = None
        self._opened = False

    async def start(self) -> None:
        configure_pool(self.conninfo, max_size=max(4, self.concurrency + 2))
        await queue.open_async()
        self._opened = True
        if self.run_worker:
            # The worker runs jobs of every feature, including those whose routes never
            # imported their tasks module.
            from resumate.registry import import_all_tasks

            import_all_tasks()
            options: dict[str, Any] = {"queues": self.queues} if self.queues else {}
            self._worker = asyncio.create_task(
                run_worker_resilient(
                    concurrency=self.concurrency,
                    install_signal_handlers=False,
                    wait=True,
                    shutdown_graceful_timeout=10,
                    name="in-process",
                    **worker_options(self.stall_seconds),
                    **options,
                ),
                name="procrastinate-worker",
            )
            self._watchdog = asyncio.create_task(
                watch_stalled_jobs(self.stall_seconds), name="stalled-job-watchdog"
            )
            self._worker.add_done_callback(_worker_done)
            log.info("in-process worker started", concurrency=self.concurrency)

    async def stop(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watchdog
            self._watchdog = None
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._worker
            self._worker = None
        if self._opened:
            await close_job_leases()
            await queue.close_async()
            self._opened = False


def _worker_done(task: asyncio.Task[None]) -> None:
    """A worker that dies on its own (not stopped by us) must not do so silently."""
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None:
        log.error("in-process worker stopped", error=repr(exc), exc_info=exc)
