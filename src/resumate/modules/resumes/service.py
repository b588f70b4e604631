"""Resumes: JSON Resume documents with optimistic concurrency, PDF rendering with reuse,
previews and public sharing."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import secrets
import uuid
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Text, bindparam, cast, delete, func, select, true, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only
from sqlalchemy.sql.selectable import GenerativeSelect

from resumate.config import get_settings
from resumate.core import usercache
from resumate.core.db import read_without_transaction, release_connection
from resumate.core.envelope import PageParams
from resumate.core.errors import (
    NotFound,
    PreconditionFailed,
    ServiceUnavailable,
    ValidationFailed,
)
from resumate.core.security import AccessClaims
from resumate.core.storage import get_storage, new_key
from resumate.core.sweep import KeySource, register_key_source
from resumate.jsonresume import ResumeValidationError, parse_resume
from resumate.modules.analytics import service as analytics_service
from resumate.modules.auth import service as auth_service
from resumate.modules.billing import service as billing_service
from resumate.modules.notifications import service as notification_service
from resumate.modules.resumes.models import Resume, ResumePdf
from resumate.modules.templates import service as template_service
from resumate.modules.templates.models import Template
from resumate.modules.users import service as user_service
from resumate.modules.users.models import User
from resumate.rendering import pdf as rendering
from resumate.rendering.pool import RenderBusy, RenderPool

RESOURCE = "resume"
SelectT = TypeVar("SelectT", bound=GenerativeSelect)
# Typst holds the GIL while it compiles, so renders run in worker processes (a thread would
# stall the event loop for the whole compile). Created on first use, closed on shutdown.
_render_pool: RenderPool | None = None


def _pool() -> RenderPool:
    global _render_pool
    if _render_pool is None:
        settings = get_settings()
        _render_pool = RenderPool(
            workers=settings.render_workers,
            max_tasks=settings.render_max_tasks,
            max_rss_mb=settings.render_max_rss_mb,
            max_pending=settings.render_max_pending,
        )
    return _render_pool


def start_render_pool() -> None:
    """Spawn the render processes now; they warm up in the background."""
    _pool()


def close_render_pool() -> None:
    global _render_pool
    if _render_pool is not None:
        _render_pool.close()
        _render_pool = None


async def _render(
    kind: str,
    data: dict[str, Any] | str,
    source: rendering.TemplateSource,
    page: int = 1,
    *,
    key: str | None = None,
) -> Any:
    """Render in the pool; a render whose process died is tried once more on a new one."""
    for attempt in (1, 2):
        pool = _pool()
        try:
            if kind == "pdf":
                return await pool.render_pdf(data, source, key=key)
            return await pool.render_png(data, source, page=page, ppi=96, key=key)
        except RenderBusy:
            raise ServiceUnavailable(
                "Too many documents are being rendered right now; try again in a moment",
                headers={"Retry-After": "1"},
            ) from None
        except BrokenProcessPool:
            if attempt == 2:
                raise ServiceUnavailable(
                    "The renderer is restarting; try again", headers={"Retry-After": "1"}
                ) from None
    raise AssertionError("unreachable")


def etag(resume: Resume) -> str:
    return f'"{resume.id.hex[:12]}-{resume.version}"'


def etag_matches(if_match: str, resume: Resume) -> bool:
    candidates = [part.strip() for part in if_match.split(",")]
    current = etag(resume)
    return any(c == "*" or c.removeprefix("W/") == current for c in candidates)


def public_url(slug: str) -> str:
    return f"{get_settings().public_url.rstrip('/')}/r/{slug}"


def validate_document(data: object, *, prefix: str = "$.data") -> dict[str, Any]:
    """The normalised JSON Resume document, or 422 naming the JSON path of each problem."""
    try:
        document = parse_resume(data)
    except ResumeValidationError as exc:
        errors = [
            {"path": prefix + err["path"][1:], "message": err["message"]} for err in exc.errors
        ]
        first = errors[0] if errors else {"path": prefix, "message": "invalid"}
        raise ValidationFailed(
            f"Invalid JSON Resume document: {first['path']}: {first['message']}",
            details={"errors": errors},
        ) from exc
    return document.to_json()


async def _resolve_template(session: AsyncSession, template_id: uuid.UUID | None) -> Template:
    if template_id is None:
        return await template_service.default_template(session)
    try:
        return await template_service.get_template(session, template_id=template_id)
    except NotFound as exc:
        raise ValidationFailed(
            "Unknown template",
            details={"errors": [{"path": "$.template_id", "message": "no such template"}]},
        ) from exc


async def create_resume(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    title: str,
    data: object,
    template_id: uuid.UUID | None = None,
) -> Resume:
    document = validate_document(data)
    template = await _resolve_template(session, template_id)
    await billing_service.enforce_quota(session, user_id=user_id, quota="resumes")
    resume = Resume(
        user_id=user_id,
        title=title.strip() or "Untitled resume",
        template_id=template.id,
        data=document,
        version=1,
    )
    session.add(resume)
    await session.flush()
    await _record(session, resume, analytics_service.RESUME_CREATED)
    return resume


async def _record(
    session: AsyncSession, resume: Resume, event: str, meta: dict[str, Any] | None = None
) -> None:
    await analytics_service.record_event(
        session,
        owner_id=resume.user_id,
        resource_type=RESOURCE,
        resource_id=resume.id,
        event=event,
        meta=meta,
    )


def title_from_document(data: dict[str, Any]) -> str:
    basics = data.get("basics") or {}
    name = basics.get("name") if isinstance(basics, dict) else None
    label = basics.get("label") if isinstance(basics, dict) else None
    parts = [p for p in (name, label) if isinstance(p, str) and p.strip()]
    return " – ".join(parts)[:200] if parts else "Imported resume"


async def import_resume(session: AsyncSession, *, user_id: uuid.UUID, data: object) -> Resume:
    document = validate_document(data, prefix="$")
    return await create_resume(
        session, user_id=user_id, title=title_from_document(document), data=document
    )


# Every request on one resume loads it with this (built once: SQLAlchemy keeps its cache key).
_OWNED = select(Resume).where(
    Resume.id == bindparam("resume_id"), Resume.user_id == bindparam("user_id")
)


async def get_owned(session: AsyncSession, *, user_id: uuid.UUID, resume_id: uuid.UUID) -> Resume:
    resume = (
        await session.execute(_OWNED, {"resume_id": resume_id, "user_id": user_id})
    ).scalar_one_or_none()
    if resume is None:
        raise NotFound("Resume not found")
    return resume


# The caller (``auth_service.PRINCIPAL``) and the resume if it is theirs, in one query; with
# its template for the routes that render (built once).
_OWNED_WITH_PRINCIPAL = auth_service.PRINCIPAL.add_columns(Resume).outerjoin(
    Resume, (Resume.id == bindparam("resume_id")) & (Resume.user_id == User.id)
)
_OWNED_WITH_PRINCIPAL_AND_TEMPLATE = _OWNED_WITH_PRINCIPAL.add_columns(Template).outerjoin(
    Template, Template.id == Resume.template_id
)


@dataclass(frozen=True)
class ResumeToRender:
    """A resume and its template as loaded with it (None when it names none or was not
    loaded)."""

    resume: Resume
    template: Template | None


async def get_owned_with_principal(
    session: AsyncSession,
    *,
    claims: AccessClaims,
    resume_id: uuid.UUID,
    with_template: bool = True,
) -> tuple[User, ResumeToRender]:
    """``auth_service.load_principal`` and ``get_owned`` in one query (401 first, then 404),
    with the resume's template if ``with_template`` (so ``render_resume_pdf`` and
    ``preview_png`` need no query for it). For work that only reads before it writes anything
    (what a render does before it starts, the GETs of one resume): the reads run without a
    transaction (no BEGIN and COMMIT round trips); writes after them need a transaction of
    their own, on a connection taken afresh (``release_connection`` first), as
    ``render_resume_pdf``'s do."""
    await read_without_transaction(session)
    params = auth_service.principal_params(claims)
    params["resume_id"] = resume_id
    statement = _OWNED_WITH_PRINCIPAL_AND_TEMPLATE if with_template else _OWNED_WITH_PRINCIPAL
    row = (await session.execute(statement, params)).one_or_none()
    user, _auth_session = auth_service.check_principal(row)
    assert row is not None  # checked above
    resume: Resume | None = row[2]
    if resume is None:
        raise NotFound("Resume not found")
    return user, ResumeToRender(resume=resume, template=row[3] if with_template else None)


