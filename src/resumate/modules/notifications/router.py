"""My notifications: list, mark read, live stream (Server-Sent Events), mail settings and the
one-click unsubscribe link of notification mails."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import deque
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import HTMLResponse, StreamingResponse

from resumate.config import get_settings
from resumate.core.db import SessionDep
from resumate.core.envelope import Envelope, PageParams, ok, paginated
from resumate.core.errors import ServiceUnavailable, ValidationFailed
from resumate.modules.auth.dependencies import CurrentPrincipal, CurrentUser
from resumate.modules.notifications import hub as hub_module
from resumate.modules.notifications import service as notification_service
from resumate.modules.notifications.schemas import (
    NotificationRead,
    NotificationSettingsRead,
    NotificationSettingsUpdate,
    ReadAllResult,
    Unsubscribed,
)

router = APIRouter(tags=["notifications"])


@router.get("/notifications")
async def list_notifications(
    user: CurrentUser,
    session: SessionDep,
    page: Annotated[PageParams, Query()] = PageParams(),
    unread: Annotated[bool | None, Query(description="true: only unread; false: only read")] = None,
) -> Envelope[list[NotificationRead]]:
    """My notifications, newest first."""
    items, total = await notification_service.list_notifications(
        session, user_id=user.id, unread=unread, page=page
    )
    result = paginated(
        [NotificationRead.model_validate(n) for n in items], total=total, params=page
    )
    result.meta["unread"] = await notification_service.unread_count(session, user_id=user.id)
    return result


@router.post("/notifications/read-all")
async def read_all(user: CurrentUser, session: SessionDep) -> Envelope[ReadAllResult]:
    """Mark all my notifications read."""
    marked = await notification_service.mark_all_read(session, user_id=user.id)
    return ok(ReadAllResult(marked=marked))


@router.post("/notifications/{id}/read", responses={404: {}})
async def read_one(
    id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> Envelope[NotificationRead]:
    """Mark one of my notifications read."""
    notification = await notification_service.mark_read(
        session, user_id=user.id, notification_id=id
    )
    return ok(NotificationRead.model_validate(notification))


def _sse(event: dict[str, Any]) -> bytes:
    data = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event['seq']}\nevent: notification\ndata: {data}\n\n".encode()


def _parse_last_id(*values: str | None) -> int | None:
    for value in values:
        if value is None:
            continue
        value = value.strip()
        # ASCII digits only (int() would also take other scripts' digits).
        if not (value.isascii() and value.isdigit() and len(value) <= 18):
            raise ValidationFailed(
                "Last-Event-ID must be the seq number of a notification (digits)",
                details={"errors": [{"path": "$.last_event_id", "message": "not a seq number"}]},
            )
        return int(value)
    return None


@router.get(
    "/notifications/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events"}},
)
async def stream(
    principal: CurrentPrincipal,
    session: SessionDep,
    last_event_id_header: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    last_event_id: Annotated[
        str | None, Query(description="For clients that cannot send the Last-Event-ID header")
    ] = None,
) -> StreamingResponse:
    """My notifications as they happen (Server-Sent Events, ``event: notification``, the id is
    the notification's ``seq``). Reconnect with ``Last-Event-ID`` to get what was missed.
    Comments (``: ping``) are sent as heartbeats; the stream ends when my session is revoked."""
    user_id, session_id = principal.user.id, principal.session.id
    expires_at = principal.session.expires_at
    after = _parse_last_id(last_event_id_header, last_event_id)
    hub = hub_module.get_hub()
    if after is None:
        after = await notification_service.latest_seq(session, user_id=user_id)
    try:
        subscription = await hub.subscribe(user_id=user_id, session_id=session_id, last_seq=after)
    except TimeoutError as exc:
        raise ServiceUnavailable("Live notifications are unavailable; retry shortly") from exc
    try:
        # After subscribing: anything committed from now on reaches the queue too (deduplicated).
        missed = await notification_service.since(session, user_id=user_id, after_seq=after)
    except BaseException:
        hub.unsubscribe(subscription)
        raise
    backlog = [hub_module.event_of(n) for n in missed]
    for event in backlog:
        subscription.mark(event["seq"])
    heartbeat = get_settings().notification_heartbeat_seconds

    async def events() -> AsyncIterator[bytes]:
        sent: deque[int] = deque(maxlen=256)
        try:
            yield f"retry: 3000\n: connected {after}\n\n".encode()
            for event in backlog:
                sent.append(event["seq"])
                yield _sse(event)
            while True:
                try:
                    item = await asyncio.wait_for(subscription.queue.get(), heartbeat)
                except TimeoutError:
                    if datetime.now(UTC) >= expires_at:
                        return
                    yield b": ping\n\n"
                    continue
                if item is None:
                    yield b"event: end\ndata: {}\n\n"
                    return
                if item["seq"] in sent:
                    continue
                sent.append(item["seq"])
                yield _sse(item)
        finally:
            hub.unsubscribe(subscription)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.get("/users/me/notification-settings", tags=["users"])
async def read_settings(
    user: CurrentUser, session: SessionDep
) -> Envelope[NotificationSettingsRead]:
    """My notification language and, for each kind, whether it is also mailed to me."""
    row = await notification_service.get_settings_row(session, user_id=user.id)
    return ok(NotificationSettingsRead(**notification_service.settings_view(row)))


@router.patch("/users/me/notification-settings", tags=["users"])
async def update_settings(
    payload: NotificationSettingsUpdate, user: CurrentUser, session: SessionDep
) -> Envelope[NotificationSettingsRead]:
    """Change the language or turn mail on or off per kind (``{"email": {"kind": false}}``).
    Security mail cannot be turned off (422)."""
    row = await notification_service.update_settings(
        session, user_id=user.id, language=payload.language, email=payload.email
    )
    return ok(NotificationSettingsRead(**notification_service.settings_view(row)))


@router.post("/notifications/unsubscribe", responses={422: {}})
async def unsubscribe(
    session: SessionDep, token: Annotated[str, Query(max_length=200)]
) -> Envelope[Unsubscribed]:
    """Public (the token is the credential): turn off mail of one kind. This is the one-click
    ``List-Unsubscribe-Post`` target of RFC 8058."""
    kind = await notification_service.unsubscribe(session, token=token)
    return ok(Unsubscribed(kind=kind))


@router.get("/notifications/unsubscribe", response_class=HTMLResponse, include_in_schema=False)
async def unsubscribe_page(token: Annotated[str, Query(max_length=200)]) -> HTMLResponse:
    """Public: a confirmation page (a GET never changes anything: mail scanners follow links)."""
    try:
        _, kind = notification_service.parse_unsubscribe_token(token)
    except ValidationFailed:
        return HTMLResponse("<!doctype html><p>This unsubscribe link is invalid.</p>", 400)
    from html import escape

    return HTMLResponse(
        "<!doctype html><html><head><meta charset='utf-8'><title>Unsubscribe</title></head>"
        f"<body><p>Stop mails about <strong>{escape(kind)}</strong>?</p>"
        f"<form method='post' action='?token={escape(token)}'>"
        "<input type='hidden' name='List-Unsubscribe' value='One-Click'>"
        "<button type='submit'>Unsubscribe</button></form></body></html>",
        headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex"},
    )
