"""Accounts and sessions: registration, login, refresh rotation with reuse detection,
logout, password reset and email verification."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import bindparam, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from resumate.config import get_settings
from resumate.core import security
from resumate.core.db import release_connection
from resumate.core.errors import Conflict, Unauthenticated, ValidationFailed
from resumate.core.mail import queue_mail
from resumate.modules.analytics import service as analytics_service
from resumate.modules.auth.models import AuthSession, OneTimeToken
from resumate.modules.notifications import service as notification_service
from resumate.modules.notifications.kinds import Phrase
from resumate.modules.users.models import User

log = structlog.get_logger(__name__)

INVALID_CREDENTIALS = "Invalid email or password"
RESET_TTL = timedelta(hours=1)
VERIFY_TTL = timedelta(hours=48)
PURPOSE_RESET = "password_reset"
PURPOSE_VERIFY = "email_verification"


@dataclass(frozen=True)
class IssuedTokens:
    user: User
    session_id: uuid.UUID
    access_token: str
    refresh_token: str
    csrf_token: str
    expires_in: int
    refresh_expires_at: datetime


def _now() -> datetime:
    return datetime.now(UTC)


def normalise_email(email: str) -> str:
    local, _, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


def check_password_policy(
    password: str, *, email: str | None = None, field: str = "password"
) -> None:
    problems = security.password_problems(password, email=email)
    if problems:
        message = "Password " + "; ".join(problems)
        raise ValidationFailed(
            message, details={"errors": [{"path": f"$.{field}", "message": message}]}
        )


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    result = await session.execute(select(User).where(User.email == normalise_email(email)))
    return result.scalar_one_or_none()


async def register(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    full_name: str | None,
    ip: str | None,
    user_agent: str | None,
) -> IssuedTokens:
    email = normalise_email(email)
    check_password_policy(password, email=email)
    # Hashed before the first query, so no pooled connection waits on the hash.
    password_hash = await security.hash_password(password)
    if await get_user_by_email(session, email) is not None:
        raise Conflict("An account with this email already exists", details={"field": "email"})
    user = User(
        email=email,
        password_hash=password_hash,
        full_name=full_name.strip() if full_name else None,
        role="user",
        is_active=True,
        email_verified=False,
    )
    session.add(user)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # a concurrent registration won the race
        raise Conflict("An account with this email already exists") from exc
    await send_verification(session, user=user)
    await analytics_service.record_event(
        session,
        owner_id=user.id,
        resource_type="user",
        resource_id=user.id,
        event=analytics_service.SIGNUP,
    )
    return await start_session(session, user=user, ip=ip, user_agent=user_agent, announce=False)


async def authenticate(session: AsyncSession, *, email: str, password: str) -> User:
    """The user for these credentials, or one 401 whatever was wrong (same work either way)."""
    user = await get_user_by_email(session, email)
    # The read-only transaction ends before the verify: its connection serves others meanwhile.
    await release_connection(session)
    ok, needs_rehash = await security.verify_password(
        user.password_hash if user is not None else None, password
    )
    if user is None or not ok or not user.is_active:
        raise Unauthenticated(INVALID_CREDENTIALS)
    if needs_rehash:
        user.password_hash = await security.hash_password(password)
    user.last_login_at = _now()
    return user


async def start_session(
    session: AsyncSession,
    *,
    user: User,
    ip: str | None,
    user_agent: str | None,
    announce: bool = True,
) -> IssuedTokens:
    """A new session (a sign-in). With ``announce``, the sign-in is counted and, when it comes
    from a device or an address this account never used, the user is told."""
    settings = get_settings()
    if announce:
        await _announce_sign_in(session, user=user, ip=ip, user_agent=user_agent)
    auth_session = AuthSession(
        id=uuid.uuid4(),
        user_id=user.id,
        refresh_token_hash="",
        user_agent=(user_agent or "")[:500] or None,
        ip=ip,
        expires_at=_now() + timedelta(days=settings.refresh_token_days),
    )
    session.add(auth_session)
    return await _issue(session, user=user, auth_session=auth_session)


async def _announce_sign_in(
    session: AsyncSession, *, user: User, ip: str | None, user_agent: str | None
) -> None:
    await analytics_service.record_event(
        session,
        owner_id=user.id,
        resource_type="user",
        resource_id=user.id,
        event=analytics_service.LOGIN,
    )
    agent = (user_agent or "")[:500] or None
    mine = AuthSession.user_id == user.id
    known_before, known_agent, known_address = (
        await session.execute(
            select(
                exists().where(mine),
                exists().where(mine, AuthSession.user_agent.is_not_distinct_from(agent)),
                exists().where(mine, AuthSession.ip.is_not_distinct_from(ip)),
            )
        )
    ).one()
    if known_before and not (known_agent and known_address):
        await notification_service.notify(
            session,
            user_id=user.id,
            kind="security_new_sign_in",
            params={
                "device": (agent or "")[:120] or Phrase("unknown_device"),
                "address": ip or "?",
            },
            link="/app/settings#sessions",
            data={"new_device": not known_agent, "new_address": not known_address},
        )


async def _issue(session: AsyncSession, *, user: User, auth_session: AuthSession) -> IssuedTokens:
    settings = get_settings()
    # The refresh token names its session (family) so reuse of a retired one can be detected.
    refresh_token = f"{auth_session.id.hex}.{security.new_opaque_token()}"
    auth_session.refresh_token_hash = security.hash_token(refresh_token)
    auth_session.last_used_at = _now()
    await session.flush()
    lifetime = timedelta(minutes=settings.access_token_minutes)
    access_token, _ = security.create_access_token(
        secret=settings.secret(),
        user_id=user.id,
        session_id=auth_session.id,
        role=user.role,
        lifetime=lifetime,
    )
    return IssuedTokens(
        user=user,
        session_id=auth_session.id,
        access_token=access_token,
        refresh_token=refresh_token,
        csrf_token=security.new_csrf_token(),
        expires_in=int(lifetime.total_seconds()),
        refresh_expires_at=auth_session.expires_at,
    )


async def refresh(session: AsyncSession, *, refresh_token: str) -> IssuedTokens:
    """Rotate: a new pair for a current refresh token. A retired one revokes the session."""
    family, _, _secret = refresh_token.partition(".")
    try:
        session_id = uuid.UUID(hex=family)
    except ValueError as exc:
        raise Unauthenticated("Invalid refresh token") from exc
    auth_session = (
        await session.execute(
            select(AuthSession).where(AuthSession.id == session_id).with_for_update()
        )
    ).scalar_one_or_none()
    if auth_session is None or auth_session.revoked_at is not None:
        raise Unauthenticated("Invalid refresh token")
    if not security.tokens_equal(
        auth_session.refresh_token_hash, security.hash_token(refresh_token)
    ):
        auth_session.revoked_at = _now()
        auth_session.revoked_reason = "refresh_reuse"
        log.warning("refresh token reuse: session revoked", session_id=str(auth_session.id))
        await notification_service.notify(
            session,
            user_id=auth_session.user_id,
            kind="security_sessions_revoked",
            params={"reason": Phrase("refresh_reuse")},
            link="/app/settings#sessions",
        )
        raise Unauthenticated(
            "Refresh token was already used; the session has been revoked", persist=True
        )
    if auth_session.expires_at <= _now():
        raise Unauthenticated("Refresh token expired")
    user = await session.get(User, auth_session.user_id)
    if user is None or not user.is_active:
        raise Unauthenticated("Invalid refresh token")
    return await _issue(session, user=user, auth_session=auth_session)


# Every authenticated request runs this: built once (SQLAlchemy keeps its cache key). A route
# that needs more rows may extend it (``add_columns`` and outer joins, built once too) and check
# its first two columns with ``check_principal``: one query for the caller and the resource.
PRINCIPAL = (
    select(User, AuthSession)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(AuthSession.id == bindparam("session_id"), User.id == bindparam("user_id"))
)


def principal_params(claims: security.AccessClaims) -> dict[str, Any]:
    """The parameters of ``PRINCIPAL`` (and of statements built from it) for a token."""
    return {"session_id": claims.session_id, "user_id": claims.user_id}


# ``PRINCIPAL`` as the columns its checks read, without ORM objects (built once): for a
# statement that loads the caller with a page of rows, where loading the user and session as
# objects again for every row would cost more than the query. Checked by
# ``check_principal_columns``.
PRINCIPAL_COLUMNS = (
    select(
        User.id.label("principal_user_id"),
        User.is_active.label("principal_is_active"),
        AuthSession.revoked_at.label("principal_revoked_at"),
        AuthSession.expires_at.label("principal_expires_at"),
    )
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(AuthSession.id == bindparam("session_id"), User.id == bindparam("user_id"))
)


def _check_session_and_account(
    *, revoked_at: datetime | None, expires_at: datetime, is_active: bool
) -> None:
    if revoked_at is not None or expires_at <= _now():
        raise Unauthenticated("Session has ended; sign in again")
    if not is_active:
        raise Unauthenticated("Account is deactivated")


def check_principal(row: Sequence[Any] | None) -> tuple[User, AuthSession]:
    """The user and session of a ``PRINCIPAL`` row; 401 when there is none, the session was
    revoked or has expired, or the account is deactivated."""
    if row is None:
        raise Unauthenticated("Session not found")
    user, auth_session = row[0], row[1]
    _check_session_and_account(
        revoked_at=auth_session.revoked_at,
        expires_at=auth_session.expires_at,
        is_active=user.is_active,
    )
    return user, auth_session


def check_principal_columns(row: Any | None) -> uuid.UUID:
    """``check_principal`` for a row of ``PRINCIPAL_COLUMNS`` (the same 401s, in the same
    order); the caller's user id."""
    if row is None:
        raise Unauthenticated("Session not found")
    _check_session_and_account(
        revoked_at=row.principal_revoked_at,
        expires_at=row.principal_expires_at,
        is_active=row.principal_is_active,
    )
    user_id: uuid.UUID = row.principal_user_id
    return user_id