def _sorted(stmt: SelectT, sort: str) -> SelectT:
    column = {
        "updated_at": Resume.updated_at,
        "created_at": Resume.created_at,
        "title": Resume.title,
    }[sort.lstrip("-")]
    return stmt.order_by(column.desc() if sort.startswith("-") else column.asc(), Resume.id)


def _list_statement(sort: str) -> Any:
    """One page of a user's resumes (without their documents) with the total, for one sort
    order. Built once per order with bind parameters: SQLAlchemy keeps a statement's cache
    key, and a statement built per call computed it on every request."""
    stmt = _LIST_STATEMENTS.get(sort)
    if stmt is None:
        stmt = _LIST_STATEMENTS[sort] = (
            _sorted(
                select(Resume, func.count().over().label("total"))
                # The digest for ``pdf_states`` (the dashboard): whether the latest PDF is current.
                .options(load_only(*_SUMMARY_COLUMNS, Resume.data_sha256, raiseload=True))
                .where(Resume.user_id == bindparam("user_id")),
                sort,
            )
            .offset(bindparam("offset"))
            .limit(bindparam("limit"))
        )
    return stmt


_LIST_STATEMENTS: dict[str, Any] = {}


async def list_resumes(
    session: AsyncSession, *, user_id: uuid.UUID, page: PageParams, sort: str = "-updated_at"
) -> tuple[list[Resume], int]:
    """One page of the user's resumes (without their documents) and the total, in one query."""
    rows = (
        await session.execute(
            _list_statement(sort),
            {"user_id": user_id, "offset": page.offset, "limit": page.per_page},
        )
    ).all()
    if rows:
        return [row[0] for row in rows], int(rows[0].total)
    if page.offset == 0:
        return [], 0
    total = await session.scalar(select(func.count()).where(Resume.user_id == user_id))
    return [], int(total or 0)


