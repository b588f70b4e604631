"""The ``resumate`` command line."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import shutil
import signal
import socket
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from resumate import __version__

app = typer.Typer(
    name="resumate",
    help="Resumate: self-hostable AI resume and CV platform.",
    no_args_is_help=True,
    add_completion=False,
)


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)


def _settings():  # type: ignore[no-untyped-def]
    from resumate.config import ConfigError, get_settings

    try:
        return get_settings()
    except ConfigError as exc:
        raise _fail(str(exc)) from exc
    except Exception as exc:  # pydantic ValidationError and friends: name the variable
        raise _fail(f"invalid configuration: {exc}") from exc


def _check_data_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise _fail(f"data dir {path} is not writable: {exc.strerror or exc}") from exc


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise _fail(
                    f"port {port} on {host} is already in use; stop the other process or "
                    f"pass --port"
                ) from exc
            raise _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def _database_url(settings) -> str:  # type: ignore[no-untyped-def]
    """Resolve (starting or attaching to the embedded server) and check the database."""
    from resumate.core.db import libpq_url, resolve_database_url
    from resumate.core.pgserver import EmbeddedDatabaseError

    try:
        url = resolve_database_url(settings)
    except EmbeddedDatabaseError as exc:
        raise _fail(str(exc)) from exc
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    import psycopg

    try:
        with psycopg.connect(libpq_url(url), connect_timeout=int(settings.db_connect_timeout)):
            pass
    except psycopg.Error as exc:
        raise _fail(f"database unreachable: {str(exc).strip().splitlines()[0]}") from exc
    return url


def _migrate(url: str) -> None:
    from resumate.core.migrations import upgrade

    try:
        upgrade(url)
    except Exception as exc:
        raise _fail(f"migration failed: {exc}") from exc


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(f"resumate {__version__}")


@app.command()
def migrate() -> None:
    """Apply database migrations (starts the embedded server when DATABASE_URL is unset)."""
    settings = _settings()
    _check_data_dir(settings.data_dir)
    url = _database_url(settings)
    _migrate(url)
    typer.echo("database is up to date")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on", min=1, max=65535)] = None,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development)")] = False,
) -> None:
    """Serve the API and web UI (on the embedded default: database, migrations and worker)."""
    settings = _settings()
    host = host or settings.host
    port = port or settings.port
    _check_data_dir(settings.data_dir)
    _check_port(host, port)
    url = _database_url(settings)
    if settings.uses_embedded_db:
        _migrate(url)
    typer.echo(f"Resumate {__version__} on http://{host}:{port} (data dir {settings.data_dir})")
    # uvicorn re-raises SIGTERM/SIGINT after its graceful shutdown; turn that into SystemExit so
    # the embedded database is stopped cleanly below instead of the process dying at once.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        _run_uvicorn(host, port, reload, keep_alive=settings.keep_alive_seconds)
    finally:
        if settings.uses_embedded_db:
            from resumate.core.pgserver import stop_embedded

            stop_embedded(settings.data_dir)


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _run_uvicorn(host: str, port: int, reload: bool, *, keep_alive: int = 75) -> None:
    import uvicorn

    uvicorn.run(
        "resumate.app:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        log_config=None,
        access_log=False,
        timeout_keep_alive=keep_alive,
        # Open notification streams (every signed-in browser tab's bell holds one) never end
        # by themselves: without a limit, SIGTERM or Ctrl-C waited for every browser to close.
        timeout_graceful_shutdown=10,
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    )


@app.command()
def worker(
    concurrency: Annotated[int, typer.Option(help="Jobs run at once")] = 2,
    queues: Annotated[list[str] | None, typer.Option("--queue", help="Only these queues")] = None,
) -> None:
    """Run a stand-alone job worker (any number, on any machine sharing the database)."""
    from resumate.core.db import Database, libpq_url, set_database
    from resumate.core.logging import configure_logging
    from resumate.core.queue import (
        QueueRunner,
        run_worker_resilient,
        watch_stalled_jobs,
        worker_options,
    )
    from resumate.core.storage import set_storage
    from resumate.registry import import_all_tasks

    settings = _settings()
    configure_logging(settings.log_level, json=settings.log_json)
    _check_data_dir(settings.data_dir)
    url = _database_url(settings)
    import_all_tasks()

    async def run() -> None:
        from resumate.app import build_storage

        database = Database(url, pool_size=max(2, concurrency), max_overflow=2)
        set_database(database)
        set_storage(build_storage(settings))
        runner = QueueRunner(libpq_url(url), concurrency=concurrency)
        await runner.start()
        from resumate.ai.warmup import start_warm_up

        start_warm_up(settings, analysis=True)
        watchdog = asyncio.create_task(watch_stalled_jobs(settings.job_stall_seconds))
        try:
            options: dict[str, Any] = {}
            if queues:
                options["queues"] = queues
            # Our own signal handling: SIGTERM/SIGINT cancel the worker (a graceful stop), so
            # a worker that procrastinate stopped on a lost database can be started again.
            main = asyncio.current_task()
            assert main is not None
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, main.cancel)
            with contextlib.suppress(asyncio.CancelledError):
                await run_worker_resilient(
                    concurrency=concurrency,
                    install_signal_handlers=False,
                    wait=True,
                    name=f"{socket.gethostname()}-{os.getpid()}",
                    shutdown_graceful_timeout=30,
                    **worker_options(settings.job_stall_seconds),
                    **options,
                )
        finally:
            watchdog.cancel()
            from resumate.ai.isolated import close_analysis_pool

            await runner.stop()
            await database.dispose()
            await asyncio.to_thread(close_analysis_pool)
            from resumate.modules.embeddings.service import close_embedders

            await close_embedders()

    typer.echo(f"worker started (concurrency {concurrency}); Ctrl-C stops it")
    asyncio.run(run())


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Argument(help="Email of the account to create or promote")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
) -> None:
    """Create an admin account, or promote an existing one (asks for a password on a TTY)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise _fail(f"invalid email: {exc}") from exc
    password: str | None = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise _fail("no password on standard input")
    elif sys.stdin.isatty():
        password = (
            typer.prompt(
                "Password (leave empty to promote an existing account)",
                default="",
                hide_input=True,
                confirmation_prompt=True,
                show_default=False,
            )
            or None
        )
    settings = _settings()
    url = _database_url(settings)

    async def run() -> tuple[str, bool]:
        from resumate.core.db import Database
        from resumate.core.errors import AppError
        from resumate.modules.users import service as user_service

        database = Database(url, pool_size=1, max_overflow=0)
        try:
            async with database.sessionmaker() as session, session.begin():
                user, created = await user_service.create_or_promote_admin(
                    session, email=email, password=password
                )
                return user.email, created
        except AppError as exc:
            raise _fail(exc.message) from exc
        finally:
            await database.dispose()

    address, created = asyncio.run(run())
    typer.echo(f"created admin {address}" if created else f"promoted {address} to admin")


