"""The notification bell (unread count, refreshed by htmx) and the notifications page."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from resumate.core.db import SessionDep
from resumate.core.envelope import PageParams
from resumate.modules.notifications import service as notification_service
from resumate.web.core import WebPrincipal, WebRoute, page, redirect, safe_next
from resumate.web.strings import t

router = APIRouter(prefix="/app/notifications", route_class=WebRoute, include_in_schema=False)


@router.get("", response_class=HTMLResponse)
async def notifications_page(
    request: Request, principal: WebPrincipal, session: SessionDep
) -> Response:
    items, total = await notification_service.list_notifications(
        session, user_id=principal.user.id, unread=None, page=PageParams(page=1, per_page=50)
    )
    return page(request, "notifications.html", title=t("notes.title"), items=items, total=total)


@router.get("/bell", response_class=HTMLResponse)
async def bell(request: Request, principal: WebPrincipal, session: SessionDep) -> Response:
    count = await notification_service.unread_count(session, user_id=principal.user.id)
    return page(request, "partials/bell.html", unread=count)


@router.post("/read-all")
async def read_all(request: Request, principal: WebPrincipal, session: SessionDep) -> Response:
    await notification_service.mark_all_read(session, user_id=principal.user.id)
    return redirect(request, "/app/notifications")


@router.post("/{id}/open")
async def open_notification(
    request: Request, id: uuid.UUID, principal: WebPrincipal, session: SessionDep
) -> Response:
    """Mark it read and go where it points (only within this site)."""
    notification = await notification_service.mark_read(
        session, user_id=principal.user.id, notification_id=id
    )
    link = notification.link or ""
    if "://" in link:
        link = "/" + link.split("://", 1)[1].partition("/")[2]
    return redirect(request, safe_next(link, "/app/notifications"))
