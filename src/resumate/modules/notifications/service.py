"""In-app notifications, their mail, and the user's notification settings.

Other features call ``notify()`` inside their own transaction: the notification exists (and is
announced to open streams, by a trigger whose ``pg_notify`` fires at commit) only if the cause
commits. Mail goes through the mail queue in the same transaction, at most one per kind per
hour for each user; notifications beyond that wait for one digest mail at the end of the hour.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from resumate.config import get_settings
from resumate.core import text as text_hygiene
from resumate.core import usercache
from resumate.core.envelope import PageParams
from resumate.core.errors import NotFound, ValidationFailed
from resumate.core.mail import queue_mail
from resumate.core.queue import defer
from resumate.modules.notifications import kinds as kinds_module
from resumate.modules.notifications.models import Notification, NotificationSettings
from resumate.modules.users import providers as user_providers

log = structlog.get_logger(__name__)

MAIL_INTERVAL = timedelta(hours=1)
DIGEST_MAX_ITEMS = 50


def clean_text(value: object, limit: int | None = None) -> str:
    """Any string as PostgreSQL text (``core.text.clean_text``), cut to ``limit``."""
    result = text_hygiene.clean_text(str(value))
    return result[:limit] if limit is not None else result


def _now() -> datetime:
    return datetime.now(UTC)


# ---- settings --------------------------------------------------------------------------------


async def get_settings_row(session: AsyncSession, *, user_id: uuid.UUID) -> NotificationSettings:
    """The user's settings (defaults when they never changed any; not stored until then)."""
    row = await session.get(NotificationSettings, user_id)
    if row is None:
        row = NotificationSettings(
            user_id=user_id, language=kinds_module.DEFAULT_LANGUAGE, email={}
        )
    return row


def email_enabled(row: NotificationSettings, kind: str) -> bool:
    spec = kinds_module.KINDS.get(kind)
    if spec is None:
        return False
    if spec.security:
        return True
    return bool((row.email or {}).get(kind, spec.email_default))


def settings_view(row: NotificationSettings) -> dict[str, Any]:
    return {
        "language": row.language,
        "languages": list(kinds_module.LANGUAGES),
        "email": {name: email_enabled(row, name) for name in kinds_module.KINDS},
        "locked": sorted(name for name, spec in kinds_module.KINDS.items() if spec.security),
    }


async def update_settings(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    language: str | None = None,
    email: dict[str, bool] | None = None,
) -> NotificationSettings:
    errors = []
    if language is not None and language not in kinds_module.LANGUAGES:
        errors.append(
            {
                "path": "$.language",
                "message": "must be one of " + ", ".join(kinds_module.LANGUAGES),
            }
        )
    for kind, enabled in (email or {}).items():
        spec = kinds_module.KINDS.get(kind)
        if spec is None:
            errors.append({"path": f"$.email.{clean_text(kind, 60)}", "message": "unknown kind"})
        elif spec.security and not enabled:
            errors.append(
                {"path": f"$.email.{kind}", "message": "security mail cannot be turned off"}
            )
    if errors:
        raise ValidationFailed(
            "; ".join(f"{e['path']}: {e['message']}" for e in errors), details={"errors": errors}
        )
    values: dict[str, Any] = {}
    if language is not None:
        values["language"] = language
    stmt = insert(NotificationSettings).values(
        user_id=user_id, language=language or kinds_module.DEFAULT_LANGUAGE, email=email or {}
    )
    update_values: dict[str, Any] = {"updated_at": func.now(), **values}
    if email:
        update_values["email"] = text("notification_settings.email || excluded.email")
    stmt = stmt.on_conflict_do_update(index_elements=["user_id"], set_=update_values)
    await session.execute(stmt)
    row = (
        await session.execute(
            select(NotificationSettings)
            .where(NotificationSettings.user_id == user_id)
            .execution_options(populate_existing=True)
        )
    ).scalar_one()
    return row


# ---- creating ------------------------------------------------------------------------------


async def notify(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    kind: str,
    params: dict[str, Any] | None = None,
    title: str | None = None,
    body: str | None = None,
    link: str | None = None,
    data: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    email: bool = True,
) -> Notification | None:
    """Create a notification in ``session``'s transaction (and its mail, if the user wants it).

    Title and body come from the kind's text in the user's language filled with ``params``,
    unless given. With ``dedupe_key`` a second notification with the same key is not created
    (returns None). ``email=False`` when the caller already sends its own mail."""
    if kind not in kinds_module.KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    prefs = await get_settings_row(session, user_id=user_id)
    rendered_title, rendered_body = kinds_module.render(kind, prefs.language, params or {})
    values = {
        "id": uuid.uuid4(),
        "user_id": user_id,
        "kind": kind,
        "title": clean_text(title if title is not None else rendered_title, 200),
        "body": clean_text(body if body is not None else rendered_body, 2000),
        "link": clean_text(link, 500) if link else None,
        "data": _clean_json(data or {}),
        "dedupe_key": clean_text(dedupe_key, 200) if dedupe_key else None,
    }
    stmt = insert(Notification).values(**values)
    if dedupe_key:
        stmt = stmt.on_conflict_do_nothing(
            index_elements=["user_id", "dedupe_key"],
            index_where=Notification.dedupe_key.is_not(None),
        )
    inserted = (await session.execute(stmt.returning(Notification.id))).scalar_one_or_none()
    if inserted is None:
        return None
    notification = (
        await session.execute(
            select(Notification)
            .where(Notification.id == inserted)
            .execution_options(populate_existing=True)
        )
    ).scalar_one()
    usercache.touch(session, user_id)
    if email and email_enabled(prefs, kind):
        await _mail(session, notification=notification, prefs=prefs)
    return notification


