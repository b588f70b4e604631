"""My account: profile, password, deletion with every stored file, and a full data export.

Features that own user data register a provider so export and deletion stay complete as the
product grows (``register_user_data``)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from resumate.core import security
from resumate.core.db import release_connection
from resumate.core.envelope import PageParams
from resumate.core.errors import NotFound, Unauthenticated, ValidationFailed
from resumate.core.storage import get_storage
from resumate.modules.analytics import service as analytics_service
from resumate.modules.auth import service as auth_service
from resumate.modules.auth.models import AuthSession
from resumate.modules.notifications import service as notification_service
from resumate.modules.users import providers as user_providers
from resumate.modules.users.models import User

log = structlog.get_logger(__name__)


# Features that own user data register here (a module with no feature imports, so that any
# feature can register without an import cycle).
UserDataProvider = user_providers.UserDataProvider
register_user_data = user_providers.register_user_data
register_admin_metrics = user_providers.register_admin_metrics
_providers = user_providers.providers
_metric_sources = user_providers.metric_sources


async def get_user(session: AsyncSession, *, user_id: uuid.UUID) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("User not found")
    return user


async def update_me(session: AsyncSession, *, user: User, changes: dict[str, Any]) -> User:
    if "full_name" in changes:
        name = changes["full_name"]
        user.full_name = name.strip() if isinstance(name, str) and name.strip() else None
    await session.flush()
    await session.refresh(user)
    return user


async def _confirm_password(session: AsyncSession, user: User, password: str) -> None:
    # Nothing is written yet: the connection goes back to the pool during the verify.
    await release_connection(session)
    ok, _ = await security.verify_password(user.password_hash, password)
    if not ok:
        raise Unauthenticated("Password is incorrect")


async def change_password(
    session: AsyncSession,
    *,
    user: User,
    current_session_id: uuid.UUID,
    current_password: str,
    new_password: str,
) -> int:
    """Change the password; every other session is revoked. Returns how many were."""
    await _confirm_password(session, user, current_password)
    if current_password == new_password:
        raise ValidationFailed(
            "The new password must differ from the current one",
            details={"errors": [{"path": "$.new_password", "message": "unchanged"}]},
        )
    auth_service.check_password_policy(new_password, email=user.email, field="new_password")
    user.password_hash = await security.hash_password(new_password)
    revoked = await auth_service.revoke_all_sessions(
        session, user_id=user.id, reason="password_changed", keep=current_session_id
    )
    await auth_service.notify_password_changed(session, user=user)
    # The password_changed mail above already tells them: in-app only.
    await notification_service.notify(
        session,
        user_id=user.id,
        kind="security_password_changed",
        link="/app/settings#sessions",
        email=False,
    )
    return revoked


async def delete_account(session: AsyncSession, *, user: User, password: str) -> None:
    """Delete the user, every row it owns (cascade) and every stored file it owns."""
    await _confirm_password(session, user, password)
    keys: list[str] = []
    for provider in _providers.values():
        if provider.stored_files is not None:
            keys.extend(await provider.stored_files(session, user.id))
    await session.delete(user)
    await session.flush()
    storage = get_storage()
    # Files go after the rows are gone from this transaction; a failure here leaves an
    # orphan file (logged), never a row pointing at a missing file.
    for key in keys:
        try:
            await storage.delete(key)
        except Exception:
            log.exception("could not delete stored file", key=key)


async def export_my_data(session: AsyncSession, *, user: User) -> dict[str, Any]:
    from resumate.modules.auth.schemas import SessionRead
    from resumate.modules.users.schemas import UserRead

    sessions = await auth_service.list_sessions(session, user_id=user.id)
    document: dict[str, Any] = {
        "format": "resumate-export",
        "version": 1,
        "exported_at": datetime.now(UTC).isoformat(),
        "user": UserRead.model_validate(user).model_dump(mode="json"),
        "sessions": [SessionRead.model_validate(s).model_dump(mode="json") for s in sessions],
    }
    for name, provider in sorted(_providers.items()):
        document[name] = await provider.export(session, user.id)
    return document


# ---- admin ------------------------------------------------------------------------------


async def list_users(session: AsyncSession, *, page: PageParams) -> tuple[list[User], int]:
    total = (await session.execute(select(func.count()).select_from(User))).scalar_one()
    result = await session.execute(
        select(User).order_by(User.created_at.desc()).offset(page.offset).limit(page.per_page)
    )
    return list(result.scalars()), int(total)


async def admin_update_user(
    session: AsyncSession, *, admin: User, user_id: uuid.UUID, changes: dict[str, Any]
) -> User:
    user = await get_user(session, user_id=user_id)
    if user.id == admin.id and (changes.get("is_active") is False or changes.get("role") == "user"):
        raise ValidationFailed("Admins cannot deactivate or demote themselves")
    if changes.get("is_active") is not None:
        user.is_active = bool(changes["is_active"])
        if not user.is_active:
            await auth_service.revoke_all_sessions(session, user_id=user.id, reason="deactivated")
    if changes.get("role") is not None:
        user.role = changes["role"]
    await session.flush()
    await session.refresh(user)
    return user


async def admin_metrics(session: AsyncSession) -> dict[str, Any]:
    now = datetime.now(UTC)
    row = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(User.is_active),
                func.count().filter(User.role == "admin"),
                func.count().filter(User.email_verified),
                func.count().filter(User.created_at >= now - timedelta(days=7)),
            ).select_from(User)
        )
    ).one()
    active_sessions = (
        await session.execute(
            select(func.count())
            .select_from(AuthSession)
            .where(AuthSession.revoked_at.is_(None), AuthSession.expires_at > now)
        )
    ).scalar_one()
    signups = (
        await session.execute(
            select(
                func.count().filter(User.created_at >= now - timedelta(days=1)),
                func.count().filter(User.created_at >= now - timedelta(days=30)),
            ).select_from(User)
        )
    ).one()
    counts = {}
    storage: dict[str, int] = {}
    for name, provider in sorted(_providers.items()):
        if provider.count is not None:
            counts[name] = await provider.count(session)
        if provider.storage_bytes is not None:
            storage[name] = await provider.storage_bytes(session)
    platform = await analytics_service.platform_metrics(session)
    events = platform["events"]

    def windowed(event: str) -> dict[str, int]:
        return events.get(event, {"last_day": 0, "last_7_days": 0, "last_30_days": 0})

    extra = {name: await source(session) for name, source in sorted(_metric_sources.items())}
    return {
        "users": row[0],
        "active_users": row[1],
        "admins": row[2],
        "verified_users": row[3],
        "signups_last_7_days": row[4],
        "active_sessions": int(active_sessions),
        "counts": counts,
        "signups": {"last_day": signups[0], "last_7_days": row[4], "last_30_days": signups[1]},
        "activity": platform["active_users"],
        "analyses": {
            "ready": windowed(analytics_service.CV_ANALYSED),
            "failed": windowed(analytics_service.CV_ANALYSIS_FAILED),
        },
        "renders": windowed(analytics_service.PDF_RENDERED),
        "events": events,
        "queue": await analytics_service.queue_metrics(session),
        "storage": {"bytes": sum(storage.values()), "by_kind": storage},
        # Billing's section (mode, MRR, churn) is added by the router from billing's service.
        "extra": extra,
    }


async def create_or_promote_admin(
    session: AsyncSession, *, email: str, password: str | None
) -> tuple[User, bool]:
    """For ``resumate create-admin``: (user, created)."""
    user = await auth_service.get_user_by_email(session, email)
    if user is not None:
        user.role = "admin"
        user.is_active = True
        if password:
            auth_service.check_password_policy(password, email=user.email)
            user.password_hash = await security.hash_password(password)
        await session.flush()
        return user, False
    if not password:
        raise ValidationFailed("A password is required to create a new admin account")
    email = auth_service.normalise_email(email)
    auth_service.check_password_policy(password, email=email)
    user = User(
        email=email,
        password_hash=await security.hash_password(password),
        role="admin",
        is_active=True,
        email_verified=True,
    )
    session.add(user)
    await session.flush()
    return user, True
