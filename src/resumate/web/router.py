"""The web app: server-rendered pages on the same services as the API (Jinja2 + htmx).
Pages live outside /api/v1; each feature's pages are in their own module."""

from __future__ import annotations

from fastapi import APIRouter

from resumate.web import auth, billing, cvs, jobs, notifications, pages, resumes, settings

router = APIRouter(include_in_schema=False)
for feature in (pages, auth, resumes, cvs, jobs, billing, notifications, settings):
    router.include_router(feature.router)