# The summary's columns of a listed resume (no document), in the order of ``ResumeSummary``.
_SUMMARY_COLUMNS = (
    Resume.id,
    Resume.title,
    Resume.template_id,
    Resume.version,
    Resume.share_enabled,
    Resume.created_at,
    Resume.updated_at,
)


def _caller_list_statement(sort: str) -> Any:
    """The caller (``auth_service.PRINCIPAL_COLUMNS``) and one page of their resumes with the
    total, in one query: the principal's columns joined to each row of the page (a lateral
    subquery, correlated to the caller's user id, so it reads only their resumes), or once with
    NULLs when the page is empty. Columns, not ORM objects: loading the user and session as
    objects for each of the page's rows cost about a quarter of the request. Built once per
    sort order (see ``_list_statement``)."""
    stmt = _CALLER_LIST_STATEMENTS.get(sort)
    if stmt is None:
        page = (
            _sorted(
                select(*_SUMMARY_COLUMNS, func.count().over().label("total")).where(
                    Resume.user_id == User.id
                ),
                sort,
            )
            .offset(bindparam("offset"))
            .limit(bindparam("limit"))
            .lateral("page")
        )
        stmt = _CALLER_LIST_STATEMENTS[sort] = auth_service.PRINCIPAL_COLUMNS.add_columns(
            *page.c
        ).outerjoin(page, true())
    return stmt


_CALLER_LIST_STATEMENTS: dict[str, Any] = {}


async def list_for_caller(
    session: AsyncSession, *, claims: AccessClaims, page: PageParams, sort: str = "-updated_at"
) -> tuple[uuid.UUID, list[dict[str, Any]], int]:
    """``auth_service.load_principal`` and ``list_resumes`` in one query, without a
    transaction (it only reads): the caller's user id (401 as ``load_principal``), one page of
    their resumes (dicts with the keys of ``ResumeSummary``) and the total.

    The page goes out as dicts, not rows: reading a column as an attribute of a SQLAlchemy row
    raises and catches an AttributeError first (about 3,500 instructions each, 140 per page of
    20), and pydantic validates the summaries attribute by attribute."""
    await read_without_transaction(session)
    params = auth_service.principal_params(claims)
    params["offset"], params["limit"] = page.offset, page.per_page
    connection = await session.connection()
    rows = list((await connection.execute(_caller_list_statement(sort), params)).all())
    user_id = auth_service.check_principal_columns(rows[0] if rows else None)
    if rows[0].id is not None:
        keys = rows[0]._fields
        return user_id, [dict(zip(keys, row, strict=True)) for row in rows], int(rows[0].total)
    if page.offset == 0:
        return user_id, [], 0
    total = await session.scalar(select(func.count()).where(Resume.user_id == user_id))
    return user_id, [], int(total or 0)


async def update_resume(
    session: AsyncSession, *, resume: Resume, changes: dict[str, Any], if_match: str | None
) -> Resume:
    """Apply ``changes``; a stale ``If-Match`` changes nothing and raises 412."""
    # Lock the row so two writers holding the same ETag cannot both pass the check.
    await session.refresh(resume, with_for_update=True)
    if if_match is not None and not etag_matches(if_match, resume):
        raise PreconditionFailed(
            "The resume changed since you read it; reload it and apply your change again",
            details={"current_etag": etag(resume)},
        )
    if "data" in changes and changes["data"] is not None:
        resume.data = validate_document(changes["data"])
    if changes.get("title") is not None:
        resume.title = changes["title"].strip() or resume.title
    if "template_id" in changes and changes["template_id"] is not None:
        resume.template_id = (await _resolve_template(session, changes["template_id"])).id
    resume.version += 1
    await session.flush()
    usercache.touch(session, resume.user_id)
    return resume


