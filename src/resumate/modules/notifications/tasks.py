"""The digest mail of notifications that arrived within the hour after a mail of their kind."""

from __future__ import annotations

import uuid

from resumate.core.db import get_database
from resumate.core.queue import queue
from resumate.modules.notifications import service as notification_service


@queue.task(name="send_notification_digest", pass_context=False)
async def send_notification_digest(user_id: str, kind: str) -> None:
    async with get_database().sessionmaker() as session, session.begin():
        await notification_service.send_digest(session, user_id=uuid.UUID(user_id), kind=kind)
