"""The job queue: transactional deferral, jobs surviving worker restarts and crashes, and the
periodic maintenance task.

These tests need committed rows (a worker only sees committed jobs), so they do not use the
rolled-back ``db_conn`` fixture: they commit through the session database and an autocommit
connection, on a queue name of their own, and delete their rows afterwards.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row
from sqlalchemy import text

from resumate.core import db as db_module
from resumate.core import queue as queue_module
from resumate.core.queue import (
    QueueRunner,
    defer,
    maintenance,
    queue,
    register_maintenance,
    retry_stalled_jobs,
)
from tests.core.jobtasks import MARKS_TABLE_DDL, mark

REPO_ROOT = Path(__file__).resolve().parents[2]

WORKER_SCRIPT = """
import asyncio, sys
import tests.core.jobtasks  # registers tests.mark
from resumate.core.queue import QueueRunner, queue

async def main() -> None:
    runner = QueueRunner(sys.argv[1])
    await runner.start()
    print("worker ready", flush=True)
    await queue.run_worker_async(
        queues=[sys.argv[2]], wait=True, concurrency=1, name="doomed",
        update_heartbeat_interval=0.5, install_signal_handlers=True,
    )

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def conninfo(database_url: str) -> str:
    return db_module.libpq_url(database_url)


@pytest.fixture
async def admin(conninfo: str) -> AsyncIterator[psycopg.AsyncConnection[dict[str, Any]]]:
    """An autocommit connection: sees only committed data, like a worker does."""
    conn = await psycopg.AsyncConnection.connect(conninfo, autocommit=True, row_factory=dict_row)
    await conn.execute(MARKS_TABLE_DDL)
    try:
        yield conn
    finally:
        await conn.close()


@pytest.fixture
def queue_name() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def opened_queue(
    conninfo: str, queue_name: str, admin: psycopg.AsyncConnection[dict[str, Any]]
) -> AsyncIterator[str]:
    """The queue opened on the test database (no worker); cleans the test queue's rows."""
    runner = QueueRunner(conninfo)
    await runner.start()
    try:
        yield queue_name
    finally:
        await runner.stop()
        await admin.execute(
            "DELETE FROM procrastinate_jobs WHERE queue_name = %s OR queueing_lock = %s",
            (queue_name, f"lock-{queue_name}"),
        )


async def job_row(admin: psycopg.AsyncConnection[dict[str, Any]], job_id: int) -> dict[str, Any]:
    cursor = await admin.execute(
        "SELECT id, status::text AS status, task_name, args, queue_name, attempts "
        "FROM procrastinate_jobs WHERE id = %s",
        (job_id,),
    )
    row = await cursor.fetchone()
    return row or {}


async def marks(admin: psycopg.AsyncConnection[dict[str, Any]], token: str) -> list[dict[str, Any]]:
    cursor = await admin.execute(
        "SELECT token, attempts, pid FROM test_job_marks WHERE token = %s ORDER BY created_at",
        (token,),
    )
    return await cursor.fetchall()


async def drain(queue_name: str) -> None:
    """Run a worker in this process until the test queue is empty."""
    await asyncio.wait_for(
        queue.run_worker_async(
            queues=[queue_name],
            wait=False,
            concurrency=1,
            install_signal_handlers=False,
            name="test-drain",
        ),
        timeout=60,
    )


# (a) deferral is transactional -------------------------------------------------------------


async def test_rolled_back_transaction_leaves_no_job(
    database: db_module.Database,
    admin: psycopg.AsyncConnection[dict[str, Any]],
    opened_queue: str,
) -> None:
    token = uuid.uuid4().hex
    async with database.sessionmaker() as session:
        await session.execute(
            text("INSERT INTO test_job_marks (token, attempts, pid) VALUES (:t, -1, 0)"),
            {"t": token},
        )
        job_id = await defer(session, mark, token=token, queue_name=opened_queue)
        # Inside the transaction the job exists; nobody else sees it before commit.
        seen_inside = await session.execute(
            text("SELECT status::text FROM procrastinate_jobs WHERE id = :id"), {"id": job_id}
        )
        assert seen_inside.scalar_one() == "todo"
        assert await job_row(admin, job_id) == {}
        await session.rollback()

    assert await job_row(admin, job_id) == {}
    assert await marks(admin, token) == []