async def _pdf_keys(session: AsyncSession, resume_ids: list[uuid.UUID]) -> list[str]:
    if not resume_ids:
        return []
    rows = await session.execute(
        select(ResumePdf.storage_key).where(ResumePdf.resume_id.in_(resume_ids))
    )
    return list(rows.scalars())


async def delete_resume(session: AsyncSession, *, resume: Resume) -> None:
    keys = await _pdf_keys(session, [resume.id])
    usercache.touch(session, resume.user_id)
    await session.delete(resume)
    await session.flush()
    storage = get_storage()
    for key in keys:
        await storage.delete(key)


async def duplicate_resume(session: AsyncSession, *, resume: Resume) -> Resume:
    await billing_service.enforce_quota(session, user_id=resume.user_id, quota="resumes")
    copy_ = Resume(
        user_id=resume.user_id,
        title=f"{resume.title} (copy)"[:200],
        template_id=resume.template_id,
        data=copy.deepcopy(resume.data),
        version=1,
    )
    session.add(copy_)
    await session.flush()
    await _record(session, copy_, analytics_service.RESUME_CREATED)
    return copy_


# ---- PDF and previews -------------------------------------------------------------------


async def _template_for(
    session: AsyncSession, resume: Resume, loaded: Template | None = None
) -> Template:
    """The resume's template (``loaded`` if it was loaded with the resume), or the default
    one when it names none or an inactive one."""
    if resume.template_id is not None:
        template = (
            loaded
            if loaded is not None and loaded.id == resume.template_id
            else await session.get(Template, resume.template_id)
        )
        if template is not None and template.is_active:
            return template
    return await template_service.default_template(session)


@dataclass(frozen=True, slots=True)
class TemplateRef:
    """What a render needs to know of a template row (its files come from
    ``template_service.source_of``)."""

    id: uuid.UUID
    slug: str
    version: int
    is_builtin: bool

    @classmethod
    def of(cls, template: Template) -> TemplateRef:
        return cls(
            id=template.id,
            slug=template.slug,
            version=template.version,
            is_builtin=template.is_builtin,
        )


@dataclass(frozen=True, slots=True)
class StoredPdf:
    """A stored PDF (a ``resume_pdfs`` row, read as columns)."""

    id: uuid.UUID
    resume_id: uuid.UUID
    template_id: uuid.UUID | None
    template_version: int
    template_digest: str
    sha256: str
    size_bytes: int
    pages: int
    storage_key: str
    created_at: datetime


_PDF_FIELDS = tuple(field.name for field in fields(StoredPdf))
_PDF_COLUMNS = tuple(ResumePdf.__table__.c[name] for name in _PDF_FIELDS)


def _stored_pdf(row: Any, prefix: str = "") -> StoredPdf:
    mapping = row._mapping
    return StoredPdf(*(mapping[prefix + name] for name in _PDF_FIELDS))


@dataclass(frozen=True, slots=True)
class PdfTarget:
    """What ``POST /resumes/{id}/pdf`` reads before it renders (``load_for_pdf``): the resume's
    document and its digest, its template (None when it names none or an inactive one: the
    default template is used) and the newest stored PDF of this exact document with any
    template (None when there is none). ``data`` is the document as PostgreSQL writes it out
    (``jsonb::text``): it goes to the render process as text, which decodes it there, so the
    server neither decodes it nor pickles it."""

    resume_id: uuid.UUID
    user_id: uuid.UUID
    data: str
    data_sha256: str
    template: TemplateRef | None
    latest_of_data: StoredPdf | None


# The newest stored PDF of the resume's current document, whatever its template: found by the
# data's digest (a column of the resume, migration 0019) with the resume, so that a PDF made
# before for this document needs no query of its own. Usually the one of the resume's
# template; when it is not (the template changed back and forth), ``_lookup_pdf`` finds it.
_LATEST_OF_DATA = (
    select(*_PDF_COLUMNS)
    .where(ResumePdf.resume_id == Resume.id, ResumePdf.data_sha256 == Resume.data_sha256)
    .order_by(ResumePdf.created_at.desc())
    .limit(1)
    .lateral("latest_of_data")
)
# The caller (``auth_service.PRINCIPAL_COLUMNS``), the resume if it is theirs, its template
# and the newest PDF of its document, as columns in one query (built once: SQLAlchemy keeps
# its cache key). Columns, not ORM objects: loading four objects per request cost more than
# the query's own work.
_FOR_PDF = (
    auth_service.PRINCIPAL_COLUMNS.add_columns(
        Resume.id.label("resume_id"),
        cast(Resume.data, Text).label("resume_data"),
        Resume.data_sha256.label("resume_data_sha256"),
        Template.id.label("template_id"),
        Template.slug.label("template_slug"),
        Template.version.label("template_version"),
        Template.is_builtin.label("template_is_builtin"),
        Template.is_active.label("template_is_active"),
        *(column.label(f"pdf_{column.name}") for column in _LATEST_OF_DATA.c),
    )
    .outerjoin(Resume, (Resume.id == bindparam("resume_id")) & (Resume.user_id == User.id))
    .outerjoin(Template, Template.id == Resume.template_id)
    .outerjoin(_LATEST_OF_DATA, true())
)


