"""Live delivery: ONE listening PostgreSQL connection per process, fanned out in memory.

Every notification insert runs ``pg_notify('resumate_notifications', '<user>:<seq>')`` (a
trigger; PostgreSQL delivers it when the transaction commits, and never for a rolled-back one).
The hub of each server process LISTENs on that channel on a single connection and, when one of
its open streams belongs to that user, loads the new rows once (a short query on the pool) and
puts them on each of that user's stream queues. Session revocations arrive the same way on
``resumate_sessions`` and end the streams of that session.

If the listening connection drops, the hub reconnects and every stream catches up from the last
sequence number it delivered, so nothing committed meanwhile is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

import psycopg
import structlog

from resumate.core.db import get_database, libpq_url
from resumate.modules.notifications import service as notification_service

log = structlog.get_logger(__name__)

CHANNEL_NOTIFICATIONS = "resumate_notifications"
CHANNEL_SESSIONS = "resumate_sessions"
QUEUE_SIZE = 256


@dataclass(eq=False)
class Subscription:
    user_id: uuid.UUID
    session_id: uuid.UUID
    last_seq: int
    queue: asyncio.Queue[dict[str, Any] | None] = field(
        default_factory=lambda: asyncio.Queue(QUEUE_SIZE)
    )
    closed: bool = False
    # Recently delivered numbers: a notification whose transaction committed after a later
    # one (a smaller seq arriving late) is still delivered, exactly once.
    recent: deque[int] = field(default_factory=lambda: deque(maxlen=64))

    def mark(self, seq: int) -> None:
        self.recent.append(seq)
        self.last_seq = max(self.last_seq, seq)

    def close(self) -> None:
        """End the stream (the consumer sees None)."""
        if self.closed:
            return
        self.closed = True
        with contextlib.suppress(asyncio.QueueFull):
            self.queue.put_nowait(None)
        if self.queue.full():
            # A consumer this far behind reconnects and resumes from Last-Event-ID.
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(None)


def event_of(notification: Any) -> dict[str, Any]:
    return {
        "seq": notification.seq,
        "id": str(notification.id),
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "link": notification.link,
        "data": notification.data,
        "read_at": notification.read_at.isoformat() if notification.read_at else None,
        "created_at": notification.created_at.isoformat(),
    }


class Hub:
    def __init__(self) -> None:
        self.by_user: dict[uuid.UUID, set[Subscription]] = defaultdict(set)
        self.by_session: dict[uuid.UUID, set[Subscription]] = defaultdict(set)
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._stopping = False
        self.connected = False
        self.reconnects = 0

    # ---- subscriptions ------------------------------------------------------------------

    async def subscribe(
        self, *, user_id: uuid.UUID, session_id: uuid.UUID, last_seq: int
    ) -> Subscription:
        """Register a stream; the listener is running before this returns, so nothing
        committed after the caller's catch-up query is missed."""
        await self.start()
        subscription = Subscription(user_id=user_id, session_id=session_id, last_seq=last_seq)
        self.by_user[user_id].add(subscription)
        self.by_session[session_id].add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        subscription.closed = True
        for index, key in (
            (self.by_user, subscription.user_id),
            (self.by_session, subscription.session_id),
        ):
            members = index.get(key)
            if members is not None:
                members.discard(subscription)
                if not members:
                    del index[key]

    @property
    def stream_count(self) -> int:
        return sum(len(s) for s in self.by_user.values())

    # ---- the listener --------------------------------------------------------------------

    async def start(self) -> None:
        if self._task is None or self._task.done():
            self._stopping = False
            self._ready = asyncio.Event()
            self._task = asyncio.create_task(self._run(), name="notification-hub")
        await asyncio.wait_for(self._ready.wait(), timeout=30)

    async def stop(self) -> None:
        self._stopping = True
        for members in list(self.by_user.values()):
            for subscription in list(members):
                subscription.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    async def _run(self) -> None:
        delay = 0.5
        first = True
        while not self._stopping:
            try:
                url = libpq_url(get_database().url)
                async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL_NOTIFICATIONS}")
                    await conn.execute(f"LISTEN {CHANNEL_SESSIONS}")
                    self.connected = True
                    delay = 0.5
                    if not first:
                        self.reconnects += 1
                        log.info("notification hub reconnected")
                        await self._catch_up_all()
                    first = False
                    self._ready.set()
                    async for message in conn.notifies():
                        await self._dispatch(message.channel, message.payload)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("notification hub connection lost", error=repr(exc))
            finally:
                self.connected = False
            if self._stopping:
                break
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    async def _dispatch(self, channel: str, payload: str) -> None:
        try:
            if channel == CHANNEL_SESSIONS:
                for subscription in list(self.by_session.get(uuid.UUID(payload), ())):
                    subscription.close()
                return
            user_part, _, seq_part = payload.partition(":")
            user_id = uuid.UUID(user_part)
            seq = int(seq_part)
        except ValueError:
            log.warning("bad notification payload", channel=channel, payload=payload[:100])
            return
        subscribers = self.by_user.get(user_id)
        if not subscribers:
            return
        if all(seq in s.recent for s in subscribers):
            return
        await self._deliver(user_id, also=seq)

    async def _deliver(self, user_id: uuid.UUID, also: int | None = None) -> None:
        """Load what the user's streams have not had yet (one query) and queue it."""
        subscribers = list(self.by_user.get(user_id, ()))
        if not subscribers:
            return
        after = min(s.last_seq for s in subscribers)
        try:
            async with get_database().sessionmaker() as session:
                rows = await notification_service.since(
                    session,
                    user_id=user_id,
                    after_seq=after,
                    also=also if also is not None and also <= after else None,
                )
        except Exception as exc:
            log.warning("notification fan-out failed", error=repr(exc))
            return
        events = [event_of(row) for row in rows]
        for subscription in subscribers:
            for event in events:
                seq = event["seq"]
                if subscription.closed or seq in subscription.recent:
                    continue
                if seq <= subscription.last_seq and seq != also:
                    continue
                try:
                    subscription.queue.put_nowait(event)
                except asyncio.QueueFull:
                    subscription.close()
                    break
                subscription.mark(seq)

    async def _catch_up_all(self) -> None:
        for user_id in list(self.by_user):
            await self._deliver(user_id)


_hub: Hub | None = None


def get_hub() -> Hub:
    global _hub
    if _hub is None:
        _hub = Hub()
    return _hub


async def stop_hub() -> None:
    global _hub
    if _hub is not None:
        await _hub.stop()
        _hub = None