def _clean_json(value: Any) -> Any:
    return text_hygiene.clean_json(value)


async def _lock_mail(session: AsyncSession, user_id: uuid.UUID, kind: str) -> None:
    """Serialise mail decisions for one user and kind (held to the end of the transaction)."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"notification-mail:{user_id}:{kind}"},
    )


async def _last_mailed(session: AsyncSession, user_id: uuid.UUID, kind: str) -> datetime | None:
    return (
        await session.execute(
            select(func.max(Notification.emailed_at)).where(
                Notification.user_id == user_id,
                Notification.kind == kind,
                Notification.email_state == "sent",
            )
        )
    ).scalar_one()


async def _mail(
    session: AsyncSession, *, notification: Notification, prefs: NotificationSettings
) -> None:
    user_id, kind = notification.user_id, notification.kind
    await _lock_mail(session, user_id, kind)
    last = await _last_mailed(session, user_id, kind)
    now = _now()
    if last is None or now - last >= MAIL_INTERVAL:
        await _send(session, user_id=user_id, kind=kind, items=[notification])
        return
    # Within the hour of the last mail: wait for the digest (one job per user and kind).
    already_waiting = (
        await session.execute(
            select(func.count()).where(
                Notification.user_id == user_id,
                Notification.kind == kind,
                Notification.email_state == "pending",
            )
        )
    ).scalar_one()
    notification.email_state = "pending"
    await session.flush()
    if not already_waiting:
        from resumate.modules.notifications.tasks import send_notification_digest

        wait = max(1, int((last + MAIL_INTERVAL - now).total_seconds()) + 1)
        await defer(
            session,
            send_notification_digest,
            schedule_in={"seconds": wait},
            user_id=str(user_id),
            kind=kind,
        )


async def _send(
    session: AsyncSession, *, user_id: uuid.UUID, kind: str, items: list[Notification]
) -> None:
    """Queue one mail for ``items`` (one notification, or a digest) and mark them sent."""
    from resumate.modules.users.models import User

    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        return
    settings = get_settings()
    base = settings.public_url.rstrip("/")
    spec = kinds_module.KINDS[kind]
    headers: dict[str, str] = {}
    context: dict[str, Any] = {
        "name": user.full_name,
        "kind": kind,
        "unsubscribe_url": None,
        "settings_url": f"{base}/app/settings",
    }
    if not spec.security:
        url = f"{base}/api/v1/notifications/unsubscribe?token={unsubscribe_token(user_id, kind)}"
        context["unsubscribe_url"] = url
        headers = {
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }

    def absolute(link: str | None) -> str | None:
        if not link:
            return None
        return link if link.startswith(("http://", "https://")) else base + link

    if len(items) == 1:
        item = items[0]
        template = "notification"
        context.update(title=item.title, body=item.body, link=absolute(item.link))
    else:
        template = "notification_digest"
        context.update(
            count=len(items),
            title=items[-1].title,
            items=[
                {"title": i.title, "body": i.body, "link": absolute(i.link)}
                for i in items[-DIGEST_MAX_ITEMS:]
            ],
        )
    await queue_mail(
        session,
        to=user.email,
        template=template,
        context=context,
        headers=headers,
        kind=f"notification:{kind}",
    )
    now = _now()
    await session.execute(
        update(Notification)
        .where(Notification.id.in_([i.id for i in items]))
        .values(email_state="sent", emailed_at=now)
    )
    for item in items:
        item.email_state, item.emailed_at = "sent", now


async def send_digest(session: AsyncSession, *, user_id: uuid.UUID, kind: str) -> int:
    """Mail the notifications of ``kind`` that waited for the digest; returns how many."""
    await _lock_mail(session, user_id, kind)
    pending = list(
        (
            await session.execute(
                select(Notification)
                .where(
                    Notification.user_id == user_id,
                    Notification.kind == kind,
                    Notification.email_state == "pending",
                )
                .order_by(Notification.seq)
            )
        ).scalars()
    )
    if not pending:
        return 0
    prefs = await get_settings_row(session, user_id=user_id)
    if not email_enabled(prefs, kind):
        await session.execute(
            update(Notification)
            .where(Notification.id.in_([n.id for n in pending]))
            .values(email_state="none")
        )
        return 0
    await _send(session, user_id=user_id, kind=kind, items=pending)
    return len(pending)


# ---- unsubscribe ---------------------------------------------------------------------------


def _signature(user_id: uuid.UUID, kind: str) -> str:
    key = hashlib.sha256(b"unsubscribe:" + get_settings().secret().encode()).digest()
    return hmac.new(key, f"{user_id.hex}:{kind}".encode(), hashlib.sha256).hexdigest()[:32]


def unsubscribe_token(user_id: uuid.UUID, kind: str) -> str:
    return f"{user_id.hex}.{kind}.{_signature(user_id, kind)}"


def parse_unsubscribe_token(token: str) -> tuple[uuid.UUID, str]:
    parts = token.split(".")
    invalid = ValidationFailed("This unsubscribe link is invalid")
    if len(parts) != 3 or len(token) > 200:
        raise invalid
    try:
        user_id = uuid.UUID(hex=parts[0])
    except ValueError as exc:
        raise invalid from exc
    kind = parts[1]
    spec = kinds_module.KINDS.get(kind)
    if spec is None or spec.security:
        raise invalid
    if not hmac.compare_digest(parts[2].encode(), _signature(user_id, kind).encode()):
        raise invalid
    return user_id, kind


async def unsubscribe(session: AsyncSession, *, token: str) -> str:
    """Turn off mail of the token's kind (one click, RFC 8058); returns the kind."""
    user_id, kind = parse_unsubscribe_token(token)
    from resumate.modules.users.models import User

    if await session.get(User, user_id) is None:
        raise ValidationFailed("This unsubscribe link is invalid")
    await update_settings(session, user_id=user_id, email={kind: False})
    return kind