async def load_for_pdf(
    session: AsyncSession, *, claims: AccessClaims, resume_id: uuid.UUID
) -> tuple[uuid.UUID, PdfTarget]:
    """The caller's user id (401 as ``auth_service.load_principal``: session not found,
    revoked or expired, account deactivated) and what ``make_pdf`` needs of their resume (404
    when it is not theirs), in one query without a transaction (it only reads; see
    ``get_owned_with_principal``)."""
    await read_without_transaction(session)
    params = auth_service.principal_params(claims)
    params["resume_id"] = resume_id
    connection = await session.connection()
    row = (await connection.execute(_FOR_PDF, params)).one_or_none()
    user_id = auth_service.check_principal_columns(row)
    assert row is not None  # checked above
    if row.resume_id is None:
        raise NotFound("Resume not found")
    template = (
        TemplateRef(
            id=row.template_id,
            slug=row.template_slug,
            version=row.template_version,
            is_builtin=row.template_is_builtin,
        )
        if row.template_id is not None and row.template_is_active
        else None
    )
    return user_id, PdfTarget(
        resume_id=row.resume_id,
        user_id=user_id,
        data=row.resume_data,
        data_sha256=row.resume_data_sha256,
        template=template,
        latest_of_data=_stored_pdf(row, "pdf_") if row.pdf_id is not None else None,
    )


async def make_pdf(session: AsyncSession, *, target: PdfTarget) -> tuple[StoredPdf, bool]:
    """``render_resume_pdf`` for what ``load_for_pdf`` read: no query before the render when
    the document was never rendered (or its PDF came with the resume)."""
    template = target.template
    if template is None:
        template = TemplateRef.of(await template_service.default_template(session))
    source = await _source(session, template)
    existing = target.latest_of_data
    if existing is not None and existing.template_digest != source.digest:
        # This document was rendered, latest with another template: with this one?
        existing = await _lookup_pdf(
            session,
            resume_id=target.resume_id,
            data_sha256=target.data_sha256,
            template_digest=source.digest,
        )
    return await _stored_or_rendered(
        session,
        resume_id=target.resume_id,
        user_id=target.user_id,
        data=target.data,
        data_sha256=target.data_sha256,
        template=template,
        source=source,
        existing=existing,
    )


async def _source(session: AsyncSession, template: TemplateRef) -> rendering.TemplateSource:
    return await template_service.source_of(
        session,
        template_id=template.id,
        slug=template.slug,
        version=template.version,
        is_builtin=template.is_builtin,
    )


# The stored PDF of one document and template (built once, see ``_insert_pdf_statement``).
_PDF_FOR = select(*_PDF_COLUMNS).where(
    ResumePdf.resume_id == bindparam("resume_id"),
    ResumePdf.data_sha256 == bindparam("data_sha256"),
    ResumePdf.template_digest == bindparam("template_digest"),
)


async def _lookup_pdf(
    session: AsyncSession, *, resume_id: uuid.UUID, data_sha256: str, template_digest: str
) -> StoredPdf | None:
    connection = await session.connection()
    row = (
        await connection.execute(
            _PDF_FOR,
            {
                "resume_id": resume_id,
                "data_sha256": data_sha256,
                "template_digest": template_digest,
            },
        )
    ).one_or_none()
    return _stored_pdf(row) if row is not None else None


async def render_resume_pdf(
    session: AsyncSession, *, resume: Resume, template: Template | None = None
) -> tuple[StoredPdf, bool]:
    """The stored PDF for the resume's current data and template; rendered and stored only
    when that combination was never rendered before. Returns (pdf, reused). ``template``: the
    resume's template if it was loaded with it (``get_owned_with_principal``)."""
    loaded = await _template_for(session, resume, template)
    ref = TemplateRef.of(loaded)
    source = await _source(session, ref)
    existing = await _lookup_pdf(
        session, resume_id=resume.id, data_sha256=resume.data_sha256, template_digest=source.digest
    )
    return await _stored_or_rendered(
        session,
        resume_id=resume.id,
        user_id=resume.user_id,
        data=resume.data,
        data_sha256=resume.data_sha256,
        template=ref,
        source=source,
        existing=existing,
    )


