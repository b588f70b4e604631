"""Security headers: the REST set on JSON answers, the full document set on anything a browser
may show as a page, HSTS when configured."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from resumate.core.middleware import RequestContextMiddleware

DOCUMENT_ONLY = ("referrer-policy", "permissions-policy", "cross-origin-opener-policy")


def make_app(*, hsts: bool = False) -> FastAPI:
    app = FastAPI()

    @app.get("/json")
    async def as_json() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/problem")
    async def problem() -> Response:
        return Response(b"{}", media_type="application/problem+json; charset=utf-8")

    @app.get("/page")
    async def page() -> HTMLResponse:
        return HTMLResponse("<h1>hi</h1>")

    @app.get("/text")
    async def text() -> PlainTextResponse:
        return PlainTextResponse("hi")

    @app.get("/svg")
    async def svg() -> Response:
        return Response(b"<svg/>", media_type="image/svg+xml")

    app.add_middleware(RequestContextMiddleware, body_limit=lambda scope: 1024, hsts=hsts)
    return app


async def fetch(app: FastAPI, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.get(path)


@pytest.mark.parametrize("path", ["/json", "/problem"])
async def test_json_gets_the_rest_set(path: str) -> None:
    response = await fetch(make_app(), path)
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert len(headers["x-request-id"]) == 32
    assert not any(name in headers for name in DOCUMENT_ONLY)
    assert "strict-transport-security" not in headers


@pytest.mark.parametrize("path", ["/page", "/text", "/svg"])
async def test_anything_else_gets_the_document_set(path: str) -> None:
    response = await fetch(make_app(), path)
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["permissions-policy"]
    assert headers["cross-origin-opener-policy"] == "same-origin"
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert headers["x-request-id"]


async def test_docs_pages_get_their_own_csp() -> None:
    app = FastAPI()
    app.add_middleware(RequestContextMiddleware, body_limit=lambda scope: 1024)
    response = await fetch(app, "/docs")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    # Swagger UI and ReDoc come from the package: no CDN, no inline script.
    assert "script-src 'self';" in csp and "https:" not in csp and "worker-src 'self' blob:" in csp
    assert response.headers["referrer-policy"]


async def test_hsts_on_every_response_when_enabled() -> None:
    app = make_app(hsts=True)
    for path in ("/json", "/page"):
        response = await fetch(app, path)
        assert response.headers["strict-transport-security"].startswith("max-age=31536000")