# ---- reading -------------------------------------------------------------------------------


async def list_notifications(
    session: AsyncSession, *, user_id: uuid.UUID, unread: bool | None, page: PageParams
) -> tuple[list[Notification], int]:
    conditions = [Notification.user_id == user_id]
    if unread is True:
        conditions.append(Notification.read_at.is_(None))
    elif unread is False:
        conditions.append(Notification.read_at.is_not(None))
    total = (
        await session.execute(select(func.count()).select_from(Notification).where(*conditions))
    ).scalar_one()
    rows = await session.execute(
        select(Notification)
        .where(*conditions)
        .order_by(Notification.seq.desc())
        .offset(page.offset)
        .limit(page.per_page)
    )
    return list(rows.scalars()), int(total)


async def unread_count(session: AsyncSession, *, user_id: uuid.UUID) -> int:
    return int(
        (
            await session.execute(
                select(func.count())
                .select_from(Notification)
                .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            )
        ).scalar_one()
    )


async def mark_read(
    session: AsyncSession, *, user_id: uuid.UUID, notification_id: uuid.UUID
) -> Notification:
    notification = (
        await session.execute(
            select(Notification).where(
                Notification.id == notification_id, Notification.user_id == user_id
            )
        )
    ).scalar_one_or_none()
    if notification is None:
        raise NotFound("Notification not found")
    if notification.read_at is None:
        notification.read_at = _now()
        await session.flush()
        usercache.touch(session, user_id)
    return notification


async def mark_all_read(session: AsyncSession, *, user_id: uuid.UUID) -> int:
    result = await session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=_now())
    )
    count = int(result.rowcount)  # type: ignore[attr-defined]
    if count:
        usercache.touch(session, user_id)
    return count


async def since(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    after_seq: int,
    also: int | None = None,
    limit: int = 500,
) -> list[Notification]:
    """The user's notifications after ``after_seq`` (and number ``also``), oldest first."""
    wanted = Notification.seq > after_seq
    if also is not None:
        wanted = wanted | (Notification.seq == also)
    rows = await session.execute(
        select(Notification)
        .where(Notification.user_id == user_id, wanted)
        .order_by(Notification.seq)
        .limit(limit)
    )
    return list(rows.scalars())


async def latest_seq(session: AsyncSession, *, user_id: uuid.UUID) -> int:
    value = (
        await session.execute(
            select(func.max(Notification.seq)).where(Notification.user_id == user_id)
        )
    ).scalar_one()
    return int(value or 0)


async def _export(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    prefs = await get_settings_row(session, user_id=user_id)
    rows = await session.execute(
        select(Notification).where(Notification.user_id == user_id).order_by(Notification.seq)
    )
    return {
        "settings": settings_view(prefs),
        "items": [
            {
                "id": str(n.id),
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "link": n.link,
                "read_at": n.read_at.isoformat() if n.read_at else None,
                "created_at": n.created_at.isoformat(),
            }
            for n in rows.scalars()
        ],
    }


user_providers.register_user_data(
    user_providers.UserDataProvider(name="notifications", export=_export)
)
