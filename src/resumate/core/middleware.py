"""One pure-ASGI middleware for what every request needs: request id, access log, metrics,
security headers and the request body limit. Pure ASGI (not BaseHTTPMiddleware) keeps the
per-request cost low and streams bodies untouched."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import time
from collections.abc import Callable
from typing import Any

import structlog
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resumate.core.envelope import error_payload
from resumate.core.logging import log_access, request_id_var
from resumate.core.metrics import observe_request

log = structlog.get_logger("resumate.access")

_REQUEST_ID_OK = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

# On every response (the OWASP REST set): no MIME sniffing, never framed.
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
]
# On everything a browser may show as a page (any type but JSON): these only act on documents,
# and each header costs the server per response, so JSON answers go without them.
DOCUMENT_HEADERS: list[tuple[bytes, bytes]] = [
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# JSON is data, never a page: it may load nothing at all.
CSP_JSON = b"default-src 'none'; frame-ancestors 'none'"
# Pages: scripts only from our own files (htmx and app.js are served from the package), never
# inline; styles from our own files. Everything is same-origin.
CSP_DEFAULT = (
    b"default-src 'self'; script-src 'self'; img-src 'self' data: blob:; "
    b"style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; "
    b"form-action 'self'; object-src 'none'"
)
# Swagger UI and ReDoc, also from the package: their scripts are files too, but both set
# inline styles, and ReDoc runs its search in a blob: worker.
CSP_DOCS = (
    b"default-src 'self'; script-src 'self'; img-src 'self' data:; "
    b"style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; frame-ancestors 'none'; "
    b"base-uri 'self'; object-src 'none'"
)


class BodyTooLarge(HTTPException):
    """Raised while the body streams in. An HTTPException so FastAPI's body parsing passes it
    through unchanged (it turns other read errors into 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"Request body too large (limit {limit} bytes)")
        self.limit = limit


DOCS_PATHS = frozenset(("/docs", "/redoc"))


class _RequestIds:
    """32 hex characters: a random per-process prefix and a counter. Unique across processes
    and restarts without a system call per request (ids are for correlation, not secrets)."""

    def __init__(self) -> None:
        self.reseed()
        os.register_at_fork(after_in_child=self.reseed)

    def reseed(self) -> None:
        self._prefix = os.urandom(8).hex()
        self._counter = itertools.count(int.from_bytes(os.urandom(4), "big"))

    def __call__(self) -> str:
        # The counter's 8 bytes in hex: about half the instructions of a format spec.
        return self._prefix + (next(self._counter) & 0xFFFFFFFFFFFFFFFF).to_bytes(8).hex()


new_request_id = _RequestIds()


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
        # The headers added to responses, built once: JSON, documents, the API docs pages.
        common = list(SECURITY_HEADERS)
        if hsts:
            common.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        self._headers_json = (*common, (b"content-security-policy", CSP_JSON))
        self._headers_default = (
            *common,
            *DOCUMENT_HEADERS,
            (b"content-security-policy", CSP_DEFAULT),
        )
        self._headers_docs = (*common, *DOCUMENT_HEADERS, (b"content-security-policy", CSP_DOCS))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = time.perf_counter()
        request_id: str | None = None
        declared: int | None = None
        chunked = expect_continue = False
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                candidate = value.decode("latin-1")
                if _REQUEST_ID_OK.match(candidate):
                    request_id = candidate
            elif name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = None
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"expect":
                expect_continue = value.lower() == b"100-continue"
        if request_id is None:
            request_id = new_request_id()
        state = scope.get("state")
        if state is None:
            state = scope["state"] = {}
        state["request_id"] = request_id
        token = request_id_var.set(request_id)
        path: str = scope["path"]
        request_id_header = (b"x-request-id", request_id.encode())
        document_headers = self._headers_docs if path in DOCS_PATHS else self._headers_default
        json_headers = self._headers_json
        status = 500
        response_started = False
        # A request that announces no body (most GETs) has nothing to limit or drain: it keeps
        # the server's receive and shares one finished body state (about 1 µs less each).
        has_body = chunked or bool(declared)
        body = _BodyState(pending=True) if has_body else _NO_BODY

        async def send_wrapper(message: Message) -> None:
            nonlocal status, response_started
            if (
                message["type"] == "http.response.body"
                and not message.get("more_body", False)
                and body.pending
                and not (expect_continue and not body.asked)
                and (declared or 0) <= DRAIN_BYTES
            ):
                # Answering before the request body was read (413, 401 on an upload...): the
                # server would close with the body unread and the client, still sending, gets a
                # reset instead of the answer. Hand over the answer, then read the rest of the
                # body (bounded) so the client can finish sending and read it.
                await send({**message, "more_body": True})
                await _drain(receive, body)
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                headers = message.get("headers", ())
                extra = document_headers
                for name, value in headers:
                    if name == b"content-type":
                        if _is_json(value):
                            extra = json_headers
                        break
                message["headers"] = [*headers, request_id_header, *extra]
            await send(message)

        try:
            app_receive = receive
            if has_body or declared is not None:  # no limit to look up for a bodiless request
                limit = self.body_limit(scope)
                if declared is not None and declared > limit:
                    raise BodyTooLarge(limit)
                if has_body:
                    app_receive = _limited_receive(receive, limit, body)
            await self.app(scope, app_receive, send_wrapper)
        except BodyTooLarge as exc:
            if response_started:
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
            if response_started:
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
            template = getattr(scope.get("route"), "path", None) or "<unmatched>"
            method: str = scope["method"]
            observe_request(method, template, status, duration)
            log_access(
                method,
                path,
                template,
                status,
                duration * 1000,
                state.get("user_id"),
                (scope.get("client") or ("", 0))[0],
            )
            request_id_var.reset(token)


def _is_json(content_type: bytes) -> bool:
    if content_type == b"application/json":  # what JSONResponse sends
        return True
    media = content_type.split(b";", 1)[0].strip().lower()
    return media == b"application/json" or (
        media.startswith(b"application/") and media.endswith(b"+json")
    )


# After an early answer, read at most this much of the rest of a request body, for at most
# DRAIN_SECONDS, then close (a client sending more than that gets a reset, not our time).
DRAIN_BYTES = 64 * 1024 * 1024
DRAIN_SECONDS = 30.0


class _BodyState:
    __slots__ = ("asked", "pending", "received")

    def __init__(self, *, pending: bool) -> None:
        self.pending = pending  # a body was announced and its end not yet received
        self.asked = False  # the application asked for (part of) the body
        self.received = 0


# The body state of every request that announced no body: never pending, never changed (only
# `_limited_receive` and `_drain` change a state, and neither runs for such a request).
_NO_BODY = _BodyState(pending=False)


def _limited_receive(receive: Receive, limit: int, body: _BodyState) -> Receive:
    async def wrapper() -> Message:
        body.asked = True
        message = await receive()
        if message["type"] == "http.request":
            body.received += len(message.get("body", b""))
            if not message.get("more_body", False):
                body.pending = False
            if body.received > limit:
                raise BodyTooLarge(limit)
        elif message["type"] == "http.disconnect":
            body.pending = False
        return message

    return wrapper


async def _drain(receive: Receive, body: _BodyState) -> None:
    drained = 0

    async def read_rest() -> None:
        nonlocal drained
        while body.pending and drained < DRAIN_BYTES:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                body.pending = False
            drained += len(message.get("body", b""))

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(read_rest(), DRAIN_SECONDS)


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
