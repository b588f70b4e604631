"""Settings from the environment: data dir, database URL aliases, generated secrets and the
errors production mode raises."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import SecretStr

from resumate.config import ConfigError, Settings, ensure_secrets
from resumate.core.db import libpq_url, sqlalchemy_url


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """A clean environment (no RESUMATE_*, DATABASE_URL, REDIS_URL) and a cwd without .env."""
    import os

    for key in list(os.environ):
        if key.startswith("RESUMATE_") or key in ("DATABASE_URL", "REDIS_URL", "OLLAMA_HOST"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def test_defaults_use_the_embedded_database(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = Settings()
    assert settings.data_dir == tmp_path / ".resumate"
    assert settings.data_dir.is_absolute()
    assert settings.uses_embedded_db
    assert settings.worker_in_process
    assert settings.database_url is None and settings.redis_url is None
    assert not settings.is_production
    assert settings.storage_dir == settings.data_dir / "files"


def test_data_dir_from_environment(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("RESUMATE_DATA_DIR", str(tmp_path / "elsewhere"))
    assert Settings().data_dir == tmp_path / "elsewhere"
    env.setenv("RESUMATE_DATA_DIR", "relative/dir")
    assert Settings().data_dir == tmp_path / "relative" / "dir"
    env.setenv("HOME", str(tmp_path / "home"))
    env.setenv("RESUMATE_DATA_DIR", "~/resumate")
    assert Settings().data_dir == tmp_path / "home" / "resumate"


def test_database_url_plain_alias(env: pytest.MonkeyPatch) -> None:
    env.setenv("DATABASE_URL", "postgres://app:pw@db.internal:5433/resumate")
    settings = Settings()
    assert settings.database_url == "postgres://app:pw@db.internal:5433/resumate"
    assert not settings.uses_embedded_db
    assert not settings.worker_in_process, "external database: workers run stand-alone"
    env.setenv("RESUMATE_RUN_WORKER_IN_PROCESS", "true")
    assert Settings().worker_in_process


def test_prefixed_database_url_wins(env: pytest.MonkeyPatch) -> None:
    env.setenv("DATABASE_URL", "postgresql://plain@h/db")
    env.setenv("RESUMATE_DATABASE_URL", "postgresql://prefixed@h/db")
    assert Settings().database_url == "postgresql://prefixed@h/db"


def test_redis_url_alias(env: pytest.MonkeyPatch) -> None:
    env.setenv("REDIS_URL", "redis://127.0.0.1:6379/2")
    assert Settings().redis_url == "redis://127.0.0.1:6379/2"


def test_dotenv_file_is_read(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("RESUMATE_PORT=9123\nDATABASE_URL=postgresql://e@h/db\n")
    settings = Settings()
    assert settings.port == 9123
    assert settings.database_url == "postgresql://e@h/db"


def test_invalid_value_is_rejected(env: pytest.MonkeyPatch) -> None:
    env.setenv("RESUMATE_ENV", "staging")
    with pytest.raises(ValueError, match="env"):
        Settings()


def test_secret_generated_private_and_reused(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = ensure_secrets(Settings(data_dir=data_dir)).secret()
    path = data_dir / "secrets" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert len(first) >= 32 and path.read_text() == first
    assert ensure_secrets(Settings(data_dir=data_dir)).secret() == first
    other = ensure_secrets(Settings(data_dir=tmp_path / "other")).secret()
    assert other != first


def test_empty_secret_file_is_replaced(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "data" / "secrets" / "secret_key"
    path.parent.mkdir(parents=True)
    path.write_text("")
    value = ensure_secrets(Settings(data_dir=tmp_path / "data")).secret()
    assert value and path.read_text() == value


def test_given_secret_is_not_written(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("RESUMATE_SECRET_KEY", "k" * 48)
    settings = ensure_secrets(Settings(data_dir=tmp_path / "data"))
    assert settings.secret() == "k" * 48
    assert not (tmp_path / "data" / "secrets").exists()


def test_unwritable_data_dir_is_a_config_error(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="not writable") as info:
        ensure_secrets(Settings(data_dir=blocker / "data"))
    assert str(blocker / "data") in str(info.value)


def test_production_requires_secret_key(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("RESUMATE_ENV", "production")
    env.setenv("DATABASE_URL", "postgresql://app@db/resumate")
    with pytest.raises(ConfigError, match="RESUMATE_SECRET_KEY"):
        ensure_secrets(Settings(data_dir=tmp_path / "data"))
    assert not (tmp_path / "data").exists(), "production never generates secrets"


def test_production_requires_database_url(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("RESUMATE_ENV", "production")
    env.setenv("RESUMATE_SECRET_KEY", "s" * 48)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        ensure_secrets(Settings(data_dir=tmp_path / "data"))
    env.setenv("DATABASE_URL", "postgresql://app@db/resumate")
    settings = ensure_secrets(Settings(data_dir=tmp_path / "data"))
    assert settings.is_production and settings.secret() == "s" * 48


def test_explicit_settings_override_environment(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("RESUMATE_PORT", "1234")
    settings = Settings(port=4321, secret_key=SecretStr("x" * 40), data_dir=tmp_path)
    assert settings.port == 4321


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
        ("postgres://u@h/d?sslmode=require", "postgresql+psycopg://u@h/d?sslmode=require"),
        ("postgresql+asyncpg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@/d?host=/tmp/x", "postgresql+psycopg://u@/d?host=/tmp/x"),
    ],
)
def test_database_url_forms(given: str, expected: str) -> None:
    assert sqlalchemy_url(given) == expected
    assert libpq_url(given) == "postgresql://" + expected.split("://", 1)[1]


@pytest.mark.parametrize("bad", ["mysql://u@h/d", "sqlite:///x.db", "h:5432/d", ""])
def test_database_url_must_be_postgresql(bad: str) -> None:
    with pytest.raises(ValueError, match="DATABASE_URL"):
        sqlalchemy_url(bad)