async def load_principal(
    session: AsyncSession, *, claims: security.AccessClaims
) -> tuple[User, AuthSession]:
    """The user and session behind an access token; revoked sessions and deactivated users
    lose access at once (checked on every request)."""
    row = (await session.execute(PRINCIPAL, principal_params(claims))).one_or_none()
    return check_principal(row)


async def revoke_session(
    session: AsyncSession, *, session_id: uuid.UUID, reason: str, user_id: uuid.UUID | None = None
) -> bool:
    stmt = update(AuthSession).where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
    if user_id is not None:
        stmt = stmt.where(AuthSession.user_id == user_id)
    result = await session.execute(stmt.values(revoked_at=_now(), revoked_reason=reason))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def revoke_all_sessions(
    session: AsyncSession, *, user_id: uuid.UUID, reason: str, keep: uuid.UUID | None = None
) -> int:
    stmt = update(AuthSession).where(
        AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
    )
    if keep is not None:
        stmt = stmt.where(AuthSession.id != keep)
    result = await session.execute(stmt.values(revoked_at=_now(), revoked_reason=reason))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def list_sessions(session: AsyncSession, *, user_id: uuid.UUID) -> list[AuthSession]:
    result = await session.execute(
        select(AuthSession)
        .where(
            AuthSession.user_id == user_id,
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > _now(),
        )
        .order_by(AuthSession.last_used_at.desc())
    )
    return list(result.scalars())


