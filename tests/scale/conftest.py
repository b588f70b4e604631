"""Scale-out fixtures: a real S3 endpoint (moto's server, the S3 wire protocol) on a free local
port, and a proxy in front of it that can be told to fail like a sick bucket."""

from __future__ import annotations

import http.client
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.conftest import require_service

# boto3 reads credentials from the standard variables; moto accepts any.
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:  # pragma: no cover - moto[server] is a dev dependency
        require_service("moto server", False, str(exc))
        raise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def s3_client(endpoint: str) -> Any:
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")


@pytest.fixture
def bucket(moto_endpoint: str) -> str:
    name = f"resumate-{uuid.uuid4().hex[:12]}"
    s3_client(moto_endpoint).create_bucket(Bucket=name)
    return name


class FaultyProxy:
    """Forwards HTTP to ``upstream``; while ``failing`` is set, answers what a sick S3 does
    (503 SlowDown, 500 InternalError) or drops the connection, for the methods in ``methods``."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.removeprefix("http://")
        self.failing: str | None = None  # "503", "500", "reset"
        self.methods = {"GET", "PUT", "POST", "DELETE", "HEAD"}
        self.requests = 0
        self.budget: int | None = None  # fail only this many requests, then heal
        self.part_delay = 0.0  # hold the second part of multipart uploads this long
        self.failed = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _relay(self) -> None:
                proxy.requests += 1
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                mode = proxy.failing if self.command in proxy.methods else None
                if mode and proxy.budget is not None:
                    proxy.budget -= 1
                    if proxy.budget <= 0:
                        proxy.failing, proxy.budget = None, None
                if mode == "reset":
                    proxy.failed += 1
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if mode in ("500", "503"):
                    proxy.failed += 1
                    code = "SlowDown" if mode == "503" else "InternalError"
                    payload = (
                        f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
                        f"<Message>injected fault</Message></Error>"
                    ).encode()
                    self.send_response(int(mode))
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(payload)
                    return
                if proxy.part_delay and self.command == "PUT" and "partNumber=2" in self.path:
                    time.sleep(proxy.part_delay)
                host, _, port = proxy.upstream.partition(":")
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                conn.request(self.command, self.path, body=body, headers=headers)
                answer = conn.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                conn.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _relay

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def faulty_s3(moto_endpoint: str) -> Iterator[FaultyProxy]:
    proxy = FaultyProxy(moto_endpoint)
    try:
        yield proxy
    finally:
        proxy.close()


# ---- Redis: the machine's (a dedicated db number) and one of our own we can kill ----------

TEST_REDIS_DB = 11


@pytest.fixture
def machine_redis_url() -> Iterator[str]:
    from tests.conftest import port_open

    require_service("redis", port_open("127.0.0.1", 6379), "no Redis on 127.0.0.1:6379")
    import redis

    url = f"redis://127.0.0.1:6379/{TEST_REDIS_DB}"
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match="resumate:*"):
        client.delete(key)
    try:
        yield url
    finally:
        for key in client.scan_iter(match="resumate:*"):
            client.delete(key)
        client.close()


class OwnRedis:
    """A ``redis-server`` of our own on a free port (no persistence), to stop mid-run."""

    def __init__(self, workdir: str) -> None:
        import shutil

        binary = shutil.which("redis-server")
        require_service("redis-server binary", binary is not None, "install redis-server")
        self.binary = str(binary)
        self.port = free_port()
        self.workdir = workdir
        self.process: Any = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import subprocess
        import time

        from tests.conftest import port_open

        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.workdir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not port_open("127.0.0.1", self.port):
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None


@pytest.fixture
def own_redis(tmp_path: Any) -> Iterator[OwnRedis]:
    server = OwnRedis(str(tmp_path))
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def fresh_breaker() -> Iterator[None]:
    from resumate.core.redis import breaker

    breaker.down_since, breaker.retry_at = None, 0.0
    yield
    breaker.down_since, breaker.retry_at = None, 0.0
