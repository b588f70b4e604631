"""CV uploads and their analysis: files streamed to storage under a cap, type decided by
content, analysis deferred in the same transaction as the row."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import procrastinate.exceptions
import structlog
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from resumate.ai.documents import detect_kind
from resumate.config import get_settings
from resumate.core import usercache
from resumate.core.db import release_connection
from resumate.core.envelope import PageParams
from resumate.core.errors import NotFound, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from resumate.core.queue import defer
from resumate.core.storage import StoredObjectTooLarge, get_storage, new_key
from resumate.core.sweep import KeySource, register_key_source
from resumate.modules.analytics import service as analytics_service
from resumate.modules.billing import service as billing_service
from resumate.modules.cvs.models import CV
from resumate.modules.embeddings import service as embedding_service
from resumate.modules.notifications import service as notification_service
from resumate.modules.resumes import service as resume_service
from resumate.modules.resumes.models import Resume
from resumate.modules.users import service as user_service

log = structlog.get_logger(__name__)

RESOURCE = "cv"
HEAD_BYTES = 64 * 1024
MAX_ANALYSIS_ATTEMPTS = 4
_UNSAFE = re.compile(r"[^\w.()\[\] -]+", re.UNICODE)


def sanitize_filename(name: str | None, kind: str) -> str:
    """A display name only (the storage key is random): no paths, controls or odd characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE.sub("_", base).strip(" ._") or "cv"
    _stem, dot, ext = base.rpartition(".")
    if not dot or ext.lower() != kind:
        base = f"{base}.{kind}"
    return base[-200:]


async def upload_cv(
    session: AsyncSession, *, user_id: uuid.UUID, filename: str | None, chunks: AsyncIterator[bytes]
) -> CV:
    """Store the upload (streamed, capped), check its type by content, create the row and
    defer its analysis in this transaction. Nothing stays behind when anything fails."""
    settings = get_settings()
    storage = get_storage()
    digest = hashlib.sha256()
    head = bytearray()

    async def observed() -> AsyncIterator[bytes]:
        async for chunk in chunks:
            digest.update(chunk)
            if len(head) < HEAD_BYTES:
                head.extend(chunk[: HEAD_BYTES - len(head)])
            yield chunk

    key = new_key("cvs")
    # Only reads so far (the caller's sign-in): the connection is not held while the file is
    # copied to storage (seconds to S3 for a large file).
    await release_connection(session)
    try:
        size = await storage.put(key, observed(), max_bytes=settings.max_upload_bytes)
    except StoredObjectTooLarge as exc:
        raise PayloadTooLarge(
            f"The file is larger than {settings.max_upload_bytes // (1024 * 1024)} MB",
            details={"limit_bytes": settings.max_upload_bytes},
        ) from exc
    try:
        if size == 0:
            raise ValidationFailed("The file is empty")
        kind = detect_kind(bytes(head))
        if kind is None and head.startswith(b"PK"):
            kind = detect_kind(await storage.read(key))  # a DOCX whose parts are stored late
        if kind is None:
            raise UnsupportedMediaType(
                "Upload a PDF or a Word (.docx) file; this file is neither",
                details={
                    "accepted": [
                        "application/pdf",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    ]
                },
            )
        await billing_service.enforce_quota(session, user_id=user_id, quota="cv_analyses")
        cv = CV(
            user_id=user_id,
            filename=sanitize_filename(filename, kind),
            storage_key=key,
            file_kind=kind,
            size_bytes=size,
            sha256=digest.hexdigest(),
            status="pending",
        )
        session.add(cv)
        await session.flush()
        await queue_analysis(session, cv=cv)
        await analytics_service.record_event(
            session,
            owner_id=user_id,
            resource_type=RESOURCE,
            resource_id=cv.id,
            event=analytics_service.CV_UPLOADED,
            meta={"file_kind": kind},
        )
        return cv
    except BaseException:
        await storage.delete(key)
        raise


async def queue_analysis(session: AsyncSession, *, cv: CV) -> None:
    from resumate.modules.cvs.tasks import analyze_cv

    try:
        async with session.begin_nested():
            await defer(
                session,
                analyze_cv,
                queueing_lock=f"cv:{cv.id}",
                lock=f"cv:{cv.id}",
                cv_id=str(cv.id),
            )
    except procrastinate.exceptions.AlreadyEnqueued:
        pass  # an analysis of this CV is already waiting: it will see the latest state


