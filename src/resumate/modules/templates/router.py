"""Templates: public listing and previews; admins add, update and remove."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile, status

from resumate.core.db import SessionDep
from resumate.core.downloads import content_disposition
from resumate.core.envelope import Envelope, ok
from resumate.core.errors import PayloadTooLarge
from resumate.core.text import FreeText, ShortText
from resumate.modules.auth.dependencies import AdminUser
from resumate.modules.auth.schemas import Message
from resumate.modules.templates import service as template_service
from resumate.modules.templates.models import Template
from resumate.modules.templates.schemas import TemplateRead

router = APIRouter(prefix="/templates", tags=["templates"])


def to_read(template: Template) -> TemplateRead:
    return TemplateRead(
        id=template.id,
        slug=template.slug,
        name=template.name,
        description=template.description,
        preview_url=f"/api/v1/templates/{template.id}/preview",
        version=template.version,
        is_builtin=template.is_builtin,
        is_active=template.is_active,
        created_at=template.created_at,
        updated_at=template.updated_at,
    )


async def _read_file(file: UploadFile) -> bytes:
    limit = template_service.MAX_TEMPLATE_BYTES
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise PayloadTooLarge(f"A template upload may be at most {limit} bytes")
    return content


@router.get("")
async def list_templates(session: SessionDep) -> Envelope[list[TemplateRead]]:
    """The templates a resume can use (public)."""
    listed = await template_service.active_template_list(
        session, serialize=lambda t: to_read(t).model_dump(mode="json")
    )
    return ok([TemplateRead.model_validate(item) for item in listed])


@router.get("/{id}")
async def get_template(id: uuid.UUID, session: SessionDep) -> Envelope[TemplateRead]:
    """One template (public)."""
    return ok(to_read(await template_service.get_template(session, template_id=id)))


@router.get(
    "/{id}/preview", response_class=Response, responses={200: {"content": {"image/png": {}}}}
)
async def template_preview(id: uuid.UUID, session: SessionDep) -> Response:
    """Page 1 of the sample resume in this template, as PNG (public)."""
    png = await template_service.preview_png(session, template_id=id)
    return Response(
        png,
        media_type="image/png",
        headers={
            "Cache-Control": "public, max-age=3600",
            "Content-Disposition": content_disposition(f"template-{id}.png", "inline"),
        },
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_template(
    admin: AdminUser,
    session: SessionDep,
    file: Annotated[
        UploadFile, File(description="template.typ, or a .zip with template.typ and assets")
    ],
    slug: Annotated[ShortText, Form(max_length=63)],
    name: Annotated[ShortText, Form(min_length=1, max_length=100)],
    description: Annotated[FreeText, Form(max_length=2000)] = "",
) -> Envelope[TemplateRead]:
    """Add a template (admin). It is test-compiled against a sample resume first; a template
    that fails is refused with the compiler's message."""
    main, assets = template_service.read_upload(file.filename or "", await _read_file(file))
    template = await template_service.create_template(
        session, slug=slug, name=name, description=description, main=main, assets=assets
    )
    return ok(to_read(template))


@router.patch("/{id}")
async def update_template(
    id: uuid.UUID,
    admin: AdminUser,
    session: SessionDep,
    file: Annotated[UploadFile | None, File()] = None,
    name: Annotated[ShortText | None, Form(min_length=1, max_length=100)] = None,
    description: Annotated[FreeText | None, Form(max_length=2000)] = None,
    is_active: Annotated[bool | None, Form()] = None,
) -> Envelope[TemplateRead]:
    """Update a template's metadata or files (admin); new files are test-compiled first and
    bump the version (PDFs made with the old version are not reused)."""
    main = assets = None
    if file is not None:
        main, assets = template_service.read_upload(file.filename or "", await _read_file(file))
    template = await template_service.update_template(
        session,
        template_id=id,
        changes={"name": name, "description": description, "is_active": is_active},
        main=main,
        assets=assets,
    )
    return ok(to_read(template))


@router.delete("/{id}")
async def delete_template(
    id: uuid.UUID, admin: AdminUser, session: SessionDep
) -> Envelope[Message]:
    """Remove a template (admin): uploads are deleted, built-ins deactivated."""
    await template_service.delete_template(session, template_id=id)
    return ok(Message(message="Template removed"))
