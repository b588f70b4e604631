"""The periodic analytics job: roll complete days up, then prune old raw events."""

from __future__ import annotations

import structlog

from resumate.config import get_settings
from resumate.core.db import get_database
from resumate.core.queue import queue
from resumate.modules.analytics import service as analytics_service

log = structlog.get_logger(__name__)


@queue.periodic(cron="17 * * * *", periodic_id="analytics_rollup")
@queue.task(name="analytics_rollup", queueing_lock="analytics_rollup", pass_context=False)
async def analytics_rollup(timestamp: int) -> None:
    await roll_up_and_prune()


async def roll_up_and_prune() -> dict[str, int]:
    database = get_database()
    async with database.sessionmaker() as session, session.begin():
        rolled = await analytics_service.roll_up(session)
    pruned = 0
    retention = get_settings().analytics_retention_days
    while True:  # in batches, each its own transaction, so the table is never locked for long
        async with database.sessionmaker() as session, session.begin():
            count = await analytics_service.prune(session, retention_days=retention)
        pruned += count
        if count == 0:
            break
    if rolled["days"] or pruned:
        log.info("analytics rolled up", days=rolled["days"], pruned=pruned)
    return {"days": int(rolled["days"]), "pruned": pruned}