async def get_owned(session: AsyncSession, *, user_id: uuid.UUID, cv_id: uuid.UUID) -> CV:
    cv = (
        await session.execute(select(CV).where(CV.id == cv_id, CV.user_id == user_id))
    ).scalar_one_or_none()
    if cv is None:
        raise NotFound("CV not found")
    return cv


async def list_cvs(
    session: AsyncSession, *, user_id: uuid.UUID, page: PageParams, status: str | None = None
) -> tuple[list[CV], int]:
    where = [CV.user_id == user_id]
    if status:
        where.append(CV.status == status)
    total = (await session.execute(select(func.count()).select_from(CV).where(*where))).scalar_one()
    rows = await session.execute(
        select(CV)
        .where(*where)
        .order_by(CV.uploaded_at.desc(), CV.id)
        .offset(page.offset)
        .limit(page.per_page)
    )
    return list(rows.scalars()), int(total)


async def delete_cv(session: AsyncSession, *, cv: CV) -> None:
    key = cv.storage_key
    await embedding_service.delete_for(session, resource_type=RESOURCE, resource_id=cv.id)
    usercache.touch(session, cv.user_id)
    await session.delete(cv)
    await session.flush()
    await get_storage().delete(key)


async def reanalyze(session: AsyncSession, *, cv: CV) -> CV:
    await billing_service.enforce_quota(session, user_id=cv.user_id, quota="cv_analyses")
    cv.status = "pending"
    cv.error = None
    cv.attempts = 0
    cv.queued_at = datetime.now(UTC)
    await session.flush()
    await queue_analysis(session, cv=cv)
    usercache.touch(session, cv.user_id)
    return cv


async def to_resume(session: AsyncSession, *, cv: CV) -> Resume:
    """A new, editable resume from the CV's parsed content (JSON Resume)."""
    if cv.status != "ready" or not cv.parsed_content:
        raise ValidationFailed(
            f"The CV is not analysed yet (status {cv.status}); try again when it is ready"
        )
    name = (cv.contact or {}).get("name") or cv.filename.rsplit(".", 1)[0]
    return await resume_service.create_resume(
        session,
        user_id=cv.user_id,
        title=f"{name} (from {cv.filename})"[:200],
        data=cv.parsed_content,
    )


async def file_stream(cv: CV) -> AsyncIterator[bytes]:
    return get_storage().get(cv.storage_key)


async def sweep_analyses(
    session: AsyncSession,
    *,
    deadline: timedelta,
    stalled_after: timedelta,
    deadline_message: str,
    crash_message: str,
) -> dict[str, int]:
    """No CV stays pending or processing past ``deadline`` (counted from when its analysis was
    asked for): those are failed with ``deadline_message``. CVs left in ``processing`` longer
    than ``stalled_after`` (their worker died) or ``pending`` with no job are queued again, or
    failed with ``crash_message`` when they have used all their attempts."""
    now = datetime.now(UTC)
    expired = await session.execute(
        update(CV)
        .where(CV.status.in_(("pending", "processing")), CV.queued_at < now - deadline)
        .values(status="failed", error=deadline_message)
        .returning(CV.id)
    )
    expired_ids = list(expired.scalars())
    cutoff = now - stalled_after
    stalled = list(
        (
            await session.execute(
                select(CV)
                .where(
                    (CV.status == "processing") & (CV.processing_started_at < cutoff)
                    | (CV.status == "pending") & (CV.queued_at < cutoff)
                )
                .with_for_update(skip_locked=True)
                .limit(200)
            )
        ).scalars()
    )
    requeued = failed = 0
    given_up: list[uuid.UUID] = []
    for cv in stalled:
        if cv.attempts >= MAX_ANALYSIS_ATTEMPTS:
            cv.status, cv.error = "failed", crash_message
            given_up.append(cv.id)
            failed += 1
        else:
            cv.status = "pending"
            await queue_analysis(session, cv=cv)
            requeued += 1
    await session.flush()
    for cv_id in [*expired_ids, *given_up]:
        await announce_analysis(session, cv_id)
    if expired_ids or stalled:
        log.warning(
            "CV analyses swept",
            past_deadline=len(expired_ids),
            requeued=requeued,
            failed=failed,
        )
    return {"past_deadline": len(expired_ids), "requeued": requeued, "failed": failed}