async def test_committed_transaction_leaves_a_todo_job(
    database: db_module.Database,
    admin: psycopg.AsyncConnection[dict[str, Any]],
    opened_queue: str,
) -> None:
    token = uuid.uuid4().hex
    async with database.sessionmaker() as session:
        job_id = await defer(session, mark, token=token, queue_name=opened_queue)
        await session.commit()

    row = await job_row(admin, job_id)
    assert row["status"] == "todo"
    assert row["task_name"] == "tests.mark"
    assert row["args"] == {"token": token}
    assert row["queue_name"] == opened_queue


async def test_defer_options_reach_the_job(
    database: db_module.Database,
    admin: psycopg.AsyncConnection[dict[str, Any]],
    opened_queue: str,
) -> None:
    async with database.sessionmaker() as session:
        job_id = await defer(
            session,
            mark,
            token="later",
            queue_name=opened_queue,
            queueing_lock=f"lock-{opened_queue}",
            schedule_in={"hours": 1},
            priority=5,
        )
        await session.commit()
    cursor = await admin.execute(
        "SELECT queueing_lock, priority, scheduled_at > now() + interval '50 minutes' AS later "
        "FROM procrastinate_jobs WHERE id = %s",
        (job_id,),
    )
    row = await cursor.fetchone()
    assert row == {"queueing_lock": f"lock-{opened_queue}", "priority": 5, "later": True}


# (b) a committed job waits for a worker and survives a worker restart --------------------


async def test_job_deferred_while_no_worker_runs_after_restart(
    database: db_module.Database,
    admin: psycopg.AsyncConnection[dict[str, Any]],
    conninfo: str,
    queue_name: str,
) -> None:
    # A first worker comes and goes (the server restarting).
    first = QueueRunner(conninfo, run_worker=True, queues=[queue_name])
    await first.start()
    await asyncio.sleep(0.5)
    await first.stop()

    # The job is committed while no worker runs at all (the queue is opened just to defer).
    token = uuid.uuid4().hex
    runner = QueueRunner(conninfo)
    await runner.start()
    try:
        async with database.sessionmaker() as session:
            job_id = await defer(session, mark, token=token, queue_name=queue_name)
            await session.commit()
    finally:
        await runner.stop()
    await asyncio.sleep(0.3)
    assert (await job_row(admin, job_id))["status"] == "todo"
    assert await marks(admin, token) == []

    # The next worker start picks it up.
    second = QueueRunner(conninfo, run_worker=True, queues=[queue_name])
    await second.start()
    try:
        deadline = time.monotonic() + 30
        while (await job_row(admin, job_id))["status"] != "succeeded":
            assert time.monotonic() < deadline, await job_row(admin, job_id)
            await asyncio.sleep(0.1)
    finally:
        await second.stop()
        await admin.execute("DELETE FROM procrastinate_jobs WHERE queue_name = %s", (queue_name,))
    done = await marks(admin, token)
    assert [(m["attempts"], m["pid"]) for m in done] == [(0, os.getpid())]


# (c) a worker killed mid-job does not lose it ----------------------------------------------


