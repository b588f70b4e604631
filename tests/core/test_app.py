"""Every error path leaves as the API.md envelope, with a request id and security headers."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict

from resumate.app import create_app
from resumate.config import Settings
from resumate.core.errors import Conflict, NotFound


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    count: int


@pytest.fixture(scope="module")
def error_app(settings: Settings, database, storage) -> FastAPI:  # type: ignore[no-untyped-def]
    app = create_app(settings, manage_resources=False)

    @app.post("/api/v1/_test/items")
    async def create_item(item: Item) -> dict[str, object]:
        return {"success": True, "data": item.model_dump()}

    @app.get("/api/v1/_test/conflict")
    async def conflict() -> None:
        raise Conflict("Email already registered", details={"field": "email"})

    @app.get("/api/v1/_test/missing")
    async def missing() -> None:
        raise NotFound("Resume not found")

    @app.get("/api/v1/_test/http")
    async def http_error() -> None:
        raise HTTPException(status_code=403, detail="nope")

    @app.get("/api/v1/_test/boom")
    async def boom() -> None:
        raise RuntimeError("SELECT secret FROM internals -- must not leak")

    return app


@pytest.fixture
async def eclient(error_app: FastAPI):  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=error_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    assert body["data"] is None
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "meta" in body
    assert response.headers["x-request-id"]
    return body  # type: ignore[no-any-return]


async def test_unknown_route_is_404_envelope(eclient: httpx.AsyncClient) -> None:
    assert_error(await eclient.get("/api/v1/does-not-exist"), 404, "NOT_FOUND")
    assert_error(await eclient.get("/nothing-here"), 404, "NOT_FOUND")


async def test_method_not_allowed(eclient: httpx.AsyncClient) -> None:
    assert_error(await eclient.delete("/health"), 405, "METHOD_NOT_ALLOWED")


async def test_malformed_json_is_400(eclient: httpx.AsyncClient) -> None:
    response = await eclient.post(
        "/api/v1/_test/items",
        content=b'{"name": "x", ',
        headers={"content-type": "application/json"},
    )
    assert_error(response, 400, "VALIDATION_ERROR")


async def test_validation_error_names_each_path(eclient: httpx.AsyncClient) -> None:
    response = await eclient.post("/api/v1/_test/items", json={"name": 3, "extra": True})
    body = assert_error(response, 422, "VALIDATION_ERROR")
    paths = {err["path"] for err in body["error"]["details"]["errors"]}  # type: ignore[index]
    assert {"$.name", "$.count", "$.extra"} <= paths


async def test_domain_errors_render_their_code(eclient: httpx.AsyncClient) -> None:
    body = assert_error(await eclient.get("/api/v1/_test/conflict"), 409, "CONFLICT")
    assert body["error"]["details"] == {"field": "email"}  # type: ignore[index]
    assert_error(await eclient.get("/api/v1/_test/missing"), 404, "NOT_FOUND")
    assert_error(await eclient.get("/api/v1/_test/http"), 403, "FORBIDDEN")


async def test_unexpected_exception_is_500_without_internals(
    eclient: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    response = await eclient.get("/api/v1/_test/boom", headers={"X-Request-ID": "req-123"})
    body = assert_error(response, 500, "INTERNAL_ERROR")
    assert "SELECT" not in response.text and "Traceback" not in response.text
    assert response.headers["x-request-id"] == "req-123"
    assert "req-123" in body["error"]["message"]  # type: ignore[index]
    logged = capsys.readouterr().err
    assert "unhandled error" in logged and "req-123" in logged and "RuntimeError" in logged


async def test_request_id_echoed_or_generated(eclient: httpx.AsyncClient) -> None:
    given = await eclient.get("/health", headers={"X-Request-ID": "abc-42"})
    assert given.headers["x-request-id"] == "abc-42"
    generated = await eclient.get("/health")
    assert len(generated.headers["x-request-id"]) >= 16
    hostile = await eclient.get("/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert hostile.headers["x-request-id"] != "bad id\twith spaces"


async def test_security_headers(eclient: httpx.AsyncClient) -> None:
    response = await eclient.get("/health")
    assert response.json() == {"status": "ok"}
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_body_limit_by_content_length(eclient: httpx.AsyncClient, settings: Settings) -> None:
    payload = {"name": "x" * (settings.max_body_bytes + 10), "count": 1}
    response = await eclient.post("/api/v1/_test/items", json=payload)
    assert_error(response, 413, "PAYLOAD_TOO_LARGE")


async def test_bodiless_requests_leave_the_body_limit_to_requests_with_a_body(
    eclient: httpx.AsyncClient, settings: Settings
) -> None:
    """GETs without a body share one finished body state; it stays finished, and a body sent
    after them is still limited."""
    from resumate.core.middleware import _NO_BODY

    for _ in range(3):
        assert (await eclient.get("/health")).status_code == 200
    assert (_NO_BODY.pending, _NO_BODY.asked, _NO_BODY.received) == (False, False, 0)
    payload = {"name": "x" * (settings.max_body_bytes + 10), "count": 1}
    assert_error(await eclient.post("/api/v1/_test/items", json=payload), 413, "PAYLOAD_TOO_LARGE")
    ok = await eclient.post("/api/v1/_test/items", json={"name": "small", "count": 1})
    assert ok.status_code < 300, ok.text
    assert (_NO_BODY.pending, _NO_BODY.asked, _NO_BODY.received) == (False, False, 0)


async def test_body_limit_while_streaming(eclient: httpx.AsyncClient, settings: Settings) -> None:
    chunk = b"x" * 65536
    total = settings.max_body_bytes + len(chunk)

    async def body():  # type: ignore[no-untyped-def]
        sent = 0
        yield b'{"name": "'
        while sent < total:
            yield chunk
            sent += len(chunk)
        yield b'", "count": 1}'

    # No Content-Length: the limit must hold while the body streams in.
    response = await eclient.post(
        "/api/v1/_test/items", content=body(), headers={"content-type": "application/json"}
    )
    assert_error(response, 413, "PAYLOAD_TOO_LARGE")


async def test_access_log_line(
    eclient: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    await eclient.get("/health", headers={"X-Request-ID": "log-check-1"})
    lines = [
        json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")
    ]
    access = [
        line
        for line in lines
        if line.get("event") == "request" and line.get("request_id") == "log-check-1"
    ]
    assert access, lines
    entry = access[0]
    assert entry["method"] == "GET" and entry["path"] == "/health" and entry["status"] == 200
    assert entry["duration_ms"] >= 0 and "user_id" in entry


async def test_metrics_by_route_template(eclient: httpx.AsyncClient) -> None:
    await eclient.get("/health")
    await eclient.get("/api/v1/does-not-exist-42")
    response = await eclient.get("/metrics")
    assert response.status_code == 200
    text = response.text
    assert 'resumate_http_requests_total{method="GET",route="/health",status="200"}' in text
    assert "resumate_http_request_duration_seconds_bucket" in text
    assert "does-not-exist-42" not in text  # raw paths never become labels


async def test_openapi_served(eclient: httpx.AsyncClient) -> None:
    response = await eclient.get("/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Resumate API"


def test_logging_goes_through_structlog() -> None:
    logging.getLogger("resumate.test").info("stdlib line")


async def test_database_pool_timeout_is_a_503(settings: Settings, database, storage) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    app = create_app(settings, manage_resources=False)

    @app.get("/api/v1/_test/pool")
    async def pool_exhausted() -> None:
        raise PoolTimeout("QueuePool limit of size 10 overflow 10 reached")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/api/v1/_test/pool")
    assert_error(response, 503, "SERVICE_UNAVAILABLE")
    assert response.headers["retry-after"] == "2"