async def _stored_or_rendered(
    session: AsyncSession,
    *,
    resume_id: uuid.UUID,
    user_id: uuid.UUID,
    data: dict[str, Any] | str,
    data_sha256: str,
    template: TemplateRef,
    source: rendering.TemplateSource,
    existing: StoredPdf | None,
) -> tuple[StoredPdf, bool]:
    """``existing`` (the stored PDF of this document and template) while its file is there;
    else the document rendered, its file stored and its row written (or pointed at the new
    file). ``data`` is the document or its JSON text; ``data_sha256`` is the digest
    PostgreSQL computed for it (read with it)."""
    storage = get_storage()
    if existing is not None and await storage.exists(existing.storage_key):
        return existing, True
    # Nothing is written yet: the connection goes back to the pool while the render queues and
    # runs (up to the render pool's backlog of requests would otherwise each hold one). The
    # quota is counted after the render, in the transaction that stores it; an account
    # already at its limit is refused first (read only), not after a wasted render.
    await billing_service.refuse_if_used_up(session, user_id=user_id, quota="pdf_renders")
    await release_connection(session)
    try:
        rendered = await _render("pdf", data, source, key=str(resume_id))
    except ResumeValidationError as exc:
        raise ValidationFailed(
            "The stored document is not valid", details={"errors": exc.errors}
        ) from exc
    except rendering.TemplateError as exc:
        raise ValidationFailed(f"The template failed to render this resume: {exc}") from exc
    # The file is written (a thread: write, fsync, rename) while the quota is counted and the
    # row goes in, so the disk and the database work at the same time. The row is only visible
    # once the request's transaction commits, after both; a file whose row never commits is
    # removed here when the request fails, else by the storage sweep.
    key = new_key("pdfs", ".pdf")
    put = asyncio.ensure_future(storage.put_bytes(key, rendered.pdf))
    # Without billing the count is one more upsert: it goes into the row's statement.
    counted_inline = existing is None and billing_service.counts_without_limit("pdf_renders")
    try:
        if not counted_inline:
            await billing_service.enforce_quota(session, user_id=user_id, quota="pdf_renders")
        if existing is not None:  # the row survived but its file did not: point it at the new one
            await put
            connection = await session.connection()
            repointed = (
                await connection.execute(
                    _REPOINT_PDF,
                    {
                        "pdf_id": existing.id,
                        "new_storage_key": key,
                        "new_sha256": rendered.sha256,
                        "new_size_bytes": rendered.size_bytes,
                        "new_pages": rendered.pages,
                    },
                )
            ).one()
            await analytics_service.record_event(
                session,
                owner_id=user_id,
                resource_type=RESOURCE,
                resource_id=resume_id,
                event=analytics_service.PDF_RENDERED,
                meta={"pages": rendered.pages},
            )
            return _stored_pdf(repointed), False
        params = _insert_pdf_params(
            resume_id=resume_id,
            user_id=user_id,
            template=template,
            template_digest=source.digest,
            data_sha256=data_sha256,
            rendered=rendered,
            key=key,
        )
        if counted_inline:
            params.update(billing_service.count_params(user_id=user_id, quota="pdf_renders"))
        connection = await session.connection()
        row = (
            await connection.execute(_INSERT_PDF_COUNTED if counted_inline else _INSERT_PDF, params)
        ).one_or_none()
        await put  # a failed upload raises here, and the transaction is rolled back
    except BaseException:
        await _discard(put, key)
        raise
    if row is None:
        # A concurrent render of the same document won: use its row, drop our file.
        await storage.delete(key)
        winner = await _lookup_pdf(
            session, resume_id=resume_id, data_sha256=data_sha256, template_digest=source.digest
        )
        assert winner is not None  # the conflict was with it, and rows are not deleted here
        return winner, True
    usercache.touch(session, user_id)  # what ``record_event`` does besides the event
    return _stored_pdf(row), False


_REPOINT_PDF = (
    update(ResumePdf)
    .where(ResumePdf.id == bindparam("pdf_id"))
    .values(
        storage_key=bindparam("new_storage_key"),
        sha256=bindparam("new_sha256"),
        size_bytes=bindparam("new_size_bytes"),
        pages=bindparam("new_pages"),
    )
    .returning(*_PDF_COLUMNS)
)


