"""``resumate backup`` / ``resumate restore`` on the embedded default: a full round trip into a
new data dir through the real command line, and the refusals that keep data safe."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg

from resumate.core.pgserver import start_embedded, stop_embedded

EMAIL = "admin-ünïcødé@example.com"


def cli(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "RESUMATE_DATABASE_URL", "RESUMATE_STORAGE_BACKEND")
    }
    env.update(RESUMATE_DATA_DIR=str(data_dir), RESUMATE_ENV="development")
    return subprocess.run(
        [sys.executable, "-m", "resumate.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_backup_restore_round_trip(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    archive = tmp_path / "backups" / "resumate.tar"
    assert cli(old, "migrate").returncode == 0
    made = cli(old, "create-admin", EMAIL, "--password-stdin", stdin="a long pass phrase 42\n")
    assert made.returncode == 0, made.stderr
    files = {
        "cvs/ab/ab0123456789abcdef0123456789abcd.pdf": b"%PDF-1.7 original \x00\xff",
        "pdfs/cd/cd0123456789abcdef0123456789abcd.pdf": os.urandom(300_000),
    }
    for name, data in files.items():
        path = old / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    done = cli(old, "backup", str(archive))
    assert done.returncode == 0, done.stderr
    assert "2 files" in done.stdout
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "database.dump", *(f"files/{n}" for n in files)} <= names

    restored = cli(new, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "database is up to date" in restored.stdout
    for name, data in files.items():
        assert (new / "files" / name).read_bytes() == data
    server = start_embedded(new)
    try:
        with psycopg.connect(server.url(driver="")) as conn:
            row = conn.execute("SELECT role FROM users WHERE email = %s", (EMAIL,)).fetchone()
            assert row == ("admin",)
            assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    finally:
        stop_embedded(new)

    # A second restore into a database that now has data is refused without --force...
    again = cli(new, "restore", str(archive))
    assert again.returncode == 1
    assert "not empty" in again.stderr and "Traceback" not in again.stderr
    forced = cli(new, "restore", str(archive), "--force")
    assert forced.returncode == 0, forced.stderr

    # A backup whose file was altered after it was written is refused before anything changes.
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("files/cvs/"):
                data = data.replace(b"original", b"ORIGINAL")
            target.addfile(member, io.BytesIO(data))
    third = tmp_path / "third"
    refused = cli(third, "restore", str(damaged))
    assert refused.returncode == 1 and "damaged" in refused.stderr
    assert not (third / "files" / "cvs").exists()


def test_damaged_or_foreign_archives_are_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "dd"
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar at all")
    result = cli(data_dir, "restore", str(junk))
    assert result.returncode == 1 and "not a readable backup" in result.stderr

    foreign = tmp_path / "foreign.tar"
    with tarfile.open(foreign, "w") as tar:
        note = tmp_path / "note.txt"
        note.write_text("hello")
        tar.add(note, arcname="manifest.json")
    result = cli(data_dir, "restore", str(foreign))
    assert result.returncode == 1 and "manifest" in result.stderr
    missing = cli(data_dir, "restore", str(tmp_path / "nope.tar"))
    assert missing.returncode == 1 and "does not exist" in missing.stderr