# ---- one-time tokens -----------------------------------------------------------------


async def _create_token(
    session: AsyncSession, *, user_id: uuid.UUID, purpose: str, ttl: timedelta
) -> str:
    # Only the newest token of a purpose works: older unused ones are retired.
    await session.execute(
        update(OneTimeToken)
        .where(
            OneTimeToken.user_id == user_id,
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),
        )
        .values(used_at=_now())
    )
    token = security.new_opaque_token()
    session.add(
        OneTimeToken(
            user_id=user_id,
            purpose=purpose,
            token_hash=security.hash_token(token),
            expires_at=_now() + ttl,
        )
    )
    await session.flush()
    return token


async def _consume_token(
    session: AsyncSession, *, token: str, purpose: str, consume: bool = True
) -> OneTimeToken:
    record = (
        await session.execute(
            select(OneTimeToken)
            .where(
                OneTimeToken.token_hash == security.hash_token(token),
                OneTimeToken.purpose == purpose,
            )
            .with_for_update()
        )
    ).scalar_one_or_none()
    if record is None or record.used_at is not None:
        raise ValidationFailed("This link is invalid or has already been used")
    if record.expires_at <= _now():
        raise ValidationFailed("This link has expired; ask for a new one")
    if consume:
        record.used_at = _now()
    return record