def _insert_pdf_statement(*, counted: bool = False) -> Any:
    """One statement for a new PDF's row and its ``pdf_rendered`` event: the row goes in
    unless a concurrent render of the same document got there first (then neither is written
    and no row comes back), else the event is appended for it (what ``record_event`` adds).
    With ``counted``, the statement also counts the render (``billing_service.count_cte``, when
    there is no limit to check), whether or not the row goes in, as ``enforce_quota`` did
    before the row. Built once (SQLAlchemy keeps its cache key; a statement built per call pays
    for it each time)."""
    columns = ResumePdf.__table__.c
    row = (
        pg_insert(ResumePdf)
        .values(
            {
                column.name: bindparam(f"pdf_{column.name}", type_=column.type)
                for column in (
                    columns.id,
                    columns.resume_id,
                    columns.template_id,
                    columns.template_version,
                    columns.template_digest,
                    columns.data_sha256,
                    columns.sha256,
                    columns.size_bytes,
                    columns.pages,
                    columns.storage_key,
                )
            }
            # The time of the insert, not of the transaction's start: the newest PDF of a
            # resume is the one made last even when two are made in one transaction.
            | {"created_at": func.clock_timestamp()}
        )
        .on_conflict_do_nothing(index_elements=["resume_id", "data_sha256", "template_digest"])
        .returning(*_PDF_COLUMNS)
        .cte("new_pdf")
    )
    event = analytics_service.event_per_row(row).cte("new_event")
    # When the row goes in, this transaction's commit does not wait for its WAL flush (a wait
    # of milliseconds on a disk that syncs slowly; set here, not by a SET LOCAL round trip):
    # what it writes is a stored copy of a derived file (rendered again on demand if lost), its
    # analytics event and one count of the pdf_renders quota. A crash of the machine in the
    # next fraction of a second could lose them, never leave the database inconsistent, and a
    # lost count favours the user.
    asynchronous_commit = func.set_config("synchronous_commit", "off", True) == "off"
    stmt = select(*row.c).add_cte(event)
    if counted:
        stmt = stmt.add_cte(billing_service.count_cte())
    return stmt.where(asynchronous_commit)


_INSERT_PDF = _insert_pdf_statement()
_INSERT_PDF_COUNTED = _insert_pdf_statement(counted=True)


def _insert_pdf_params(
    *,
    resume_id: uuid.UUID,
    user_id: uuid.UUID,
    template: TemplateRef,
    template_digest: str,
    data_sha256: str,
    rendered: rendering.RenderedPdf,
    key: str,
) -> dict[str, Any]:
    return {
        "pdf_id": uuid.uuid4(),
        "pdf_resume_id": resume_id,
        "pdf_template_id": template.id,
        "pdf_template_version": template.version,
        "pdf_template_digest": template_digest,
        "pdf_data_sha256": data_sha256,
        "pdf_sha256": rendered.sha256,
        "pdf_size_bytes": rendered.size_bytes,
        "pdf_pages": rendered.pages,
        "pdf_storage_key": key,
        **analytics_service.event_params(
            owner_id=user_id,
            resource_type=RESOURCE,
            resource_id=resume_id,
            event=analytics_service.PDF_RENDERED,
            meta={"pages": rendered.pages},
        ),
    }


async def _discard(put: asyncio.Future[int], key: str) -> None:
    """After a failed request: let the file write finish, then remove the file."""
    with contextlib.suppress(Exception):
        await put
    with contextlib.suppress(Exception):
        await get_storage().delete(key)


