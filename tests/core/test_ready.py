"""/health/ready: 200 when every dependency answers, 503 naming the failing one, and back."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from resumate.app import create_app
from resumate.config import Settings
from resumate.core import db as db_module
from resumate.core.pgserver import start_embedded, stop_embedded
from tests.conftest import port_open, require_service


async def get_ready(app: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.get("/health/ready")


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def restore_database(database: db_module.Database) -> Iterator[None]:
    """Tests here swap the global database; put the session's back whatever happens."""
    yield
    db_module.set_database(database)


async def test_ready_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"] == "ok"
    assert "redis" not in body["checks"]


async def test_ready_follows_the_database_down_and_back(
    tmp_path: Path, settings: Settings, restore_database: None
) -> None:
    data_dir = tmp_path / "second"
    server = start_embedded(data_dir, database="x")
    database = db_module.Database(server.url("x"), pool_size=2, max_overflow=0, connect_timeout=2)
    app = create_app(settings, manage_resources=False)
    db_module.set_database(database)
    try:
        response = await get_ready(app)
        assert response.status_code == 200, response.text
        assert response.json()["checks"]["database"] == "ok"

        stop_embedded(data_dir)
        assert not (server.pgdata / "postmaster.pid").exists(), "the server did not stop"

        response = await get_ready(app)
        assert response.status_code == 503, response.text
        body = response.json()
        assert body["status"] == "unavailable"
        assert body["failing"] == ["database"]
        assert body["checks"]["database"].startswith("error")
        assert "password" not in response.text and str(server.socket_dir) not in response.text

        restarted = start_embedded(data_dir, database="x")
        assert restarted.url("x") == server.url("x")
        response = await get_ready(app)
        assert response.status_code == 200, response.text
        assert response.json() == {"status": "ready", "checks": {"database": "ok"}}
    finally:
        await database.dispose()
        stop_embedded(data_dir)


async def test_ready_without_database_initialised_is_503(
    settings: Settings, restore_database: None
) -> None:
    app = create_app(settings, manage_resources=False)
    db_module.set_database(None)
    response = await get_ready(app)
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]


@pytest.fixture
async def redis_app(settings: Settings, database: db_module.Database) -> AsyncIterator[FastAPI]:
    require_service("redis", port_open("127.0.0.1", 6379), "no Redis on 127.0.0.1:6379")
    yield create_app(
        settings.model_copy(update={"redis_url": "redis://127.0.0.1:6379/0"}),
        manage_resources=False,
    )


async def test_ready_checks_redis_when_configured(redis_app: FastAPI) -> None:
    response = await get_ready(redis_app)
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


async def test_ready_degraded_not_down_when_redis_unreachable(
    settings: Settings, database: db_module.Database
) -> None:
    # Redis is only a cache and shared rate limits: without it the instance still serves.
    port = closed_port()
    app = create_app(
        settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{port}/0"}),
        manage_resources=False,
    )
    response = await get_ready(app)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "degraded"
    assert body["degraded"] == ["redis"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("error")
