"""A job task for the queue tests, importable by a separate worker process.

``tests.mark`` records that it ran (token and attempt number) in ``test_job_marks``; with
``first_attempt_sleep`` its first attempt sleeps before writing, so a test can kill the worker
while the job is ``doing``.
"""

from __future__ import annotations

import asyncio
import os

from procrastinate import JobContext

from resumate.core.queue import queue

MARKS_TABLE_DDL = (
    "CREATE TABLE IF NOT EXISTS test_job_marks ("
    " token text NOT NULL, attempts integer NOT NULL, pid integer NOT NULL,"
    " created_at timestamptz NOT NULL DEFAULT now())"
)


@queue.task(name="tests.mark", pass_context=True)
async def mark(context: JobContext, token: str, first_attempt_sleep: float = 0.0) -> None:
    if first_attempt_sleep and context.job.attempts == 0:
        await asyncio.sleep(first_attempt_sleep)
    await queue.connector.execute_query_async(
        query="INSERT INTO test_job_marks (token, attempts, pid) "
        "VALUES (%(token)s, %(attempts)s, %(pid)s)",
        token=token,
        attempts=context.job.attempts,
        pid=os.getpid(),
    )
