"""Exception handlers: every error leaves as the envelope of API.md."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from resumate.core.envelope import error_payload
from resumate.core.errors import STATUS_CODES, AppError

log = structlog.get_logger(__name__)


def _json_path(loc: tuple[Any, ...] | list[Any]) -> str:
    path = "$"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def validation_details(errors: list[Any]) -> list[dict[str, Any]]:
    details = []
    for err in errors:
        loc = list(err.get("loc", ()))
        source = loc[0] if loc and loc[0] in ("body", "query", "path", "header", "cookie") else None
        if source:
            loc = loc[1:]
        details.append(
            {
                "path": _json_path(loc),
                "in": source or "body",
                "message": err.get("msg", "invalid"),
                "type": err.get("type", "value_error"),
            }
        )
    return details


async def app_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return JSONResponse(
        error_payload(exc.code, exc.message, exc.details),
        status_code=exc.status,
        headers=exc.headers or None,
    )


async def http_exception_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = STATUS_CODES.get(
        exc.status_code, "INTERNAL_ERROR" if exc.status_code >= 500 else "ERROR"
    )
    if exc.status_code == 404 and exc.detail == "Not Found":
        message = f"No route {request.method} {request.url.path}"
    elif exc.status_code == 405:
        message = f"Method {request.method} not allowed on {request.url.path}"
    else:
        message = str(exc.detail)
    return JSONResponse(
        error_payload(code, message),
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


async def validation_exception_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(err.get("type") == "json_invalid" for err in errors):
        return JSONResponse(
            error_payload(
                "VALIDATION_ERROR",
                "Malformed JSON in the request body",
                {"errors": validation_details(errors)},
            ),
            status_code=400,
        )
    details = validation_details(errors)
    first = details[0] if details else {"path": "$", "message": "invalid"}
    return JSONResponse(
        error_payload(
            "VALIDATION_ERROR",
            f"Invalid request: {first['path']}: {first['message']}",
            {"errors": details},
        ),
        status_code=422,
    )


async def database_unavailable_handler(request: Request, exc: Exception) -> JSONResponse:
    """No connection could be had (pool exhausted, database down): a retryable 503, not a 500."""
    log.warning("database unavailable", error=type(exc).__name__, path=request.url.path)
    return JSONResponse(
        error_payload("SERVICE_UNAVAILABLE", "The database is busy or unreachable; retry shortly"),
        status_code=503,
        headers={"Retry-After": "2"},
    )


async def storage_unavailable_handler(request: Request, exc: Exception) -> JSONResponse:
    """The file store (S3) did not answer: retryable, like the database."""
    log.warning("storage unavailable", error=str(exc)[:300], path=request.url.path)
    return JSONResponse(
        error_payload("SERVICE_UNAVAILABLE", "File storage is unreachable; retry shortly"),
        status_code=503,
        headers={"Retry-After": "5"},
    )


def install_exception_handlers(app: FastAPI) -> None:
    from sqlalchemy.exc import InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    from resumate.core.storage import StorageUnavailable

    for exc_type in (PoolTimeout, OperationalError, InterfaceError):
        app.add_exception_handler(exc_type, database_unavailable_handler)
    app.add_exception_handler(StorageUnavailable, storage_unavailable_handler)
    app.add_exception_handler(AppError, app_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_exception_handler)
    app.add_exception_handler(RequestValidationError, validation_exception_handler)
