"""Many processes on one PostgreSQL: two ``resumate serve`` and two ``resumate worker``
subprocesses sharing a database, a Redis and an S3 bucket (moto), then faults: a worker killed
mid-analysis, a server killed mid-upload, PostgreSQL restarted and Redis stopped under load.

Slow (it starts real processes): marked ``slow``; about two minutes on an idle machine."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psutil
import psycopg
import pytest

from resumate.core.migrations import upgrade
from resumate.core.pgserver import EmbeddedServer, start_embedded, stop_embedded
from tests.cvs.files import make_pdf
from tests.fakes.ollama import FakeOllama
from tests.scale.cluster import Cluster, Proc, cluster_env
from tests.scale.conftest import FaultyProxy, OwnRedis, s3_client

pytestmark = pytest.mark.slow

API = "/api/v1"
PASSWORD = "correct horse battery staple"
STALL_SECONDS = 4.0


@pytest.fixture(scope="module")
def env_parts(tmp_path_factory: pytest.TempPathFactory, moto_endpoint: str) -> Iterator[Any]:
    workdir = tmp_path_factory.mktemp("cluster")
    pg_dir = workdir / "pgdata"
    server = start_embedded(pg_dir, database="resumate")
    upgrade(server.url("resumate"))
    redis = OwnRedis(str(workdir))
    redis.start()
    bucket = f"cluster-{uuid.uuid4().hex[:10]}"
    s3_client(moto_endpoint).create_bucket(Bucket=bucket)
    ollama = FakeOllama().start()
    s3_proxy = FaultyProxy(moto_endpoint)
    try:
        yield workdir, pg_dir, server, redis, bucket, ollama, s3_proxy
    finally:
        s3_proxy.close()
        ollama.stop()
        redis.kill()
        stop_embedded(pg_dir)


@pytest.fixture(scope="module")
def cluster(env_parts: Any) -> Iterator[Cluster]:
    workdir, _, server, redis, bucket, ollama, s3_proxy = env_parts
    env = cluster_env(
        data_dir=workdir / "data",
        database_url=server.url("resumate"),
        redis_url=redis.url,
        s3_endpoint=s3_proxy.url,
        bucket=bucket,
        extra={
            "RESUMATE_JOB_STALL_SECONDS": STALL_SECONDS,
            "RESUMATE_AI_PROVIDER": "ollama",
            "OLLAMA_HOST": ollama.url,
            "RESUMATE_OLLAMA_TIMEOUT": 300,
            "RESUMATE_ANALYSIS_TIMEOUT": 600,
            "RESUMATE_RATE_REGISTER_IP": "1000/3600",
            "RESUMATE_RATE_LOGIN_IP": "1000/300",
        },
    )
    group = Cluster(workdir, env)
    try:
        group.server("server-a")
        group.server("server-b")
        group.worker("worker-1")
        group.worker("worker-2")
        yield group
    finally:
        group.stop()


def servers(cluster: Cluster) -> list[Proc]:
    return [p for p in cluster.procs if p.name.startswith("server") and p.alive()]


def workers(cluster: Cluster) -> list[Proc]:
    return [p for p in cluster.procs if p.name.startswith("worker") and p.alive()]


def db(env_parts: Any) -> psycopg.Connection[Any]:
    server: EmbeddedServer = env_parts[2]
    return psycopg.connect(server.url("resumate", driver=""), autocommit=True)


def new_user(base: str) -> dict[str, str]:
    email = f"u-{uuid.uuid4().hex[:10]}@example.com"
    made = httpx.post(
        f"{base}{API}/auth/register", json={"email": email, "password": PASSWORD}, timeout=60
    )
    assert made.status_code == 201, made.text
    return bearer(base, email)


def bearer(base: str, email: str) -> dict[str, str]:
    token = httpx.post(
        f"{base}{API}/auth/token", data={"username": email, "password": PASSWORD}, timeout=60
    )
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}", "X-Email": email}


def upload(base: str, headers: dict[str, str], content: bytes) -> str:
    response = httpx.post(
        f"{base}{API}/cvs",
        files={"file": ("cv.pdf", content, "application/pdf")},
        headers=headers,
        timeout=120,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["id"])


def wait_status(base: str, headers: dict[str, str], cv_id: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        cv = httpx.get(f"{base}{API}/cvs/{cv_id}", headers=headers, timeout=30).json()["data"]
        if cv["status"] in ("ready", "failed") or time.monotonic() > deadline:
            return cv  # type: ignore[no-any-return]
        time.sleep(0.5)


def test_uploaded_on_one_server_analysed_once_read_on_the_other(
    cluster: Cluster, env_parts: Any
) -> None:
    a, b = servers(cluster)
    headers = new_user(a.url)
    ids = [upload((a, b)[i % 2].url, headers, make_pdf()) for i in range(6)]
    for cv_id in ids:
        cv = wait_status(b.url, headers, cv_id, timeout=180)
        assert cv["status"] == "ready", cv
    download = httpx.get(f"{b.url}{API}/cvs/{ids[0]}/file", headers=headers, timeout=30)
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    with db(env_parts) as conn:
        attempts = conn.execute(
            "SELECT attempts FROM cvs WHERE id = ANY(%s)", ([uuid.UUID(i) for i in ids],)
        ).fetchall()
        assert sorted(a for (a,) in attempts) == [1] * 6, "an analysis ran twice"
        started = conn.execute(
            "SELECT j.args->>'cv_id', count(e.id) FROM procrastinate_jobs j "
            "JOIN procrastinate_events e ON e.job_id = j.id AND e.type = 'started' "
            "WHERE j.task_name = 'analyze_cv' AND j.args->>'cv_id' = ANY(%s) "
            "GROUP BY 1",
            (ids,),
        ).fetchall()
        assert sorted(started) == sorted((i, 1) for i in ids), started


def test_session_revoked_on_one_server_is_refused_on_the_other(cluster: Cluster) -> None:
    a, b = servers(cluster)
    first = new_user(a.url)
    second = bearer(a.url, first["X-Email"])
    assert httpx.get(f"{b.url}{API}/users/me", headers=second, timeout=30).status_code == 200
    sessions = httpx.get(f"{a.url}{API}/auth/sessions", headers=first, timeout=30).json()["data"]
    assert len(sessions) == 3  # register, then two token logins
    newest = max(sessions, key=lambda s: s["created_at"])
    revoked = httpx.delete(f"{a.url}{API}/auth/sessions/{newest['id']}", headers=first, timeout=30)
    assert revoked.status_code == 200, revoked.text
    refused = httpx.get(f"{b.url}{API}/users/me", headers=second, timeout=30)
    assert refused.status_code == 401
    assert httpx.get(f"{b.url}{API}/users/me", headers=first, timeout=30).status_code == 200


def test_rate_limits_hold_across_servers(cluster: Cluster) -> None:
    a, b = servers(cluster)
    email = f"target-{uuid.uuid4().hex[:8]}@example.com"
    codes = []
    for attempt in range(12):  # 10 failed logins per account per 15 minutes
        base = (a, b)[attempt % 2].url
        codes.append(
            httpx.post(
                f"{base}{API}/auth/login",
                json={"email": email, "password": "not the password"},
                timeout=30,
            ).status_code
        )
    # Six per server: each alone would allow them all; shared windows stop the 11th.
    assert codes[:10] == [401] * 10, codes
    assert codes[10:] == [429, 429], codes


def _waits_on(proc: Proc, port: int, client_ports: set[int]) -> bool:
    """Whether ``proc`` (or a child it runs the analysis in) holds one of the connections that
    the server on ``port`` is holding open (an idle keep-alive connection does not count)."""
    try:
        parent = psutil.Process(proc.popen.pid)
        for process in [parent, *parent.children(recursive=True)]:
            for c in process.net_connections(kind="tcp"):
                if c.raddr and c.raddr.port == port and c.laddr.port in client_ports:
                    return True
    except psutil.Error:
        return False
    return False


def test_worker_killed_mid_analysis_another_finishes(cluster: Cluster, env_parts: Any) -> None:
    ollama: FakeOllama = env_parts[5]
    a, b = servers(cluster)
    headers = new_user(a.url)
    port = int(ollama.url.rsplit(":", 1)[1])
    ollama.delay = 600.0  # the analysis hangs in its Ollama call: the worker is mid-job
    try:
        cv_id = upload(a.url, headers, make_pdf())
        deadline = time.monotonic() + 120
        busy: list[Proc] = []
        while not busy and time.monotonic() < deadline:
            busy = [w for w in workers(cluster) if _waits_on(w, port, set(ollama.waiting_ports))]
            time.sleep(0.2)
        assert busy, "no worker picked the analysis up"
        assert wait_status(b.url, headers, cv_id, timeout=0)["status"] == "processing"
    finally:
        ollama.delay = 0.0
    killed_at = time.monotonic()
    busy[0].kill9()
    assert len(workers(cluster)) == 1
    cv = wait_status(b.url, headers, cv_id, timeout=STALL_SECONDS * 3 + 90)
    took = time.monotonic() - killed_at
    assert cv["status"] == "ready", (cv, took)
    with db(env_parts) as conn:
        (attempts,) = conn.execute(
            "SELECT attempts FROM cvs WHERE id = %s", (uuid.UUID(cv_id),)
        ).fetchone()
    assert attempts == 2, "the second run is the one on the surviving worker"
    cluster.worker("worker-3")  # back to two workers for the next tests


def _raw_upload(port: int, headers: dict[str, str], size: int, complete: bool) -> None:
    """A multipart upload of ``size`` bytes sent by hand; ``complete=False`` stops halfway
    through the body. Returns when the server answers or dies."""
    boundary = "scaleboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        f"Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    request = (
        f"POST {API}/cvs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: {headers['Authorization']}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(head) + size + len(tail)}\r\n\r\n"
    ).encode()
    body = b"%PDF-1.7\n" + b"x" * (size - 9)
    with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
        sock.sendall(request + head + (body + tail if complete else body[: size // 2]))
        with contextlib.suppress(OSError):
            sock.recv(1)  # until the server answers or dies under us


def test_server_killed_mid_upload_sweep_leaves_rows_and_files_consistent(
    cluster: Cluster, env_parts: Any, moto_endpoint: str
) -> None:
    bucket, s3_proxy = env_parts[4], env_parts[6]
    s3 = s3_client(moto_endpoint)

    def objects() -> set[str]:
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    a, b = servers(cluster)
    headers = new_user(b.url)
    ready_id = upload(b.url, headers, make_pdf())
    assert wait_status(b.url, headers, ready_id, timeout=180)["status"] == "ready"
    before = objects()

    # Killed while the body is still arriving: nothing was stored yet.
    uploader = threading.Thread(
        target=_raw_upload, args=(a.port, headers, 4 * 1024 * 1024, False), daemon=True
    )
    uploader.start()
    time.sleep(2)
    a.kill9()
    uploader.join(30)
    assert objects() == before
    a = cluster.server("server-c")

    # Killed while the file streams to S3 (first part stored, second held up in the network).
    s3_proxy.part_delay = 15.0
    uploader = threading.Thread(
        target=_raw_upload, args=(a.port, headers, 9 * 1024 * 1024, True), daemon=True
    )
    uploader.start()
    deadline = time.monotonic() + 90
    while not s3.list_multipart_uploads(Bucket=bucket).get("Uploads"):
        assert time.monotonic() < deadline, "the upload never reached S3"
        time.sleep(0.1)
    a.kill9()
    s3_proxy.part_delay = 0.0
    uploader.join(30)
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads"), "nothing left to sweep?"

    # Also what a crash between storing a file and committing its row leaves: a file with no
    # row; and a row whose file was lost.
    orphan = f"cvs/ab/ab{uuid.uuid4().hex[:30]}"
    s3.put_object(Bucket=bucket, Key=orphan, Body=b"%PDF-1.7 orphan")
    with db(env_parts) as conn:
        (lost_key,) = conn.execute(
            "SELECT storage_key FROM cvs WHERE id = %s", (uuid.UUID(ready_id),)
        ).fetchone()
    s3.delete_object(Bucket=bucket, Key=lost_key)

    swept = subprocess.run(
        [sys.executable, "-m", "resumate.cli", "storage", "sweep", "--min-age", "0"],
        env=cluster.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert swept.returncode == 0, swept.stderr
    assert "orphans deleted: 1" in swept.stdout and "incomplete cleaned: 1" in swept.stdout
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads") is None
    stored = objects()
    with db(env_parts) as conn:
        rows = {k for (k,) in conn.execute("SELECT storage_key FROM cvs").fetchall()}
        rows |= {k for (k,) in conn.execute("SELECT storage_key FROM resume_pdfs").fetchall()}
        (status,) = conn.execute(
            "SELECT status FROM cvs WHERE id = %s", (uuid.UUID(ready_id),)
        ).fetchone()
    assert orphan not in stored
    assert stored <= rows, f"files without a row: {stored - rows}"
    assert rows - stored == {lost_key}
    assert status == "failed", "a row whose file is gone must say so"
    cluster.server("server-d")


def _hammer(
    bases: list[str], headers: dict[str, str], stop: threading.Event, out: list[Any]
) -> None:
    with httpx.Client(timeout=30) as client:
        index = 0
        while not stop.is_set():
            base = bases[index % len(bases)]
            index += 1
            try:
                response = client.get(f"{base}{API}/resumes", headers=headers)
                out.append((time.monotonic(), response.status_code, response.headers))
            except httpx.HTTPError as exc:
                out.append((time.monotonic(), type(exc).__name__, {}))
            time.sleep(0.02)


def test_postgres_restart_under_load_503_then_recovers(cluster: Cluster, env_parts: Any) -> None:
    pg_dir = env_parts[1]
    bases = [p.url for p in servers(cluster)]
    headers = new_user(bases[0])
    stop, results = threading.Event(), []
    threads = [
        threading.Thread(target=_hammer, args=(bases, headers, stop, results)) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        down_at = time.monotonic()
        stop_embedded(pg_dir)
        time.sleep(4)
        start_embedded(pg_dir, database="resumate")
        up_at = time.monotonic()
        recovered_at = None
        while recovered_at is None and time.monotonic() < up_at + 60:
            recent = [r for r in results if r[0] > time.monotonic() - 1]
            if recent and all(r[1] == 200 for r in recent):
                recovered_at = time.monotonic()
            time.sleep(0.5)
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    assert recovered_at is not None, "requests did not succeed again after the restart"
    statuses = {r[1] for r in results}
    assert statuses <= {200, 503}, statuses
    outage = [r for r in results if r[1] == 503]
    assert outage, "no request saw the outage"
    assert all(r[2].get("retry-after") for r in outage)
    assert all(down_at < r[0] for r in outage), "503 before the outage"
    after = [r for r in results if r[0] > recovered_at]
    assert after and all(r[1] == 200 for r in after)
    # The workers came through too: a CV uploaded now is analysed.
    cv_id = upload(bases[0], headers, make_pdf())
    assert wait_status(bases[-1], headers, cv_id, timeout=180)["status"] == "ready"


def test_redis_stopped_under_load_no_errors(cluster: Cluster, env_parts: Any) -> None:
    redis: OwnRedis = env_parts[3]
    bases = [p.url for p in servers(cluster)]
    headers = new_user(bases[0])
    stop, results = threading.Event(), []
    threads = [
        threading.Thread(target=_hammer, args=(bases, headers, stop, results)) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        redis.kill()
        time.sleep(5)
        logins = [
            httpx.post(
                f"{bases[i % 2]}{API}/auth/token",
                data={"username": headers["X-Email"], "password": PASSWORD},
                timeout=30,
            ).status_code
            for i in range(4)
        ]
        ready = [httpx.get(f"{b}/health/ready", timeout=30).json() for b in bases]
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
        redis.start()
    assert {r[1] for r in results} == {200}, {r[1] for r in results}
    assert logins == [200] * 4
    assert all(r["status"] == "degraded" and r["degraded"] == ["redis"] for r in ready)
