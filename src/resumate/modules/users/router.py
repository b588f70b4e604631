"""My account, and the admin's view of all accounts."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from resumate.core.db import SessionDep
from resumate.core.downloads import content_disposition
from resumate.core.envelope import Envelope, PageParams, ok, paginated
from resumate.modules.auth.dependencies import AdminUser, CurrentPrincipal, CurrentUser
from resumate.modules.auth.router import clear_auth_cookies
from resumate.modules.auth.schemas import Message
from resumate.modules.billing import service as billing_service
from resumate.modules.notifications import service as notification_service
from resumate.modules.users import service as user_service
from resumate.modules.users.models import User
from resumate.modules.users.schemas import (
    AccountDelete,
    AdminMetrics,
    AdminUserUpdate,
    MeRead,
    PasswordChange,
    UserRead,
    UserUpdate,
)

router = APIRouter(tags=["users"])


async def _me(session: SessionDep, user: User) -> MeRead:
    unread = await notification_service.unread_count(session, user_id=user.id)
    return MeRead.model_validate(user).model_copy(update={"unread_notifications": unread})


@router.get("/users/me")
async def read_me(user: CurrentUser, session: SessionDep) -> Envelope[MeRead]:
    """My profile, with the number of my unread notifications."""
    return ok(await _me(session, user))


@router.patch("/users/me")
async def update_me(
    payload: UserUpdate, user: CurrentUser, session: SessionDep
) -> Envelope[MeRead]:
    """Change my profile. ``role``, ``email_verified`` and ``is_active`` are refused with 422."""
    user = await user_service.update_me(
        session, user=user, changes=payload.model_dump(exclude_unset=True)
    )
    return ok(await _me(session, user))


@router.post("/users/me/password")
async def change_password(
    payload: PasswordChange, principal: CurrentPrincipal, session: SessionDep
) -> Envelope[Message]:
    """Change my password; my other sessions are signed out."""
    revoked = await user_service.change_password(
        session,
        user=principal.user,
        current_session_id=principal.session.id,
        current_password=payload.current_password,
        new_password=payload.new_password,
    )
    return ok(Message(message=f"Password changed; {revoked} other session(s) signed out"))


@router.delete("/users/me")
async def delete_me(
    payload: AccountDelete, user: CurrentUser, session: SessionDep, response: Response
) -> Envelope[Message]:
    """Delete my account and everything it owns, files included (password confirmed)."""
    await user_service.delete_account(session, user=user, password=payload.password)
    clear_auth_cookies(response)
    return ok(Message(message="Account deleted"))


@router.get("/users/me/export")
async def export_me(user: CurrentUser, session: SessionDep) -> JSONResponse:
    """All my data as one JSON document (a download)."""
    document = await user_service.export_my_data(session, user=user)
    return JSONResponse(
        document,
        headers={"Content-Disposition": content_disposition("resumate-export.json")},
    )


@router.get("/admin/users", tags=["admin"])
async def admin_list_users(
    admin: AdminUser, session: SessionDep, page: Annotated[PageParams, Query()] = PageParams()
) -> Envelope[list[UserRead]]:
    """All accounts (admin)."""
    users, total = await user_service.list_users(session, page=page)
    return paginated([UserRead.model_validate(u) for u in users], total=total, params=page)


@router.patch("/admin/users/{id}", tags=["admin"])
async def admin_update_user(
    id: uuid.UUID, payload: AdminUserUpdate, admin: AdminUser, session: SessionDep
) -> Envelope[UserRead]:
    """Activate, deactivate (its sessions end at once) or change the role of an account."""
    user = await user_service.admin_update_user(
        session, admin=admin, user_id=id, changes=payload.model_dump(exclude_unset=True)
    )
    return ok(UserRead.model_validate(user))


@router.get("/admin/metrics", tags=["admin"])
async def admin_metrics(admin: AdminUser, session: SessionDep) -> Envelope[AdminMetrics]:
    """Counts across the whole installation (admin), with billing's revenue and churn."""
    return ok(
        AdminMetrics(
            **await user_service.admin_metrics(session),
            billing=await billing_service.admin_metrics(session),
        )
    )