async def latest_pdf(session: AsyncSession, *, resume: Resume) -> ResumePdf:
    pdf = (
        await session.execute(
            select(ResumePdf)
            .where(ResumePdf.resume_id == resume.id)
            .order_by(ResumePdf.created_at.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    if pdf is None:
        raise NotFound("No PDF was made for this resume yet; POST /resumes/{id}/pdf first")
    return pdf


async def pdf_states(session: AsyncSession, *, resumes: list[Resume]) -> dict[uuid.UUID, Any]:
    """For each resume: its latest PDF and whether it matches the current data
    (``state``: none | current | outdated)."""
    if not resumes:
        return {}
    rows = await session.execute(
        select(ResumePdf)
        .where(ResumePdf.resume_id.in_([r.id for r in resumes]))
        .order_by(ResumePdf.resume_id, ResumePdf.created_at.desc())
        .ext(distinct_on(ResumePdf.resume_id))
    )
    latest = {pdf.resume_id: pdf for pdf in rows.scalars()}
    states: dict[uuid.UUID, Any] = {}
    for resume in resumes:
        pdf = latest.get(resume.id)
        if pdf is None:
            states[resume.id] = {"state": "none", "pages": None, "rendered_at": None}
            continue
        current = pdf.data_sha256 == resume.data_sha256
        states[resume.id] = {
            "state": "current" if current else "outdated",
            "pages": pdf.pages,
            "rendered_at": pdf.created_at,
        }
    return states


async def preview_png(
    session: AsyncSession, *, resume: Resume, page: int, template: Template | None = None
) -> bytes:
    """A PNG of one page. ``template``: the resume's template if it was loaded with it. The
    connection goes back to the pool before the render (nothing was written)."""
    template = await _template_for(session, resume, template)
    source = await template_service.template_source(session, template)
    await release_connection(session)
    try:
        return await _render("png", resume.data, source, page=page, key=str(resume.id))
    except rendering.PageOutOfRange as exc:
        raise NotFound(f"Page {page} does not exist: the resume has {exc.pages} page(s)") from exc


# ---- sharing and stats -----------------------------------------------------------------


async def set_share(session: AsyncSession, *, resume: Resume, enabled: bool) -> Resume:
    if enabled and resume.share_slug is None:
        resume.share_slug = secrets.token_urlsafe(12)  # 96 bits: unguessable
    resume.share_enabled = enabled
    await session.flush()
    usercache.touch(session, resume.user_id)
    return resume


async def get_shared(session: AsyncSession, *, slug: str) -> Resume:
    if len(slug) > 32:
        raise NotFound("Not found")
    resume = (
        await session.execute(select(Resume).where(Resume.share_slug == slug, Resume.share_enabled))
    ).scalar_one_or_none()
    if resume is None:
        raise NotFound("Not found")
    return resume


PUBLIC_EVENTS = {
    "view": analytics_service.SHARE_VIEWED,
    "download": analytics_service.SHARE_DOWNLOADED,
}


async def record_public(session: AsyncSession, *, resume: Resume, event: str) -> None:
    """Count a public view or download; the owner hears of the first view of each day."""
    await _record(session, resume, PUBLIC_EVENTS[event])
    if event == "view":
        today = datetime.now(UTC).date().isoformat()
        await notification_service.notify(
            session,
            user_id=resume.user_id,
            kind="resume_viewed",
            params={"title": resume.title},
            link=f"/app/resumes/{resume.id}",
            data={"resume_id": str(resume.id), "date": today},
            dedupe_key=f"resume_viewed:{resume.id}:{today}",
        )


async def stats(session: AsyncSession, *, resume: Resume, days: int = 30) -> dict[str, Any]:
    counts = await analytics_service.event_counts(
        session, resource_type=RESOURCE, resource_id=resume.id, days=days
    )
    today = datetime.now(UTC).date()
    by_day = []
    for offset in range(days - 1, -1, -1):
        day: date = today - timedelta(days=offset)
        values = counts["per_day"].get(day, {})
        by_day.append(
            {
                "date": day,
                "views": values.get(analytics_service.SHARE_VIEWED, 0),
                "downloads": values.get(analytics_service.SHARE_DOWNLOADED, 0),
            }
        )
    return {
        "views": counts["totals"].get(analytics_service.SHARE_VIEWED, 0),
        "downloads": counts["totals"].get(analytics_service.SHARE_DOWNLOADED, 0),
        "by_day": by_day,
    }


# ---- account export and deletion ----------------------------------------------------------


async def _export(session: AsyncSession, user_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Resume).where(Resume.user_id == user_id).order_by(Resume.created_at)
    )
    return [
        {
            "id": str(r.id),
            "title": r.title,
            "template_id": str(r.template_id) if r.template_id else None,
            "data": r.data,
            "share_enabled": r.share_enabled,
            "created_at": r.created_at.isoformat(),
            "updated_at": r.updated_at.isoformat(),
        }
        for r in rows.scalars()
    ]


async def _stored_files(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    ids = list(
        (await session.execute(select(Resume.id).where(Resume.user_id == user_id))).scalars()
    )
    return await _pdf_keys(session, ids)


async def _count(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(Resume))).scalar_one())


async def _storage_bytes(session: AsyncSession) -> int:
    total = await session.execute(select(func.coalesce(func.sum(ResumePdf.size_bytes), 0)))
    return int(total.scalar_one())


async def _count_for(session: AsyncSession, user_id: uuid.UUID) -> int:
    return int(
        (await session.execute(select(func.count()).where(Resume.user_id == user_id))).scalar_one()
    )


billing_service.register_usage_count("resumes", _count_for)
user_service.register_user_data(
    user_service.UserDataProvider(
        name="resumes",
        export=_export,
        stored_files=_stored_files,
        count=_count,
        storage_bytes=_storage_bytes,
    )
)


async def _referenced_keys(session: AsyncSession) -> set[str]:
    return set((await session.execute(select(ResumePdf.storage_key))).scalars())


async def _pdfs_missing(session: AsyncSession, keys: set[str]) -> int:
    """A stored PDF whose file is gone is forgotten; the next request renders it again."""
    result = await session.execute(delete(ResumePdf).where(ResumePdf.storage_key.in_(list(keys))))
    return int(getattr(result, "rowcount", 0) or 0)


register_key_source(
    KeySource(
        name="resume_pdfs",
        prefixes=("pdfs",),
        referenced=_referenced_keys,
        on_missing=_pdfs_missing,
    )
)
