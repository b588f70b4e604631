"""One Settings object for the whole process (pydantic-settings, prefix ``RESUMATE_``)."""

from __future__ import annotations

import os
import secrets
import time
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Secrets generated on first start of the embedded default and kept in the data dir.
GENERATED_SECRETS = ("secret_key",)


class ConfigError(RuntimeError):
    """A setting is missing or unusable; the message names the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RESUMATE_", env_file=".env", extra="ignore", populate_by_name=True
    )

    env: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path(".resumate")
    host: str = "127.0.0.1"
    port: int = 8000
    # Idle HTTP keep-alive, longer than a proxy's or a client's own idle limit (nginx 60 s, most
    # load balancers 60 s): with uvicorn's 5 s a client reusing a connection just as the server
    # drops it gets a connection reset.
    keep_alive_seconds: int = 75
    public_url: str = "http://127.0.0.1:8000"

    # Unset = the embedded PostgreSQL in <data_dir>/pg. Also read from the plain variable.
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("RESUMATE_DATABASE_URL", "DATABASE_URL", "database_url"),
    )
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("RESUMATE_REDIS_URL", "REDIS_URL", "redis_url")
    )
    # Unset: tied to the machine (``core.db.default_pool_size``: 4 per core, at least 5) with
    # as many again as overflow for bursts.
    db_pool_size: int | None = None
    db_max_overflow: int | None = None
    db_connect_timeout: float = 5.0
    # Longest wait for a pooled connection before a retryable 503 (Retry-After), well inside
    # the usual proxy and client timeouts.
    db_pool_timeout: float = 10.0

    secret_key: SecretStr | None = None
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    # Secure cookies unless the public URL is plain http (local use).
    cookie_secure: bool | None = None

    # Rate limits as "hits/seconds", per IP and per account.
    rate_login_ip: str = "30/300"
    rate_login_account: str = "10/900"
    rate_register_ip: str = "10/3600"
    rate_forgot_ip: str = "10/900"
    rate_forgot_account: str = "3/3600"
    rate_verify_resend_account: str = "3/3600"
    rate_refresh_ip: str = "120/60"

    cors_origins: list[str] = []
    max_body_bytes: int = 2 * 1024 * 1024
    max_upload_bytes: int = 10 * 1024 * 1024
    log_level: str = "INFO"
    log_json: bool = True

    # Jobs: on the embedded default the worker runs inside the server process.
    run_worker_in_process: bool | None = None
    worker_concurrency: int = 2
    # A job whose worker sent no heartbeat for this long (killed, frozen, host lost) is put back
    # for another worker; workers send a heartbeat every quarter of it.
    job_stall_seconds: float = Field(default=60.0, ge=2.0, le=3600.0)

    storage_backend: Literal["local", "s3"] = "local"
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_prefix: str = ""
    # Downloads: streamed through the server (default) or a redirect to a presigned URL.
    s3_presign_downloads: bool = False
    s3_presign_expiry: int = Field(default=300, ge=10, le=3600)
    s3_part_size: int = Field(default=8 * 1024 * 1024, ge=5 * 1024 * 1024)

    ai_provider: Literal["offline", "ollama"] = "offline"
    analysis_timeout: float = 180.0
    # No CV stays pending or processing longer than this (seconds); swept every minute.
    analysis_deadline: float = 600.0
    # Address-space limit of the process that reads a CV file (a decompression bomb stops here).
    analysis_memory_mb: int = 2048
    # At start-up, in the background: load the local embedding model (job ads are embedded in
    # the server) and, where this process runs jobs, start the CV analysis processes with the
    # analyzer loaded, so the first upload and the first job ad are not seconds slower.
    warm_up: bool = True
    # PDF/PNG render processes: unset = one per core (at most 4). Each is replaced after
    # `render_max_tasks` renders or once it holds more than `render_max_rss_mb`; past
    # `render_max_pending` renders waiting or running, a render answers 503 with Retry-After.
    render_workers: int | None = Field(default=None, ge=1, le=64)
    render_max_tasks: int = Field(default=1000, ge=1)
    render_max_rss_mb: float = Field(default=600.0, ge=50)
    render_max_pending: int | None = Field(default=None, ge=1)
    ollama_host: str = Field(
        default="http://127.0.0.1:11434",
        validation_alias=AliasChoices("RESUMATE_OLLAMA_HOST", "OLLAMA_HOST", "ollama_host"),
    )
    ollama_chat_model: str = "llama3.1:8b"
    ollama_embed_model: str = "nomic-embed-text"
    ollama_embed_dim: int = 768
    ollama_timeout: float = 60.0

    # Billing: "off" puts every account on the unlimited self-hosted plan; "paypal" enforces
    # the plans in the database and takes subscriptions through PayPal.
    billing: Literal["off", "paypal"] = "off"
    paypal_client_id: str | None = None
    paypal_client_secret: SecretStr | None = None
    paypal_webhook_id: str | None = None
    paypal_api_base: str = "https://api-m.sandbox.paypal.com"
    paypal_timeout: float = 20.0
    paypal_retries: int = 3
    billing_grace_days: int = 7
    # Where PayPal sends the buyer back (default: the web app's /billing/return and
    # /billing/cancelled pages under the public URL).
    billing_return_url: str | None = None
    billing_cancel_url: str | None = None

    # Notifications and analytics.
    notification_heartbeat_seconds: float = 15.0
    analytics_retention_days: int = Field(default=90, ge=1)

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    smtp_use_tls: bool = False
    mail_from: str = "Resumate <no-reply@localhost>"

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().absolute()

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def uses_embedded_db(self) -> bool:
        return not self.database_url

    @property
    def worker_in_process(self) -> bool:
        if self.run_worker_in_process is not None:
            return self.run_worker_in_process
        return self.uses_embedded_db

    @property
    def secure_cookies(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.public_url.startswith("https://")

    @property
    def storage_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    def secret(self) -> str:
        assert self.secret_key is not None, "call ensure_secrets() first"
        return self.secret_key.get_secret_value()


def _load_or_create_secret(path: Path) -> str:
    if path.exists():
        value = path.read_text().strip()
        if value:
            return value
        path.unlink()  # an empty file (a crash between create and write): make a new one
    value = secrets.token_urlsafe(48)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another process (the worker starting with the server) created it first: use theirs.
        return _wait_for_secret(path)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


def _wait_for_secret(path: Path) -> str:
    for _ in range(50):
        value = path.read_text().strip()
        if value:
            return value
        time.sleep(0.02)
    raise ConfigError(f"secret file {path} is empty; delete it to have a new one generated")


def ensure_secrets(settings: Settings) -> Settings:
    """Fill unset secrets: generated once into the data dir, or an error in production."""
    for name in GENERATED_SECRETS:
        if getattr(settings, name) is not None:
            continue
        if settings.is_production:
            raise ConfigError(f"RESUMATE_{name.upper()} must be set when RESUMATE_ENV=production")
        try:
            value = _load_or_create_secret(settings.data_dir / "secrets" / name)
        except OSError as exc:
            raise ConfigError(
                f"data dir {settings.data_dir} is not writable (RESUMATE_DATA_DIR): "
                f"{exc.strerror or exc}"
            ) from exc
        setattr(settings, name, SecretStr(value))
    if settings.storage_backend == "s3" and not settings.s3_bucket:
        raise ConfigError("RESUMATE_S3_BUCKET must be set when RESUMATE_STORAGE_BACKEND=s3")
    if settings.is_production and not settings.database_url:
        raise ConfigError("DATABASE_URL must be set when RESUMATE_ENV=production")
    check_billing(settings)
    return settings


PAYPAL_SETTINGS = (
    "paypal_client_id",
    "paypal_client_secret",
    "paypal_webhook_id",
    "paypal_api_base",
)


def check_billing(settings: Settings) -> None:
    """With ``RESUMATE_BILLING=paypal`` every PayPal setting must be set."""
    if settings.billing != "paypal":
        return
    missing = [
        f"RESUMATE_{name.upper()}"
        for name in PAYPAL_SETTINGS
        if not _secret_value(getattr(settings, name))
    ]
    if missing:
        raise ConfigError(f"RESUMATE_BILLING=paypal needs {', '.join(missing)} to be set")
    if not settings.paypal_api_base.startswith(("https://", "http://")):
        raise ConfigError("RESUMATE_PAYPAL_API_BASE must be an http(s) URL")
    if settings.billing_grace_days < 0:
        raise ConfigError("RESUMATE_BILLING_GRACE_DAYS must be 0 or more")


def _secret_value(value: object) -> str:
    if isinstance(value, SecretStr):
        return value.get_secret_value().strip()
    return str(value or "").strip()


_override: Settings | None = None


def set_settings(settings: Settings | None) -> None:
    """Make ``settings`` the process-wide settings (the app factory does this)."""
    global _override
    _override = settings


def get_settings() -> Settings:
    if _override is not None:
        return _override
    return _default_settings()


@lru_cache
def _default_settings() -> Settings:
    return ensure_secrets(Settings())
