"""Real Resumate processes for the scale-out tests: ``resumate serve`` and ``resumate worker``
subprocesses sharing one PostgreSQL, one Redis and one S3 bucket, as in production."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.scale.conftest import free_port

STARTUP_TIMEOUT = 180.0


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    port: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill9(self) -> None:
        if self.alive():
            os.kill(self.popen.pid, signal.SIGKILL)
            self.popen.wait(30)

    def stop(self) -> None:
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(20)
            except subprocess.TimeoutExpired:
                self.kill9()

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


@dataclass
class Cluster:
    workdir: Path
    env: dict[str, str]
    procs: list[Proc] = field(default_factory=list)

    def _spawn(self, name: str, args: list[str], port: int | None = None) -> Proc:
        log = self.workdir / f"{name}.log"
        handle = log.open("ab")
        popen = subprocess.Popen(
            [sys.executable, "-m", "resumate.cli", *args],
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=self.workdir,
        )
        handle.close()
        proc = Proc(name, popen, log, port)
        self.procs.append(proc)
        return proc

    def server(self, name: str) -> Proc:
        port = free_port()
        proc = self._spawn(name, ["serve", "--host", "127.0.0.1", "--port", str(port)], port)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if not proc.alive():
                raise RuntimeError(f"{name} exited:\n{proc.tail()}")
            try:
                if httpx.get(f"{proc.url}/health/ready", timeout=5).status_code == 200:
                    return proc
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{name} did not become ready:\n{proc.tail()}")

    def worker(self, name: str, concurrency: int = 2) -> Proc:
        proc = self._spawn(name, ["worker", "--concurrency", str(concurrency)])
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while "worker started" not in proc.tail(100_000):
            if not proc.alive():
                raise RuntimeError(f"{name} exited:\n{proc.tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start:\n{proc.tail()}")
            time.sleep(0.3)
        return proc

    def stop(self) -> None:
        for proc in self.procs:
            proc.stop()


def cluster_env(
    *,
    data_dir: Path,
    database_url: str,
    redis_url: str,
    s3_endpoint: str,
    bucket: str,
    extra: dict[str, Any] | None = None,
) -> dict[str, str]:
    """The production example of the README: shared secret, database, Redis and bucket."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESUMATE_")}
    env.update(
        RESUMATE_ENV="development",
        RESUMATE_DATA_DIR=str(data_dir),
        RESUMATE_SECRET_KEY="cluster-test-secret-" + "k" * 40,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        RESUMATE_RUN_WORKER_IN_PROCESS="false",
        RESUMATE_STORAGE_BACKEND="s3",
        RESUMATE_S3_BUCKET=bucket,
        RESUMATE_S3_ENDPOINT_URL=s3_endpoint,
        RESUMATE_S3_REGION="us-east-1",
        RESUMATE_S3_PART_SIZE=str(5 * 1024 * 1024),
        RESUMATE_LOG_LEVEL="INFO",
        RESUMATE_DB_POOL_TIMEOUT="5",
        RESUMATE_DB_CONNECT_TIMEOUT="2",
        RESUMATE_RENDER_WORKERS="1",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
    )
    env.pop("DATABASE_URL", None) if not database_url else None
    for key, value in (extra or {}).items():
        env[key] = str(value)
    return env
