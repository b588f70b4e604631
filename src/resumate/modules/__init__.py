"""Feature modules. ``routers()`` lists the routers mounted under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    return []
