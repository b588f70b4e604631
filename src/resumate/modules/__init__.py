"""Feature modules. ``routers()`` lists the routers mounted under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from resumate.modules.auth.router import router as auth_router
    from resumate.modules.users.router import router as users_router

    return [auth_router, users_router]