async def test_killed_worker_job_is_retried_by_another(
    database: db_module.Database,
    admin: psycopg.AsyncConnection[dict[str, Any]],
    conninfo: str,
    opened_queue: str,
    tmp_path: Path,
) -> None:
    token = uuid.uuid4().hex
    async with database.sessionmaker() as session:
        job_id = await defer(
            session, mark, token=token, first_attempt_sleep=120.0, queue_name=opened_queue
        )
        await session.commit()

    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    log = tmp_path / "doomed-worker.log"
    with log.open("wb") as output:
        worker = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            WORKER_SCRIPT,
            conninfo,
            opened_queue,
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while (await job_row(admin, job_id))["status"] != "doing":
            assert worker.returncode is None, log.read_text()
            assert time.monotonic() < deadline, "the subprocess worker never took the job"
            await asyncio.sleep(0.1)
        os.kill(worker.pid, signal.SIGKILL)
        assert await asyncio.wait_for(worker.wait(), 10) == -signal.SIGKILL
    finally:
        if worker.returncode is None:
            worker.kill()
            await worker.wait()

    # Killed: the job is stuck in `doing`, nothing was written, and a live-looking worker's
    # job is not touched.
    assert (await job_row(admin, job_id))["status"] == "doing"
    assert await marks(admin, token) == []
    assert await retry_stalled_jobs(seconds_since_heartbeat=3600) == 0
    assert (await job_row(admin, job_id))["status"] == "doing"

    await asyncio.sleep(1.5)  # the dead worker's heartbeat goes stale
    assert await retry_stalled_jobs(seconds_since_heartbeat=1) >= 1
    row = await job_row(admin, job_id)
    assert row["status"] == "todo" and row["attempts"] == 1

    await drain(opened_queue)
    assert (await job_row(admin, job_id))["status"] == "succeeded"
    assert [(m["attempts"], m["pid"]) for m in await marks(admin, token)] == [(1, os.getpid())]


# (d) the periodic maintenance task -------------------------------------------------------


@pytest.fixture
def hooks() -> Iterator[list[str]]:
    calls: list[str] = []
    before = list(queue_module._maintenance_hooks)

    async def failing_hook() -> None:
        calls.append("failing")
        raise RuntimeError("cleanup broke")

    async def cleanup_hook() -> None:
        calls.append("cleanup")

    register_maintenance(failing_hook)
    register_maintenance(cleanup_hook)
    yield calls
    queue_module._maintenance_hooks[:] = before


def test_maintenance_is_a_registered_periodic_task() -> None:
    assert queue.tasks["maintenance"] is maintenance
    periodic = queue.periodic_registry.periodic_tasks[("maintenance", "maintenance")]
    assert periodic.task is maintenance
    assert periodic.cron == "*/5 * * * *"
    assert maintenance.queueing_lock == "maintenance"


async def test_maintenance_runs_every_hook(opened_queue: str, hooks: list[str]) -> None:
    await maintenance(timestamp=int(time.time()))
    # A failing hook is logged and does not stop the others.
    assert hooks == ["failing", "cleanup"]


async def test_maintenance_job_runs_hooks_in_a_worker(
    admin: psycopg.AsyncConnection[dict[str, Any]], opened_queue: str, hooks: list[str]
) -> None:
    job_id = await maintenance.configure(
        queue=opened_queue, queueing_lock=f"lock-{opened_queue}"
    ).defer_async(timestamp=int(time.time()))
    await drain(opened_queue)
    assert (await job_row(admin, job_id))["status"] == "succeeded"
    assert hooks == ["failing", "cleanup"]


LEASED_WORKER_SCRIPT = """
import asyncio, sys
import tests.core.jobtasks  # registers tests.mark
from resumate.core.queue import QueueRunner, queue, worker_options

async def main() -> None:
    runner = QueueRunner(sys.argv[1])
    await runner.start()
    print("worker ready", flush=True)
    options = worker_options(1.0)  # heartbeat every 0.5 s, stale after 1 s: as the app does
    await queue.run_worker_async(
        queues=[sys.argv[2]], wait=True, concurrency=1, name="slow",
        install_signal_handlers=True, **options,
    )

asyncio.run(main())
"""