@app.command()
def reembed(
    force: Annotated[
        bool, typer.Option(help="Embed again even when the text is unchanged")
    ] = False,
) -> None:
    """Compute missing or stale embeddings of CVs and jobs for the configured model (vectors of
    other models are kept)."""
    from resumate.core.db import Database
    from resumate.modules.embeddings import service as embedding_service
    from resumate.registry import import_all_models

    settings = _settings()
    url = _database_url(settings)
    import_all_models()
    import resumate.modules  # noqa: F401 - features register their text sources on import
    from resumate.modules import routers

    routers()

    async def run() -> dict[str, int]:
        database = Database(url, pool_size=2, max_overflow=0)
        embedder = embedding_service.get_embedder(settings)
        typer.echo(f"model {embedder.model} ({embedder.dim} dimensions)")

        def progress(kind: str, seen: int, written: int) -> None:
            typer.echo(f"  {kind}: {seen} checked, {written} embedded", err=True)

        try:
            return await embedding_service.backfill(
                database.sessionmaker, embedder, force=force, progress=progress
            )
        finally:
            await database.dispose()

    written = asyncio.run(run())
    typer.echo(
        ", ".join(f"{kind}: {count} embedded" for kind, count in written.items()) or "nothing to do"
    )


@app.command("db-shell")
def db_shell() -> None:
    """Open psql on the database (the embedded server when DATABASE_URL is unset)."""
    settings = _settings()
    if settings.uses_embedded_db:
        from resumate.core.pgserver import EmbeddedDatabaseError, start_embedded

        try:
            server = start_embedded(settings.data_dir)
        except EmbeddedDatabaseError as exc:
            raise _fail(str(exc)) from exc
        args = server.psql_args()
    else:
        from resumate.core.db import libpq_url

        psql = shutil.which("psql")
        if psql is None:
            raise _fail("psql is not installed")
        args = [psql, libpq_url(settings.database_url)]
    # Run psql as a child (not exec) so our handle on the embedded server is released after.
    import subprocess

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        code = subprocess.call(args)  # noqa: S603 - arguments are ours
    finally:
        signal.signal(signal.SIGINT, previous)
    raise typer.Exit(code)


