"""Live notifications end to end: two real server processes and a stand-alone worker on the test
database. A CV analysed by the worker reaches the user's streams on both servers (PostgreSQL
LISTEN/NOTIFY, one listening connection per server); a reconnect with Last-Event-ID gets what
was missed; logging out ends the streams."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from resumate.core.db import libpq_url
from tests.cvs.files import make_pdf
from tests.factories import PASSWORD, unique_email

SECRET = "stream-test-secret-" + "y" * 40


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _resumate() -> str:
    return str(Path(sys.executable).parent / "resumate")


@pytest.fixture
def cluster(database_url: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "RESUMATE_DATA_DIR": str(tmp_path / "data"),
        "RESUMATE_SECRET_KEY": SECRET,
        "RESUMATE_ENV": "test",
        "RESUMATE_RUN_WORKER_IN_PROCESS": "false",
        "RESUMATE_NOTIFICATION_HEARTBEAT_SECONDS": "1",
        "RESUMATE_LOG_LEVEL": "WARNING",
        "RESUMATE_RENDER_WORKERS": "1",
    }
    processes: list[subprocess.Popen[bytes]] = []
    urls = []
    logs = []
    try:
        for name in ("a", "b"):
            port = _free_port()
            log = open(tmp_path / f"server-{name}.log", "wb")  # noqa: SIM115
            logs.append(log)
            processes.append(
                subprocess.Popen(
                    [_resumate(), "serve", "--host", "127.0.0.1", "--port", str(port)],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 120
        for url, process in zip(urls, processes, strict=True):
            while True:
                assert process.poll() is None, (tmp_path / "server-a.log").read_text()[-3000:]
                try:
                    if httpx.get(f"{url}/health/ready", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        yield {"urls": urls, "env": env, "tmp": tmp_path, "processes": processes}
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()


@contextlib.contextmanager
def worker(cluster: dict[str, Any]) -> Iterator[subprocess.Popen[bytes]]:
    log = open(cluster["tmp"] / "worker.log", "ab")  # noqa: SIM115
    process = subprocess.Popen(
        [_resumate(), "worker", "--concurrency", "1"],
        env=cluster["env"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


class Stream:
    """An open SSE connection read in the background into a list of parsed messages."""

    def __init__(self, client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> None:
        self.client, self.url, self.headers = client, url, headers
        self.messages: list[dict[str, Any]] = []
        self.comments: list[str] = []
        self.ended = asyncio.Event()
        self.status: int | None = None
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Stream:
        self._task = asyncio.create_task(self._read())
        await self.wait(lambda: self.status is not None or self.comments)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task

    async def _read(self) -> None:
        try:
            async with self.client.stream(
                "GET", self.url, headers=self.headers, timeout=httpx.Timeout(60, read=30)
            ) as response:
                self.status = response.status_code
                current: dict[str, Any] = {}
                async for line in response.aiter_lines():
                    if line.startswith(":"):
                        self.comments.append(line)
                    elif line == "":
                        if current:
                            self.messages.append(current)
                            current = {}
                    else:
                        field, _, value = line.partition(":")
                        current[field] = value.lstrip(" ")
                    self._changed.set()
        finally:
            self.ended.set()
            self._changed.set()

    def notifications(self) -> list[dict[str, Any]]:
        return [
            {**json.loads(m["data"]), "_id": m.get("id")}
            for m in self.messages
            if m.get("event") == "notification"
        ]

    async def wait(self, condition: Any, timeout: float = 90) -> None:
        async def loop() -> None:
            while not condition():
                self._changed.clear()
                if self.ended.is_set() and not condition():
                    raise AssertionError(f"stream ended: {self.messages} {self.comments[-3:]}")
                await self._changed.wait()

        await asyncio.wait_for(loop(), timeout)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=30) as client:
        yield client


async def test_live_notifications_across_two_servers_and_a_worker(
    cluster: dict[str, Any], http: httpx.AsyncClient, database_url: str
) -> None:
    a, b = cluster["urls"]
    email = unique_email("live")
    registered = await http.post(
        f"{a}/api/v1/auth/register", json={"email": email, "password": PASSWORD}
    )
    assert registered.status_code == 201, registered.text
    user_id = registered.json()["data"]["user"]["id"]
    http.cookies.clear()
    token = await http.post(
        f"{b}/api/v1/auth/token", data={"username": email, "password": PASSWORD}
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    try:
        unauthenticated = await http.get(f"{a}/api/v1/notifications/stream")
        assert unauthenticated.status_code == 401

        async with (
            Stream(http, f"{a}/api/v1/notifications/stream", headers) as on_a,
            Stream(http, f"{b}/api/v1/notifications/stream", headers) as on_b,
        ):
            assert on_a.status == on_b.status == 200
            uploaded = await http.post(
                f"{b}/api/v1/cvs",
                headers=headers,
                files={"file": ("live.pdf", make_pdf(), "application/pdf")},
            )
            assert uploaded.status_code == 201, uploaded.text
            cv_id = uploaded.json()["data"]["id"]
            with worker(cluster):
                await on_a.wait(lambda: on_a.notifications())
                await on_b.wait(lambda: on_b.notifications())
                (first_a,) = on_a.notifications()
                (first_b,) = on_b.notifications()
                assert first_a == first_b
                assert first_a["kind"] == "cv_analysis_ready"
                assert first_a["data"]["cv_id"] == cv_id
                assert first_a["_id"] == str(first_a["seq"])
                # Heartbeats keep idle streams open (1 s in this test).
                await on_b.wait(lambda: any("ping" in c for c in on_b.comments), timeout=10)

                # B goes away; a second notification arrives meanwhile (seen on A).
                await on_b.__aexit__(None, None, None)
                again = await http.post(f"{a}/api/v1/cvs/{cv_id}/reanalyze", headers=headers)
                assert again.status_code == 202
                await on_a.wait(lambda: len(on_a.notifications()) == 2)
            second = on_a.notifications()[1]
            assert second["seq"] > first_a["seq"]

            # B reconnects with Last-Event-ID: it gets exactly what it missed, at once.
            async with Stream(
                http,
                f"{b}/api/v1/notifications/stream",
                {**headers, "Last-Event-ID": str(first_a["seq"])},
            ) as resumed:
                await resumed.wait(lambda: resumed.notifications(), timeout=10)
                assert [n["id"] for n in resumed.notifications()] == [second["id"]]

                # Logging out (on A) revokes the session: every stream of it ends, on both.
                out = await http.post(f"{a}/api/v1/auth/logout", headers=headers)
                assert out.status_code == 200
                await asyncio.wait_for(on_a.ended.wait(), 15)
                await asyncio.wait_for(resumed.ended.wait(), 15)
                assert on_a.messages[-1].get("event") == "end"
                assert resumed.messages[-1].get("event") == "end"
            after = await http.get(f"{a}/api/v1/notifications/stream", headers=headers)
            assert after.status_code == 401
    finally:
        # The rows were committed for real: remove them so other tests see a clean database.
        async with await psycopg.AsyncConnection.connect(
            libpq_url(database_url), autocommit=True
        ) as conn:
            await conn.execute("DELETE FROM users WHERE id = %s", (user_id,))
