"""Shared helpers of the foundation benchmarks: start ``resumate serve`` (or another server) as
a real subprocess on a free port, wait for an URL to answer 200, and stop it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RESUMATE = Path(sys.executable).parent / "resumate"
BENCH_DIR = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without Resumate settings (so the embedded default is used)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("RESUMATE_") and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(extra)
    return env


def status_of(url: str, timeout: float = 2.0) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except (OSError, urllib.error.URLError):
        return None


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_for(self, path: str, timeout: float = 120.0, interval: float = 0.02) -> float:
        """Seconds until ``path`` answers 200 (measured from now)."""
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.tail()}")
            if status_of(self.base + path, timeout=1.0) == 200:
                return time.perf_counter() - started
            time.sleep(interval)
        raise RuntimeError(f"{self.name}: {path} not 200 within {timeout} s:\n{self.tail()}")

    def wait_idle(
        self, timeout: float = 120.0, window: float = 0.5, busy: float = 0.05, quiet: int = 2
    ) -> float:
        """Seconds until the server and its child processes (render and analysis processes,
        the embedded PostgreSQL) use less than ``busy`` of one core over ``quiet`` windows in a
        row: its start-up work in the background (render pool, model load, analysis processes)
        is over, so measurements start on an idle server. Gives up quietly after ``timeout``."""
        import psutil

        root = psutil.Process(self.process.pid)

        def cpu() -> float:
            return cpu_seconds(root) + cpu_seconds(root, children=True)

        started = time.perf_counter()
        calm = 0
        while time.perf_counter() - started < timeout and calm < quiet:
            before = cpu()
            time.sleep(window)
            calm = calm + 1 if (cpu() - before) / window < busy else 0
        return time.perf_counter() - started

    def stop(self, timeout: float = 30.0) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


def cpu_seconds(process: Any, *, children: bool = False) -> float:
    """CPU time (user + system) of a ``psutil.Process``, or of all its descendants (render and
    analysis processes, the embedded PostgreSQL)."""
    import psutil

    total = 0.0
    for proc in process.children(recursive=True) if children else [process]:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def start_resumate(
    data_dir: Path, workdir: Path, port: int | None = None, env: dict[str, str] | None = None
) -> Server:
    port = port or free_port()
    log = workdir / f"resumate-{port}.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [str(RESUMATE), "serve", "--port", str(port)],
            cwd=workdir,
            env=clean_env(RESUMATE_DATA_DIR=str(data_dir), **(env or {})),
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    return Server("resumate", process, port, log)


def start_bare(workdir: Path, port: int | None = None) -> Server:
    port = port or free_port()
    log = workdir / f"bare-{port}.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [sys.executable, str(BENCH_DIR / "_bare_app.py"), "--port", str(port)],
            cwd=workdir,
            env=clean_env(),
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    return Server("bare FastAPI", process, port, log)


def postmaster_running(pgdata: Path) -> bool:
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return False
    try:
        pid = int(pid_file.read_text().splitlines()[0])
        os.kill(pid, 0)
    except (ValueError, IndexError, OSError):
        return False
    return True


def wait_postgres_stopped(pgdata: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while postmaster_running(pgdata) and time.monotonic() < deadline:
        time.sleep(0.1)


def fmt_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    line = "  ".join(f"{{:<{width}}}" for width in widths)
    out = [line.format(*headers), line.format(*("-" * width for width in widths))]
    out.extend(line.format(*row) for row in rows)
    return "\n".join(out)