async def test_slow_worker_keeps_its_job_and_a_dead_one_loses_it(
    database: db_module.Database,
    admin: psycopg.AsyncConnection[dict[str, Any]],
    conninfo: str,
    opened_queue: str,
    tmp_path: Path,
) -> None:
    """A worker whose heartbeat is late only because it is slow (here: stopped with SIGSTOP,
    as a starved process on a loaded machine) still holds its job's lease, so the stalled-job
    watchdog leaves the job alone and it runs exactly once. Killed, its lease goes with its
    connection and the job is put back."""
    tokens = [uuid.uuid4().hex, uuid.uuid4().hex]
    async with database.sessionmaker() as session:
        job_ids = [
            await defer(
                session, mark, token=token, first_attempt_sleep=3.0, queue_name=opened_queue
            )
            for token in tokens
        ]
        await session.commit()

    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}

    async def start_worker(name: str) -> Any:
        with (tmp_path / f"{name}.log").open("wb") as output:
            return await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                LEASED_WORKER_SCRIPT,
                conninfo,
                opened_queue,
                cwd=REPO_ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    async def wait_doing(job_id: int, worker: Any) -> None:
        deadline = time.monotonic() + 60
        while (await job_row(admin, job_id))["status"] != "doing":
            assert worker.returncode is None, (tmp_path / "slow.log").read_text()
            assert time.monotonic() < deadline, "the subprocess worker never took the job"
            await asyncio.sleep(0.1)

    async def wait_leased(job_id: int) -> None:
        # The worker marks the job 'doing', then takes its lease on a connection of its own:
        # stopped in between, it would hold no lease yet (the case this test is not about).
        deadline = time.monotonic() + 60
        while True:
            cur = await admin.execute(
                "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid::bigint = %s AND objid::bigint = %s AND objsubid = 2",
                (queue_module.LEASE_NAMESPACE, queue_module._lease_key(job_id)),
            )
            if await cur.fetchone():
                return
            assert time.monotonic() < deadline, "the worker never took the job's lease"
            await asyncio.sleep(0.05)

    worker = await start_worker("slow")
    try:
        # Slow: stopped mid-job for well past the stall time, then let go.
        await wait_doing(job_ids[0], worker)
        await wait_leased(job_ids[0])
        os.kill(worker.pid, signal.SIGSTOP)
        await asyncio.sleep(2.5)  # its heartbeat is stale and the job started > 1 s ago
        stalled = await queue.job_manager.get_stalled_jobs(seconds_since_heartbeat=1)
        assert job_ids[0] in {job.id for job in stalled}, "the heartbeat should look stale"
        await retry_stalled_jobs(seconds_since_heartbeat=1)
        assert (await job_row(admin, job_ids[0]))["status"] == "doing"
        os.kill(worker.pid, signal.SIGCONT)
        deadline = time.monotonic() + 60
        while (await job_row(admin, job_ids[0]))["status"] != "succeeded":
            assert time.monotonic() < deadline, "the slow worker never finished its job"
            await asyncio.sleep(0.1)
        assert [(m["attempts"], m["pid"]) for m in await marks(admin, tokens[0])] == [
            (0, worker.pid)
        ]

        # Dead: the second job's lease is released with the process.
        await wait_doing(job_ids[1], worker)
        os.kill(worker.pid, signal.SIGKILL)
        assert await asyncio.wait_for(worker.wait(), 10) == -signal.SIGKILL
    finally:
        if worker.returncode is None:
            os.kill(worker.pid, signal.SIGCONT)
            worker.kill()
            await worker.wait()
    await asyncio.sleep(1.5)  # stale heartbeat, started over 1 s ago
    await retry_stalled_jobs(seconds_since_heartbeat=1)
    assert (await job_row(admin, job_ids[1]))["status"] == "todo"
    await drain(opened_queue)
    assert (await job_row(admin, job_ids[1]))["status"] == "succeeded"
    assert [m["attempts"] for m in await marks(admin, tokens[1])] == [1]
