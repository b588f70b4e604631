"""Periodic clean-up of expired sessions and one-time tokens."""

from __future__ import annotations

from resumate.core.db import get_database
from resumate.core.queue import register_maintenance
from resumate.modules.auth import service as auth_service


@register_maintenance
async def cleanup_expired_auth() -> None:
    async with get_database().sessionmaker() as session, session.begin():
        await auth_service.cleanup_expired(session)
