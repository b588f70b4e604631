"""One pure-ASGI middleware for what every request needs: request id, access log, metrics,
security headers and the request body limit. Pure ASGI (not BaseHTTPMiddleware) keeps the
per-request cost low and streams bodies untouched."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resumate.core.envelope import error_payload
from resumate.core.metrics import LATENCY, REQUESTS

log = structlog.get_logger("resumate.access")

_REQUEST_ID_OK = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# The docs pages load Swagger UI from a CDN; everything else is same-origin only.
CSP_DEFAULT = (
    b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    b"frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
CSP_DOCS = (
    b"default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline' https:; "
    b"script-src 'self' 'unsafe-inline' https:; frame-ancestors 'none'"
)


class BodyTooLarge(HTTPException):
    """Raised while the body streams in. An HTTPException so FastAPI's body parsing passes it
    through unchanged (it turns other read errors into 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"Request body too large (limit {limit} bytes)")
        self.limit = limit


class RequestContextMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        body_limit: Callable[[Scope], int],
        hsts: bool = False,
    ) -> None:
        self.app = app
        self.body_limit = body_limit
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = time.perf_counter()
        request_id = _incoming_request_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        status_holder = {"status": 500, "started": False}
        path: str = scope["path"]
        csp = CSP_DOCS if path in ("/docs", "/redoc") else CSP_DEFAULT

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                headers.extend(SECURITY_HEADERS)
                headers.append((b"content-security-policy", csp))
                if self.hsts:
                    headers.append(
                        (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
                    )
                message["headers"] = headers
            await send(message)

        limit = self.body_limit(scope)
        receive_wrapper = receive
        declared = _content_length(scope)
        try:
            if declared is not None and declared > limit:
                raise BodyTooLarge(limit)
            receive_wrapper = _limited_receive(receive, limit)
            await self.app(scope, receive_wrapper, send_wrapper)
        except BodyTooLarge as exc:
            if status_holder["started"]:
                raise
            await _send_json(
                send_wrapper,
                413,
                error_payload(
                    "PAYLOAD_TOO_LARGE",
                    f"Request body too large (limit {exc.limit} bytes)",
                    {"limit_bytes": exc.limit},
                ),
            )
        except Exception:
            # Anything our handlers did not map: log it with the request id, answer a bare 500.
            log.exception("unhandled error", method=scope["method"], path=path)
            if status_holder["started"]:
                raise
            await _send_json(
                send_wrapper,
                500,
                error_payload(
                    "INTERNAL_ERROR",
                    f"Internal error; quote request id {request_id} when reporting it",
                    {"request_id": request_id},
                ),
            )
        finally:
            duration = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", None) or "<unmatched>"
            method = scope["method"]
            status = status_holder["status"]
            REQUESTS.labels(method, template, str(status)).inc()
            LATENCY.labels(method, template).observe(duration)
            state = scope.get("state", {})
            log.info(
                "request",
                method=method,
                path=path,
                route=template,
                status=status,
                duration_ms=round(duration * 1000, 2),
                user_id=state.get("user_id"),
                client=(scope.get("client") or ("", 0))[0],
            )
            structlog.contextvars.unbind_contextvars("request_id")


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            return candidate if _REQUEST_ID_OK.match(candidate) else None
    return None


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _limited_receive(receive: Receive, limit: int) -> Receive:
    received = 0

    async def wrapper() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
        return message

    return wrapper


async def _send_json(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
