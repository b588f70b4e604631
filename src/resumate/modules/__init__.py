"""Feature modules. ``routers()`` lists the routers mounted under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from resumate.modules.analytics.router import router as analytics_router
    from resumate.modules.auth.router import router as auth_router
    from resumate.modules.billing.router import router as billing_router
    from resumate.modules.cvs.router import router as cvs_router
    from resumate.modules.dashboard.router import router as dashboard_router
    from resumate.modules.jobs.router import router as jobs_router
    from resumate.modules.notifications.router import router as notifications_router
    from resumate.modules.resumes.public import router as public_router
    from resumate.modules.resumes.router import router as resumes_router
    from resumate.modules.templates.router import router as templates_router
    from resumate.modules.users.router import router as users_router

    return [
        auth_router,
        users_router,
        templates_router,
        resumes_router,
        public_router,
        cvs_router,
        jobs_router,
        billing_router,
        notifications_router,
        analytics_router,
        dashboard_router,
    ]


def site_routers() -> list[APIRouter]:
    """Routers mounted outside /api/v1 (public pages)."""
    from resumate.modules.resumes.public import short_router
    from resumate.web.router import router as web_router

    return [short_router, web_router]
