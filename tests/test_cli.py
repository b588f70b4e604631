"""The ``resumate`` command as an operator runs it: real subprocesses, a real embedded server.

Children get an environment without DATABASE_URL or any RESUMATE_ variable (unless a test sets
one) and run in a temp folder, so no ``.env`` of the developer leaks in.
"""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest

RESUMATE = Path(sys.executable).parent / "resumate"
START_TIMEOUT = 60.0


def child_env(data_dir: Path | None = None, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("RESUMATE_")
        and key not in ("DATABASE_URL", "REDIS_URL", "OLLAMA_HOST", "PYTEST_CURRENT_TEST")
    }
    if data_dir is not None:
        env["RESUMATE_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def run(
    args: list[str], cwd: Path, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(RESUMATE), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postmasters(pgdata: Path) -> list[psutil.Process]:
    """Running postmaster processes serving ``pgdata`` (children do not carry ``-D``)."""
    found = []
    for proc in psutil.process_iter(["name", "cmdline", "status"]):
        cmdline = proc.info["cmdline"] or []
        if (
            proc.info["name"] == "postgres"
            and proc.info["status"] != psutil.STATUS_ZOMBIE
            and "-D" in cmdline
            and cmdline[cmdline.index("-D") + 1 :][:1] == [str(pgdata)]
        ):
            found.append(proc)
    return found


def wait_gone(pgdata: Path, timeout: float = 20) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    while (left := postmasters(pgdata)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int
    data_dir: Path
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def ready(self) -> httpx.Response:
        return httpx.get(f"{self.base_url}/health/ready", timeout=5)

    def wait_ready(self, timeout: float = START_TIMEOUT) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            assert self.process.poll() is None, f"serve exited early:\n{self.output()}"
            try:
                if self.ready().status_code == 200:
                    return time.monotonic() - started
            except httpx.TransportError:
                pass
            time.sleep(0.25)
        raise AssertionError(f"not ready within {timeout} s:\n{self.output()}")

    def terminate(self, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            self.process.kill()
            self.process.wait()
            raise AssertionError(
                f"serve ignored SIGTERM for {timeout} s:\n{self.output()}"
            ) from exc


def start_serve(tmp_path: Path, data_dir: Path) -> Served:
    port = free_port()
    log = tmp_path / f"serve-{port}.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            [str(RESUMATE), "serve", "--port", str(port)],
            cwd=tmp_path,
            env=child_env(data_dir),
            stdout=handle,
            stderr=subprocess.STDOUT,
            text=True,
        )
    return Served(process=process, port=port, data_dir=data_dir, log=log)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path


# Commands that fail before any database is touched -----------------------------------------


def test_version(workdir: Path) -> None:
    from resumate import __version__

    result = run(["version"], workdir, child_env(workdir / "data"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"resumate {__version__}"


def test_serve_on_a_port_in_use_fails_naming_the_port(workdir: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = run(
            ["serve", "--host", "127.0.0.1", "--port", str(port)],
            workdir,
            child_env(workdir / "data"),
        )
    assert result.returncode != 0
    assert str(port) in result.stderr and "in use" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (workdir / "data" / "pg").exists(), "no database work before the port check"


@pytest.mark.parametrize("command", ["serve", "migrate", "worker"])
def test_data_dir_under_a_file_fails_clearly(workdir: Path, command: str) -> None:
    blocker = workdir / "not-a-dir"
    blocker.write_text("a regular file")
    data_dir = blocker / "data"
    result = run([command], workdir, child_env(data_dir))
    assert result.returncode != 0
    assert "not writable" in result.stderr and str(data_dir) in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_data_dir_on_a_read_only_filesystem_fails_clearly(workdir: Path) -> None:
    data_dir = Path("/proc/resumate-data")
    result = run(["migrate"], workdir, child_env(data_dir))
    assert result.returncode != 0
    assert "not writable" in result.stderr and str(data_dir) in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["migrate", "serve", "worker"])
def test_unreachable_database_fails_clearly(workdir: Path, command: str) -> None:
    url = f"postgresql://resumate@127.0.0.1:{free_port()}/resumate"
    args = [command, "--port", str(free_port())] if command == "serve" else [command]
    result = run(args, workdir, child_env(workdir / "data", DATABASE_URL=url))
    assert result.returncode != 0
    assert "database unreachable" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_database_url_fails_clearly(workdir: Path) -> None:
    result = run(["migrate"], workdir, child_env(workdir / "data", DATABASE_URL="mysql://x/y"))
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr, result.stderr


def test_production_without_secret_key_fails_naming_it(workdir: Path) -> None:
    env = child_env(
        workdir / "data",
        RESUMATE_ENV="production",
        DATABASE_URL=f"postgresql://resumate@127.0.0.1:{free_port()}/resumate",
    )
    for command in (["migrate"], ["serve", "--port", str(free_port())], ["worker"]):
        result = run(command, workdir, env)
        assert result.returncode != 0
        assert "RESUMATE_SECRET_KEY" in result.stderr, result.stderr
    assert not (workdir / "data" / "secrets").exists(), "production never generates secrets"


def test_production_without_database_url_fails_naming_it(workdir: Path) -> None:
    env = child_env(workdir / "data", RESUMATE_ENV="production", RESUMATE_SECRET_KEY="s" * 48)
    result = run(["migrate"], workdir, env)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr, result.stderr
    assert not (workdir / "data" / "pg").exists()


def test_generated_secret_is_private_and_reused(workdir: Path) -> None:
    data_dir = workdir / "data"
    env = child_env(data_dir, DATABASE_URL=f"postgresql://r@127.0.0.1:{free_port()}/r")
    run(["migrate"], workdir, env)  # fails on the database, after the secret is made
    secret = data_dir / "secrets" / "secret_key"
    assert secret.is_file()
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert stat.S_IMODE(secret.parent.stat().st_mode) == 0o700
    first = secret.read_text()
    assert len(first) >= 32

    run(["migrate"], workdir, env)
    assert secret.read_text() == first, "the secret must survive restarts"


def test_set_secret_key_is_not_written_to_disk(workdir: Path) -> None:
    data_dir = workdir / "data"
    env = child_env(
        data_dir,
        RESUMATE_SECRET_KEY="given-" + "k" * 40,
        DATABASE_URL=f"postgresql://r@127.0.0.1:{free_port()}/r",
    )
    run(["migrate"], workdir, env)
    assert not (data_dir / "secrets" / "secret_key").exists()


# The embedded server, end to end ----------------------------------------------------------


def test_serve_new_data_dir_ready_then_sigterm_stops_postgres(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh-data"
    served = start_serve(tmp_path, data_dir)
    try:
        served.wait_ready()
        body = served.ready().json()
        assert body == {"status": "ready", "checks": {"database": "ok"}}
        # Generous timeouts: right after start-up the server warms its models up, and on a
        # loaded machine a first request may wait seconds; this test is about answers.
        assert httpx.get(f"{served.base_url}/health", timeout=60).json() == {"status": "ok"}
        missing = httpx.get(f"{served.base_url}/api/v1/nope", timeout=60)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"
        pgdata = data_dir / "pg"
        assert len(postmasters(pgdata)) == 1
    finally:
        code = served.terminate()
    assert code == 0, served.output()
    assert wait_gone(data_dir / "pg") == [], "the embedded postgres outlived serve"
    assert not (data_dir / "pg" / "postmaster.pid").exists()
    assert '"resumate stopped"' in served.output() or "resumate stopped" in served.output()


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One ``resumate serve`` for the attach tests."""
    tmp_path = tmp_path_factory.mktemp("cli-serve")
    served = start_serve(tmp_path, tmp_path / "data")
    try:
        served.wait_ready()
        yield served
    finally:
        served.terminate()
        wait_gone(served.data_dir / "pg")


def test_migrate_attaches_to_the_running_server(running: Served, tmp_path: Path) -> None:
    pgdata = running.data_dir / "pg"
    before = [proc.pid for proc in postmasters(pgdata)]
    assert len(before) == 1

    result = run(["migrate"], tmp_path, child_env(running.data_dir))
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout

    assert [proc.pid for proc in postmasters(pgdata)] == before, "migrate restarted postgres"
    assert running.ready().status_code == 200, running.output()


def test_worker_attaches_and_leaves_the_server_running(running: Served, tmp_path: Path) -> None:
    pgdata = running.data_dir / "pg"
    before = [proc.pid for proc in postmasters(pgdata)]
    assert len(before) == 1

    log = tmp_path / "worker.log"
    with log.open("w") as handle:
        worker = subprocess.Popen(
            [str(RESUMATE), "worker", "--concurrency", "1"],
            cwd=tmp_path,
            env=child_env(running.data_dir),
            stdout=handle,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        deadline = time.monotonic() + 30
        while "Starting worker" not in log.read_text():
            assert worker.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        assert [proc.pid for proc in postmasters(pgdata)] == before, "a second postgres started"
        time.sleep(1.0)
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
        code = worker.wait(timeout=30)
    assert code == 0, log.read_text()
    assert [proc.pid for proc in postmasters(pgdata)] == before, "the worker stopped postgres"
    assert running.ready().status_code == 200, running.output()
