"""Test harness: one embedded PostgreSQL per session, migrated once; every test runs inside a
transaction that is rolled back (the app's sessions join it through savepoints)."""

from __future__ import annotations

import email
import hashlib
import os
import re
import socket
import tempfile
from collections.abc import AsyncIterator, Iterator
from email.message import Message
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker

os.environ.setdefault("RESUMATE_ENV", "test")
os.environ.setdefault("RESUMATE_LOG_JSON", "true")

from resumate.app import create_app
from resumate.config import Settings
from resumate.core import db as db_module
from resumate.core import storage as storage_module
from resumate.core.mail import configure_mail
from resumate.core.migrations import upgrade
from resumate.core.pgserver import EmbeddedServer, start_embedded, stop_embedded

TEST_DATABASE = "resumate_test"
REQUIRE_SERVICES = os.environ.get("RESUMATE_REQUIRE_SERVICES") == "1"


def pytest_configure(config: pytest.Config) -> None:
    # pytest keeps the last three `pytest-N` folders of a temp root and deletes older ones, even
    # while another session (from another checkout of the repo) still runs in them: give every
    # checkout its own root. Short, since the embedded PostgreSQL's socket path must fit 107 bytes.
    if "PYTEST_DEBUG_TEMPROOT" not in os.environ:
        checkout = str(Path(__file__).resolve().parents[1]).encode()
        root = (
            Path(tempfile.gettempdir())
            / f"resumate-pytest-{hashlib.sha256(checkout).hexdigest()[:10]}"
        )
        root.mkdir(mode=0o700, exist_ok=True)
        os.environ["PYTEST_DEBUG_TEMPROOT"] = str(root)


def require_service(name: str, available: bool, why: str = "") -> None:
    """Skip when a local service is missing, except in CI where that is a failure."""
    if available:
        return
    message = f"{name} is not available{': ' + why if why else ''}"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} (RESUMATE_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(message)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("resumate-data")


@pytest.fixture(scope="session")
def pg_server(data_dir: Path) -> Iterator[EmbeddedServer]:
    server = start_embedded(data_dir, database=TEST_DATABASE)
    yield server
    stop_embedded(data_dir)


@pytest.fixture(scope="session")
def database_url(pg_server: EmbeddedServer) -> str:
    url = pg_server.url(TEST_DATABASE)
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def settings(data_dir: Path, database_url: str) -> Settings:
    from resumate.config import set_settings

    test_settings = Settings(
        env="test",
        data_dir=data_dir,
        database_url=database_url,
        secret_key=SecretStr("test-secret-key-" + "x" * 40),
        log_json=True,
        run_worker_in_process=False,
    )
    set_settings(test_settings)
    return test_settings


@pytest.fixture(scope="session")
async def database(database_url: str) -> AsyncIterator[db_module.Database]:
    database = db_module.Database(database_url, pool_size=5, max_overflow=5)
    db_module.set_database(database)
    yield database
    await database.dispose()


@pytest.fixture(scope="session")
def storage(data_dir: Path) -> storage_module.LocalStorage:
    local = storage_module.LocalStorage(data_dir / "files")
    storage_module.set_storage(local)
    return local


@pytest.fixture(scope="session")
def app(settings: Settings, database: db_module.Database, storage: storage_module.LocalStorage):  # type: ignore[no-untyped-def]
    from resumate.modules.resumes.service import close_render_pool

    yield create_app(settings, manage_resources=False)
    close_render_pool()


@pytest.fixture
async def db_conn(database: db_module.Database) -> AsyncIterator[AsyncConnection]:
    """The test's connection: an outer transaction rolled back at the end."""
    async with database.engine.connect() as conn:
        transaction = await conn.begin()
        original = database.sessionmaker
        database.sessionmaker = async_sessionmaker(
            bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        try:
            yield conn
        finally:
            database.sessionmaker = original
            if transaction.is_active:
                await transaction.rollback()


@pytest.fixture
async def session(db_conn: AsyncConnection, database: db_module.Database):  # type: ignore[no-untyped-def]
    async with database.sessionmaker() as session:
        yield session


@pytest.fixture
async def client(app, db_conn: AsyncConnection) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture(autouse=True)
def restore_settings() -> Iterator[None]:
    """Tests that build an app with other settings must not leak them to the next test."""
    from resumate import config

    before = config._override
    yield
    if before is not None:
        config.set_settings(before)


@pytest.fixture(autouse=True)
def fresh_rate_limiter() -> Iterator[None]:
    """Each test starts with empty in-process rate-limit windows."""
    from resumate.core.ratelimit import set_rate_limiter

    set_rate_limiter(None)
    yield
    set_rate_limiter(None)


# ---- a real SMTP server (aiosmtpd) in-process ----------------------------------------------


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def link(self, to: str, path: str) -> str:
        for message in reversed(self.messages):
            if to.lower() in message["To"].lower():
                for part in message.walk():
                    if part.get_content_type() == "text/plain":
                        body = part.get_payload(decode=True).decode()
                        found = re.search(rf"https?://\S+{re.escape(path)}\?token=(\S+)", body)
                        if found:
                            return found.group(1)
        raise AssertionError(
            f"no {path} link mailed to {to}: {[m['Subject'] for m in self.messages]}"
        )


@pytest.fixture
def smtp(settings: Settings) -> Iterator[Inbox]:
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    assert port_open("127.0.0.1", port)
    configure_mail(
        settings.model_copy(
            update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False}
        )
    )
    try:
        yield inbox
    finally:
        configure_mail(settings)
        controller.stop()
