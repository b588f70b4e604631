"""Account settings: profile, password, sessions (with revoke), data export, deletion."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from resumate.core.db import SessionDep
from resumate.core.downloads import content_disposition
from resumate.core.errors import Unauthenticated, ValidationFailed
from resumate.modules.auth import service as auth_service
from resumate.modules.auth.dependencies import Principal
from resumate.modules.auth.router import clear_auth_cookies
from resumate.modules.users import service as user_service
from resumate.modules.users.schemas import AccountDelete, PasswordChange, UserUpdate
from resumate.web.core import (
    Flash,
    WebPrincipal,
    WebRoute,
    form_text,
    page,
    parse,
    read_form,
    redirect,
)
from resumate.web.strings import t

router = APIRouter(prefix="/app/settings", route_class=WebRoute, include_in_schema=False)


async def _settings_page(
    request: Request, session: Any, principal: Principal, status_code: int = 200, **context: Any
) -> HTMLResponse:
    sessions = await auth_service.list_sessions(session, user_id=principal.user.id)
    context.setdefault("errors", {})
    return page(
        request,
        "settings.html",
        status_code,
        title=t("settings.title"),
        sessions=sessions,
        current_session=principal.session.id,
        **context,
    )


@router.get("", response_class=HTMLResponse)
async def settings_page(request: Request, principal: WebPrincipal, session: SessionDep) -> Response:
    flash = None
    if request.query_params.get("revoked"):
        flash = Flash("ok", t("settings.revoked"))
    return await _settings_page(request, session, principal, flash=flash)


@router.post("/profile", response_class=HTMLResponse)
async def save_profile(request: Request, principal: WebPrincipal, session: SessionDep) -> Response:
    form = await read_form(request)
    payload, errors = parse(UserUpdate, {"full_name": form_text(form, "full_name").strip()})
    if payload is None:
        return await _settings_page(request, session, principal, 422, errors=errors)
    await user_service.update_me(
        session, user=principal.user, changes=payload.model_dump(exclude_unset=True)
    )
    return await _settings_page(
        request, session, principal, flash=Flash("ok", t("settings.profile_saved"))
    )


@router.post("/password", response_class=HTMLResponse)
async def change_password(
    request: Request, principal: WebPrincipal, session: SessionDep
) -> Response:
    form = await read_form(request)
    payload, errors = parse(
        PasswordChange,
        {
            "current_password": form_text(form, "current_password"),
            "new_password": form_text(form, "new_password"),
        },
    )
    if payload is None:
        return await _settings_page(request, session, principal, 422, errors=errors)
    try:
        revoked = await user_service.change_password(
            session,
            user=principal.user,
            current_session_id=principal.session.id,
            current_password=payload.current_password,
            new_password=payload.new_password,
        )
    except (ValidationFailed, Unauthenticated) as exc:
        field = "new_password" if exc.message.startswith("Password") else "current_password"
        return await _settings_page(request, session, principal, 422, errors={field: exc.message})
    return await _settings_page(
        request,
        session,
        principal,
        flash=Flash("ok", t("settings.password_changed", count=revoked)),
    )


@router.post("/sessions/{sid}/revoke")
async def revoke_session(
    request: Request, sid: uuid.UUID, principal: WebPrincipal, session: SessionDep
) -> Response:
    await auth_service.revoke_session(
        session, session_id=sid, user_id=principal.user.id, reason="revoked"
    )
    if sid == principal.session.id:
        response = redirect(request, "/signin")
        clear_auth_cookies(response)
        return response
    return redirect(request, "/app/settings?revoked=1#sessions")


@router.get("/export")
async def export(principal: WebPrincipal, session: SessionDep) -> Response:
    document = await user_service.export_my_data(session, user=principal.user)
    return JSONResponse(
        document,
        headers={"Content-Disposition": content_disposition("resumate-export.json")},
    )


@router.post("/delete", response_class=HTMLResponse)
async def delete_account(
    request: Request, principal: WebPrincipal, session: SessionDep
) -> Response:
    form = await read_form(request)
    payload, errors = parse(AccountDelete, {"password": form_text(form, "password")})
    if payload is None:
        return await _settings_page(request, session, principal, 422, errors=errors)
    try:
        await user_service.delete_account(session, user=principal.user, password=payload.password)
    except (ValidationFailed, Unauthenticated) as exc:
        return await _settings_page(
            request, session, principal, 422, errors={"password": exc.message}
        )
    response = page(
        request,
        "message.html",
        title=t("settings.delete"),
        kind="ok",
        message=t("settings.deleted"),
        user=None,
        link=("/", t("app.name")),
    )
    clear_auth_cookies(response)
    return response