async def mark(
    session: AsyncSession, cv_id: uuid.UUID, *, only_if: str | None = None, **values: Any
) -> bool:
    """Set ``values`` on the CV (only while its status is ``only_if``, when given); returns
    whether a row changed."""
    stmt = update(CV).where(CV.id == cv_id)
    if only_if is not None:
        stmt = stmt.where(CV.status == only_if)
    result = await session.execute(stmt.values(**values).returning(CV.id))
    return result.first() is not None


async def announce_analysis(session: AsyncSession, cv_id: uuid.UUID) -> None:
    """In the transaction that finished the analysis: its event and its notification."""
    cv = (
        await session.execute(
            select(
                CV.user_id, CV.filename, CV.status, CV.quality_score, CV.error, CV.provider
            ).where(CV.id == cv_id)
        )
    ).one_or_none()
    if cv is None or cv.status not in ("ready", "failed"):
        return
    ready = cv.status == "ready"
    await analytics_service.record_event(
        session,
        owner_id=cv.user_id,
        resource_type=RESOURCE,
        resource_id=cv_id,
        event=analytics_service.CV_ANALYSED if ready else analytics_service.CV_ANALYSIS_FAILED,
        meta={"score": cv.quality_score, "provider": cv.provider} if ready else None,
    )
    await notification_service.notify(
        session,
        user_id=cv.user_id,
        kind="cv_analysis_ready" if ready else "cv_analysis_failed",
        params={"filename": cv.filename, "score": cv.quality_score, "error": cv.error},
        link=f"/app/cvs/{cv_id}",
        data={"cv_id": str(cv_id), "status": cv.status, "quality_score": cv.quality_score},
    )


# ---- account export and deletion ----------------------------------------------------------


async def _export(session: AsyncSession, user_id: uuid.UUID) -> list[dict[str, Any]]:
    from resumate.modules.cvs.schemas import CVRead

    rows = await session.execute(select(CV).where(CV.user_id == user_id).order_by(CV.uploaded_at))
    return [CVRead.model_validate(cv).model_dump(mode="json") for cv in rows.scalars()]


async def _stored_files(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    return list(
        (await session.execute(select(CV.storage_key).where(CV.user_id == user_id))).scalars()
    )


async def _count(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(CV))).scalar_one())


async def _storage_bytes(session: AsyncSession) -> int:
    return int(
        (await session.execute(select(func.coalesce(func.sum(CV.size_bytes), 0)))).scalar_one()
    )


async def _texts(
    session: AsyncSession, after: uuid.UUID | None, limit: int
) -> list[tuple[uuid.UUID, uuid.UUID, str]]:
    stmt = select(CV.id, CV.user_id, CV.text_content).where(CV.status == "ready")
    if after is not None:
        stmt = stmt.where(CV.id > after)
    rows = await session.execute(stmt.order_by(CV.id).limit(limit))
    return [(row[0], row[1], row[2] or "") for row in rows]


embedding_service.register_text_source(RESOURCE, _texts)

user_service.register_user_data(
    user_service.UserDataProvider(
        name="cvs",
        export=_export,
        stored_files=_stored_files,
        count=_count,
        storage_bytes=_storage_bytes,
    )
)


async def _referenced_keys(session: AsyncSession) -> set[str]:
    return set((await session.execute(select(CV.storage_key))).scalars())


async def _files_missing(session: AsyncSession, keys: set[str]) -> int:
    """CVs whose original is gone cannot be analysed or downloaded again: say so on the row."""
    result = await session.execute(
        update(CV)
        .where(CV.storage_key.in_(list(keys)), CV.status != "failed")
        .values(status="failed", error="The uploaded file is missing; upload it again")
    )
    return int(getattr(result, "rowcount", 0) or 0)


register_key_source(
    KeySource(name="cvs", prefixes=("cvs",), referenced=_referenced_keys, on_missing=_files_missing)
)