storage_app = typer.Typer(help="File storage: move files between backends.", no_args_is_help=True)
app.add_typer(storage_app, name="storage")


@storage_app.command("migrate")
def storage_migrate(
    to: Annotated[str, typer.Option("--to", help="Destination backend: s3 or local")],
    source: Annotated[
        str | None, typer.Option("--from", help="Source backend (default: the other one)")
    ] = None,
) -> None:
    """Copy every stored file to another backend, checking each copy's sha256. Safe to stop
    and run again: files already copied intact are skipped. The source is left untouched;
    switch RESUMATE_STORAGE_BACKEND once it reports 0 failed."""
    from resumate.app import build_storage
    from resumate.core.storage import StorageError, copy_objects

    settings = _settings()
    if to not in ("s3", "local"):
        raise _fail("--to must be s3 or local")
    source = source or ("local" if to == "s3" else "s3")
    if source == to or source not in ("s3", "local"):
        raise _fail("--from must be the other backend (s3 or local)")
    try:
        origin = build_storage(settings.model_copy(update={"storage_backend": source}))
        target = build_storage(settings.model_copy(update={"storage_backend": to}))
    except (RuntimeError, ValueError) as exc:
        raise _fail(str(exc)) from exc

    def progress(index: int, total: int, key: str, outcome: str) -> None:
        typer.echo(f"[{index}/{total}] {outcome:7} {key}", err=True)

    async def run() -> dict[str, int]:
        check = getattr(target, "check", None)
        if check is not None:
            await check()
        return await copy_objects(origin, target, progress=progress)

    try:
        counts = asyncio.run(run())
    except StorageError as exc:
        raise _fail(f"{to} storage is not usable: {exc}") from exc
    typer.echo(
        f"{source} -> {to}: {counts['copied']} copied, {counts['skipped']} already there, "
        f"{counts['failed']} failed"
    )
    if counts["failed"]:
        raise typer.Exit(1)


@storage_app.command("sweep")
def storage_sweep(
    min_age: Annotated[
        float, typer.Option(help="Leave files younger than this many seconds (uploads in flight)")
    ] = 3600.0,
) -> None:
    """Delete stored files no row owns, clean interrupted uploads, and settle rows whose file
    is missing (CVs marked failed, stored PDFs forgotten). Also run hourly by the workers."""
    from resumate.app import build_storage
    from resumate.core.db import Database
    from resumate.core.storage import StorageError
    from resumate.core.sweep import sweep_storage
    from resumate.registry import import_all_models

    settings = _settings()
    url = _database_url(settings)
    import_all_models()
    import resumate.modules  # noqa: F401 - features register their key sources on import
    from resumate.modules import routers

    routers()

    async def run() -> dict[str, int]:
        database = Database(url, pool_size=2, max_overflow=0)
        try:
            return await sweep_storage(
                database.sessionmaker, build_storage(settings), min_age=min_age
            )
        finally:
            await database.dispose()

    try:
        counts = asyncio.run(run())
    except StorageError as exc:
        raise _fail(f"storage is not usable: {exc}") from exc
    typer.echo(", ".join(f"{name.replace('_', ' ')}: {count}" for name, count in counts.items()))


def _files_root(settings):  # type: ignore[no-untyped-def]
    return settings.storage_dir if settings.storage_backend == "local" else None


