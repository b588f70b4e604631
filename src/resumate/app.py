"""The application factory."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.types import ASGIApp, Scope

from resumate import __version__
from resumate.config import Settings, ensure_secrets, get_settings, set_settings
from resumate.core import db as db_module
from resumate.core import storage as storage_module
from resumate.core.envelope import ErrorEnvelope
from resumate.core.handlers import install_exception_handlers
from resumate.core.logging import configure_logging
from resumate.core.metrics import render_metrics
from resumate.core.middleware import RequestContextMiddleware
from resumate.core.queue import QueueRunner

log = structlog.get_logger(__name__)

API_PREFIX = "/api/v1"

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": description}
    for status, description in (
        (400, "Malformed request"),
        (401, "Not authenticated"),
        (403, "Forbidden"),
        (404, "Not found"),
        (413, "Payload too large"),
        (422, "Validation error"),
        (429, "Rate limited"),
        (500, "Internal error"),
    )
}


def api_router() -> APIRouter:
    """All feature routers under /api/v1."""
    router = APIRouter(prefix=API_PREFIX, responses=ERROR_RESPONSES)
    from resumate.modules import routers

    for feature_router in routers():
        router.include_router(feature_router)
    return router


def _body_limit(settings: Settings) -> Any:
    upload_paths = (f"{API_PREFIX}/cvs", f"{API_PREFIX}/templates", "/app/cvs")
    upload_limit = settings.max_upload_bytes + 64 * 1024  # multipart framing

    def limit(scope: Scope) -> int:
        if scope["method"] in ("POST", "PUT", "PATCH") and scope["path"].startswith(upload_paths):
            return max(upload_limit, settings.max_body_bytes)
        return settings.max_body_bytes

    return limit


class ResumateAPI(FastAPI):
    """FastAPI with one layer less on every request.

    Starlette puts ``ServerErrorMiddleware`` around everything. With no handler of its own for
    500/``Exception`` and debug off, all it does is answer an exception with a plain-text 500
    and raise it again; ``RequestContextMiddleware`` below it already answers every exception
    with the JSON 500 of API.md and lets one through only once the response has started, which
    ServerErrorMiddleware would raise again unchanged. So the layer (a frame and a send wrapper
    per request) is left out; with a 500 handler or in debug mode the stack is Starlette's.
    """

    def build_middleware_stack(self) -> ASGIApp:
        app = super().build_middleware_stack()
        if (
            isinstance(app, ServerErrorMiddleware)
            and app.handler is None
            and not app.debug
            and any(m.cls is RequestContextMiddleware for m in self.user_middleware)
        ):
            return app.app
        return app


def create_app(
    settings: Settings | None = None,
    *,
    manage_resources: bool = True,
) -> FastAPI:
    """Build the app. With ``manage_resources=False`` the caller (tests) provides the
    database and storage through ``core.db.set_database`` / ``core.storage.set_storage``."""
    settings = ensure_secrets(settings or get_settings())
    set_settings(settings)
    configure_logging(settings.log_level, json=settings.log_json)
    from resumate.registry import import_all_tasks

    import_all_tasks()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runner: QueueRunner | None = None
        if manage_resources:
            url = await asyncio.to_thread(db_module.resolve_database_url, settings)
            database = db_module.Database(
                url,
                pool_size=settings.db_pool_size,
                max_overflow=settings.db_max_overflow,
                connect_timeout=settings.db_connect_timeout,
                pool_timeout=settings.db_pool_timeout,
            )
            db_module.set_database(database)
            storage_module.set_storage(build_storage(settings))
            runner = QueueRunner(
                db_module.libpq_url(url),
                concurrency=settings.worker_concurrency,
                run_worker=settings.worker_in_process,
                stall_seconds=settings.job_stall_seconds,
            )
            await runner.start()
            # Render processes spawn and warm up in the background: no slow first PDF.
            from resumate.modules.resumes.service import start_render_pool

            start_render_pool()
            # The embedding model and (where jobs run here) the CV analysis processes too.
            from resumate.ai.warmup import start_warm_up

            start_warm_up(settings, analysis=settings.worker_in_process)
            # Everything built so far (modules, routes, settings, pools) lives as long as the
            # process: take it out of the cyclic collector's reach, so the full collections
            # that request garbage triggers scan only request objects (over the ~200k startup
            # objects, each took 70-100 ms: a stall for every request in flight).
            gc.collect()
            gc.freeze()
        log.info("resumate started", version=__version__, env=settings.env)
        try:
            yield
        finally:
            from resumate.ai.isolated import close_analysis_pool
            from resumate.modules.billing.paypal import close_clients
            from resumate.modules.resumes.service import close_render_pool

            await asyncio.to_thread(close_render_pool)
            await asyncio.to_thread(close_analysis_pool)
            await close_clients()
            from resumate.modules.embeddings.service import close_embedders

            await close_embedders()
            from resumate.modules.notifications.hub import stop_hub

            await stop_hub()
            if manage_resources:
                if runner is not None:
                    await runner.stop()
                await db_module.get_database().dispose()
                db_module.set_database(None)
            log.info("resumate stopped")

    app = ResumateAPI(
        title="Resumate API",
        version=__version__,
        description="Self-hostable AI resume and CV platform. Contract: shared/API.md.",
        lifespan=lifespan,
        # Swagger UI and ReDoc are served from the package by the web app (no CDN).
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    install_exception_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "X-CSRF-Token",
                "X-Request-ID",
                "If-Match",
            ],
            expose_headers=["X-Request-ID", "ETag", "Retry-After"],
        )
    app.add_middleware(
        RequestContextMiddleware,
        body_limit=_body_limit(settings),
        hsts=settings.is_production,
    )
    _add_operations_routes(app)
    app.include_router(api_router())
    from resumate.modules import site_routers

    for router in site_routers():
        app.include_router(router)
    return app


def build_storage(settings: Settings) -> storage_module.Storage:
    if settings.storage_backend == "s3":
        if not settings.s3_bucket:
            raise RuntimeError("RESUMATE_S3_BUCKET must be set when RESUMATE_STORAGE_BACKEND=s3")
        return storage_module.S3Storage(
            settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            prefix=settings.s3_prefix,
            presign=settings.s3_presign_downloads,
            presign_expiry=settings.s3_presign_expiry,
            part_size=settings.s3_part_size,
        )
    return storage_module.LocalStorage(settings.storage_dir)


def _add_operations_routes(app: FastAPI) -> None:
    @app.get("/health", tags=["operations"], include_in_schema=True)
    async def health() -> dict[str, str]:
        """Liveness: 200 while the process serves."""
        return {"status": "ok"}

    @app.get("/health/ready", tags=["operations"])
    async def ready(request: Request) -> JSONResponse:
        """Readiness: 200 when the database answers (``degraded`` if Redis does not), else 503."""
        checks: dict[str, str] = {}
        healthy = True
        try:
            await db_module.get_database().ping(timeout=2.0)
            checks["database"] = "ok"
        except Exception as exc:
            healthy = False
            checks["database"] = f"error: {type(exc).__name__}"
        settings: Settings = request.app.state.settings
        degraded: list[str] = []
        if settings.redis_url:
            # Redis only speeds things up (cache, shared rate limits): without it the service
            # still serves, so it makes the instance degraded, not unready.
            from resumate.core.redis import breaker, ping_redis

            try:
                await ping_redis(settings.redis_url)
                checks["redis"] = "ok"
                breaker.success()
            except Exception as exc:
                degraded.append("redis")
                checks["redis"] = f"error: {type(exc).__name__}"
        if healthy and degraded:
            return JSONResponse({"status": "degraded", "checks": checks, "degraded": degraded})
        if healthy:
            return JSONResponse({"status": "ready", "checks": checks})
        failing = [name for name, value in checks.items() if value != "ok"]
        return JSONResponse(
            {"status": "unavailable", "checks": checks, "failing": failing}, status_code=503
        )

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    async def metrics() -> Response:
        body, content_type = render_metrics()
        return Response(body, media_type=content_type)
