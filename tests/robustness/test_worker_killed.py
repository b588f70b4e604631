"""A real ``resumate worker`` killed with SIGKILL in the middle of a CV analysis: the CV is
stuck in ``processing`` until the sweep puts it back, and the next worker finishes it. And an
analysis process does not outlive the worker that started it."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import psutil
import psycopg
import pytest
from sqlalchemy import text

from resumate.core.db import Database, libpq_url
from resumate.core.migrations import upgrade
from resumate.core.pgserver import EmbeddedServer
from resumate.core.queue import configure_pool, queue, retry_stalled_jobs
from resumate.modules.cvs import service as cv_service
from resumate.modules.users.models import User
from tests.robustness.files import dotted_line_pdf, emoji_cv_pdf
from tests.test_cli import RESUMATE, child_env

WAIT = 90.0


class HangingServer:
    """Accepts TCP connections and never answers: an Ollama that is thinking forever."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
async def kill_db(pg_server: EmbeddedServer) -> AsyncIterator[tuple[str, Database]]:
    """A database of its own: the worker subprocess must see committed rows."""
    name = f"resumate_kill_{uuid.uuid4().hex[:8]}"
    admin = pg_server.url("postgres", driver="")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = pg_server.url(name)
    await asyncio.to_thread(upgrade, url)
    database = Database(url, pool_size=2, max_overflow=0)
    try:
        yield url, database
    finally:
        await database.dispose()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def start_worker(url: str, data_dir: Path, log: Path, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(RESUMATE), "worker", "--concurrency", "1"],
        env=child_env(data_dir, DATABASE_URL=url, **env),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


async def cv_state(database: Database, cv_id: uuid.UUID) -> tuple[str, int, str | None]:
    async with database.sessionmaker() as session:
        row = (
            await session.execute(
                text("SELECT status, attempts, error FROM cvs WHERE id = :id"), {"id": cv_id}
            )
        ).one()
    return row[0], row[1], row[2]


async def wait_for(predicate, what: str, log: Path, timeout: float = WAIT) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{what} not within {timeout} s; worker log:\n{log.read_text()[-3000:]}")


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(10)


async def test_worker_killed_mid_analysis(
    kill_db: tuple[str, Database],
    data_dir: Path,
    storage,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    processes: list[subprocess.Popen[bytes]],
) -> None:
    url, database = kill_db
    async with database.sessionmaker() as session, session.begin():
        user = User(email=f"kill-{uuid.uuid4().hex[:6]}@example.com", password_hash="x")
        session.add(user)
        await session.flush()

        async def chunks() -> AsyncIterator[bytes]:
            yield emoji_cv_pdf()

        cv = await cv_service.upload_cv(
            session, user_id=user.id, filename="cv.pdf", chunks=chunks()
        )
        cv_id = cv.id
    log = tmp_path / "worker.log"

    # Worker 1 asks a (hanging) Ollama to improve the analysis: it is mid-job for as long as
    # we like, and is killed there.
    ollama = HangingServer()
    try:
        first = start_worker(
            url,
            data_dir,
            log,
            RESUMATE_AI_PROVIDER="ollama",
            OLLAMA_HOST=f"http://127.0.0.1:{ollama.port}",
            RESUMATE_OLLAMA_TIMEOUT="300",
        )
        processes.append(first)

        async def asked_ollama() -> bool:
            return bool(ollama.accepted)

        await wait_for(asked_ollama, "the worker calling Ollama", log)
        assert (await cv_state(database, cv_id))[:2] == ("processing", 1)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        ollama.close()
    await asyncio.sleep(2)
    assert (await cv_state(database, cv_id))[:2] == ("processing", 1)  # stuck, as on main

    # The sweep: procrastinate's stalled job goes back to the queue, the CV back to pending.
    configure_pool(libpq_url(url), max_size=2)
    await queue.open_async()
    try:
        assert await retry_stalled_jobs(seconds_since_heartbeat=1) == 1
        async with database.sessionmaker() as session, session.begin():
            swept = await cv_service.sweep_analyses(
                session,
                deadline=timedelta(minutes=10),
                stalled_after=timedelta(seconds=0),
                deadline_message="late",
                crash_message="crashed",
            )
        assert swept == {"past_deadline": 0, "requeued": 1, "failed": 0}
    finally:
        await queue.close_async()
    assert (await cv_state(database, cv_id))[0] == "pending"

    # Worker 2 (offline analyzer) finishes it.
    second = start_worker(url, data_dir, log)
    processes.append(second)

    async def finished() -> bool:
        return (await cv_state(database, cv_id))[0] in ("ready", "failed")

    await wait_for(finished, "the CV finishing", log)
    status, attempts, error = await cv_state(database, cv_id)
    assert (status, attempts, error) == ("ready", 2, None)
    second.send_signal(signal.SIGTERM)
    second.wait(30)


def test_analysis_process_dies_with_its_parent(tmp_path: Path) -> None:
    pdf = tmp_path / "dots.pdf"
    pdf.write_bytes(dotted_line_pdf())
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import asyncio, sys\n"
            "from resumate.ai.isolated import analyze_isolated\n"
            "data = open(sys.argv[1], 'rb').read()\n"
            "asyncio.run(analyze_isolated(data, 'pdf', timeout=600))\n",
            str(pdf),
        ],
        env={**os.environ},
    )
    try:
        deadline = time.monotonic() + 30
        children: list[psutil.Process] = []
        while not children and time.monotonic() < deadline:
            children = psutil.Process(parent.pid).children()
            time.sleep(0.05)
        assert children, "the analysis process did not start"
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        _gone, alive = psutil.wait_procs(children, timeout=10)
        assert not alive, f"orphaned analysis processes: {alive}"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