@app.command()
def backup(
    archive: Annotated[Path, typer.Argument(help="The backup file to write (a tar archive)")],
) -> None:
    """Back up the database (pg_dump) and the stored files (local backend) into one file.
    Safe while Resumate runs: the dump is one consistent snapshot."""
    from resumate.core.backup import BackupError, create_backup
    from resumate.core.db import libpq_url

    settings = _settings()
    url = _database_url(settings)
    try:
        manifest = create_backup(
            archive,
            libpq_url=libpq_url(url),
            files_root=_files_root(settings),
            progress=lambda line: typer.echo(line, err=True),
        )
    except (BackupError, OSError) as exc:
        raise _fail(f"backup failed: {exc}") from exc
    typer.echo(f"backup written to {archive} ({len(manifest['files'])} files)")


@app.command()
def restore(
    archive: Annotated[Path, typer.Argument(help="A file written by `resumate backup`")],
    force: Annotated[
        bool, typer.Option(help="Replace the contents of a database that is not empty")
    ] = False,
) -> None:
    """Restore a backup into an empty database and the files into storage, then apply any
    newer migrations. Stop Resumate's servers and workers first."""
    from resumate.core.backup import BackupError, restore_backup
    from resumate.core.db import libpq_url

    settings = _settings()
    if not archive.is_file():
        raise _fail(f"{archive} does not exist")
    _check_data_dir(settings.data_dir)
    url = _database_url(settings)
    try:
        manifest = restore_backup(
            archive,
            libpq_url=libpq_url(url),
            files_root=_files_root(settings),
            force=force,
            progress=lambda line: typer.echo(line, err=True),
        )
    except (BackupError, OSError) as exc:
        raise _fail(f"restore failed: {exc}") from exc
    _migrate(url)
    typer.echo(
        f"restored the backup of {manifest['created_at']} ({len(manifest['files'])} files); "
        "database is up to date"
    )


def _register_feature_commands() -> None:
    from resumate.ai.commands import analyze_command
    from resumate.modules.billing.commands import billing_app
    from resumate.rendering.commands import render_command

    app.command("render")(render_command)
    app.command("analyze")(analyze_command)
    app.add_typer(billing_app, name="billing")


_register_feature_commands()


@app.callback()
def _options(
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="Show the full error (traceback) when a command fails unexpectedly.",
            envvar="RESUMATE_DEBUG",
        ),
    ] = False,
) -> None:
    global _debug
    _debug = _debug or debug


_debug = False


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if len(text) > 300:
        text = text[:297] + "..."
    return f"{type(exc).__name__}: {text}"


def main(argv: list[str] | None = None) -> int:
    """The ``resumate`` entry point: any error is one line on stderr and a non-zero exit;
    ``--debug`` (anywhere on the line) or ``RESUMATE_DEBUG=1`` shows the traceback."""
    global _debug
    args = list(sys.argv[1:] if argv is None else argv)
    if "--debug" in args:
        args.remove("--debug")
        _debug = True
    _debug = _debug or os.environ.get("RESUMATE_DEBUG", "").lower() in ("1", "true", "yes")
    try:
        result = app(args=args, prog_name="resumate", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        typer.secho("aborted", fg=typer.colors.RED, err=True)
        return 1
    except typer.TyperException as exc:
        # Click's errors (vendored by Typer), usage errors included: one line, and where to look.
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            typer.echo(ctx.get_help())
            return 0
        format_message = getattr(exc, "format_message", None)
        message = " ".join((format_message() if format_message else str(exc)).split())
        where = f" (see {ctx.command_path} --help)" if ctx is not None else ""
        typer.secho(f"error: {message}{where}", fg=typer.colors.RED, err=True)
        code = getattr(exc, "exit_code", 2)
        return code if isinstance(code, int) else 2
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except KeyboardInterrupt:
        typer.secho("interrupted", fg=typer.colors.RED, err=True)
        return 130
    except Exception as exc:
        if _debug:
            import traceback

            traceback.print_exception(exc)
        hint = "" if _debug else " (--debug shows the details)"
        typer.secho(f"error: {_one_line(exc)}{hint}", fg=typer.colors.RED, err=True)
        return 1
    return result if isinstance(result, int) else 0


def run() -> None:  # pragma: no cover - the console script
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