def _link(path: str, token: str) -> str:
    return f"{get_settings().public_url.rstrip('/')}{path}?token={token}"


async def send_verification(session: AsyncSession, *, user: User) -> None:
    token = await _create_token(session, user_id=user.id, purpose=PURPOSE_VERIFY, ttl=VERIFY_TTL)
    await queue_mail(
        session,
        to=user.email,
        template="verify_email",
        context={"name": user.full_name, "link": _link("/verify-email", token)},
    )


async def resend_verification(session: AsyncSession, *, user: User) -> None:
    if not user.email_verified:
        await send_verification(session, user=user)


async def verify_email(session: AsyncSession, *, token: str) -> User:
    record = await _consume_token(session, token=token, purpose=PURPOSE_VERIFY)
    user = await session.get(User, record.user_id)
    if user is None:
        raise ValidationFailed("This link is invalid or has already been used")
    user.email_verified = True
    return user


async def request_password_reset(session: AsyncSession, *, email: str) -> None:
    """Mail a reset link when the account exists; the caller answers 202 either way."""
    user = await get_user_by_email(session, email)
    if user is None or not user.is_active:
        return
    token = await _create_token(session, user_id=user.id, purpose=PURPOSE_RESET, ttl=RESET_TTL)
    await queue_mail(
        session,
        to=user.email,
        template="password_reset",
        context={"name": user.full_name, "link": _link("/reset-password", token)},
    )


async def reset_password(session: AsyncSession, *, token: str, new_password: str) -> User:
    # The policy is checked before the token is spent: a refused password leaves the link usable.
    record = await _consume_token(session, token=token, purpose=PURPOSE_RESET, consume=False)
    user = await session.get(User, record.user_id)
    if user is None or not user.is_active:
        raise ValidationFailed("This link is invalid or has already been used")
    check_password_policy(new_password, email=user.email, field="new_password")
    # Hash with no connection (and no row lock) held, then take the token again, locked and
    # checked afresh: a concurrent reset with the same link may have spent it meanwhile.
    await release_connection(session)
    password_hash = await security.hash_password(new_password)
    record = await _consume_token(session, token=token, purpose=PURPOSE_RESET)
    user = await session.get(User, record.user_id, populate_existing=True)
    if user is None or not user.is_active:
        raise ValidationFailed("This link is invalid or has already been used")
    user.password_hash = password_hash
    await revoke_all_sessions(session, user_id=user.id, reason="password_reset")
    await notify_password_changed(session, user=user)
    # The password_changed mail above already tells them: in-app only.
    await notification_service.notify(
        session,
        user_id=user.id,
        kind="security_sessions_revoked",
        params={"reason": Phrase("password_reset")},
        link="/app/settings#sessions",
        email=False,
    )
    return user


async def notify_password_changed(session: AsyncSession, *, user: User) -> None:
    await queue_mail(
        session,
        to=user.email,
        template="password_changed",
        context={
            "name": user.full_name,
            "when": _now().strftime("%Y-%m-%d %H:%M UTC"),
            "reset_url": f"{get_settings().public_url.rstrip('/')}/forgot-password",
        },
    )


async def cleanup_expired(session: AsyncSession) -> None:
    """Drop tokens and sessions that can never be used again."""
    from sqlalchemy import delete

    cutoff = _now() - timedelta(days=7)
    await session.execute(delete(OneTimeToken).where(OneTimeToken.expires_at < cutoff))
    await session.execute(delete(AuthSession).where(AuthSession.expires_at < cutoff))
