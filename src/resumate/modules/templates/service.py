"""Resume templates: the built-ins shipped in the package and admin uploads (Typst source
plus assets), test-compiled before they are accepted."""

from __future__ import annotations

import asyncio
import io
import re
import uuid
import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from resumate.core import cache
from resumate.core.errors import Conflict, NotFound, ValidationFailed
from resumate.modules.templates.models import Template
from resumate.rendering import pdf as rendering

DEFAULT_TEMPLATE = "classic"
CACHE_NAMESPACE = "templates"
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
MAX_TEMPLATE_FILES = 64
MAX_TEMPLATE_BYTES = 8 * 1024 * 1024
MAIN_FILE = "template.typ"


def builtin_uuid(slug: str) -> uuid.UUID:
    """Stable ids for the built-ins, the same on every installation."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"resumate:template:{slug}")


async def active_template_list(
    session: AsyncSession, *, serialize: Callable[[Template], dict[str, Any]]
) -> list[dict[str, Any]]:
    """The active templates, serialised, from the shared cache (bumped by every write)."""

    async def build() -> list[dict[str, Any]]:
        return [serialize(t) for t in await list_templates(session)]

    value, _ = await cache.cached(CACHE_NAMESPACE, ["active"], build, ttl=3600)
    return list(value)


async def list_templates(
    session: AsyncSession, *, include_inactive: bool = False
) -> list[Template]:
    stmt = select(Template).order_by(Template.is_builtin.desc(), Template.name)
    if not include_inactive:
        stmt = stmt.where(Template.is_active)
    return list((await session.execute(stmt)).scalars())


async def get_template(
    session: AsyncSession, *, template_id: uuid.UUID, active_only: bool = True
) -> Template:
    template = await session.get(Template, template_id)
    if template is None or (active_only and not template.is_active):
        raise NotFound("Template not found")
    return template


async def default_template(session: AsyncSession) -> Template:
    template = await session.get(Template, builtin_uuid(DEFAULT_TEMPLATE))
    if template is None:
        raise NotFound("The default template is missing; run `resumate migrate`")
    return template


async def template_source(session: AsyncSession, template: Template) -> rendering.TemplateSource:
    return await source_of(
        session,
        template_id=template.id,
        slug=template.slug,
        version=template.version,
        is_builtin=template.is_builtin,
    )


async def source_of(
    session: AsyncSession, *, template_id: uuid.UUID, slug: str, version: int, is_builtin: bool
) -> rendering.TemplateSource:
    """``template_source`` for a template row read as columns."""
    if is_builtin:
        return rendering.load_builtin_template(slug)
    row = (
        await session.execute(
            select(Template.main_source, Template.assets_zip).where(Template.id == template_id)
        )
    ).one()
    return rendering.TemplateSource(
        slug=slug,
        version=str(version),
        main=row.main_source or b"",
        assets=unzip_assets(row.assets_zip) if row.assets_zip else {},
    )


def unzip_assets(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return {
            info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()
        }


def _zip_assets(assets: dict[str, bytes]) -> bytes | None:
    if not assets:
        return None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(assets.items()):
            archive.writestr(name, content)
    return buffer.getvalue()


def read_upload(filename: str, content: bytes) -> tuple[bytes, dict[str, bytes]]:
    """A `.typ` file, or a `.zip` holding `template.typ` and its assets -> (main, assets)."""
    if not content:
        raise ValidationFailed("The template file is empty")
    if content[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(content))
        except zipfile.BadZipFile as exc:
            raise ValidationFailed("The zip file is corrupt") from exc
        with archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
            if len(infos) > MAX_TEMPLATE_FILES:
                raise ValidationFailed(f"A template may hold at most {MAX_TEMPLATE_FILES} files")
            if sum(info.file_size for info in infos) > MAX_TEMPLATE_BYTES:
                raise ValidationFailed("The template is too large once unpacked")
            files: dict[str, bytes] = {}
            for info in infos:
                path = PurePosixPath(info.filename)
                if path.is_absolute() or ".." in path.parts or "\\" in info.filename:
                    raise ValidationFailed(f"Unsafe path in the zip: {info.filename!r}")
                files[path.as_posix()] = archive.read(info)
        main = files.pop(MAIN_FILE, None)
        if main is None:
            raise ValidationFailed(f"The zip must contain {MAIN_FILE} at its top level")
        return main, files
    if not filename.endswith(".typ"):
        raise ValidationFailed("Upload a .typ file or a .zip holding template.typ")
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationFailed("The template is not UTF-8 text") from exc
    return content, {}


async def _checked_preview(source: rendering.TemplateSource) -> bytes:
    """Compile against the sample resume (refusing with the compiler's message) and return
    the page-1 preview PNG."""

    def work() -> bytes:
        rendering.check_template(source)
        return rendering.render_png(rendering.sample_resume(), source, page=1, ppi=60)

    try:
        return await asyncio.to_thread(work)
    except rendering.TemplateError as exc:
        raise ValidationFailed(
            f"The template does not compile: {exc}", details={"compiler": str(exc)}
        ) from exc


async def create_template(
    session: AsyncSession,
    *,
    slug: str,
    name: str,
    description: str,
    main: bytes,
    assets: dict[str, bytes],
) -> Template:
    if not SLUG_RE.match(slug):
        raise ValidationFailed("slug: use 2-63 lowercase letters, digits and '-'")
    if (await session.execute(select(Template.id).where(Template.slug == slug))).first():
        raise Conflict(f"A template with slug {slug!r} already exists")
    source = rendering.TemplateSource(slug=slug, version="1", main=main, assets=assets)
    preview = await _checked_preview(source)
    template = Template(
        slug=slug,
        name=name,
        description=description,
        version=1,
        is_builtin=False,
        is_active=True,
        main_source=main,
        assets_zip=_zip_assets(assets),
        preview_png=preview,
    )
    session.add(template)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"A template with slug {slug!r} already exists") from exc
    cache.touch_namespace(session, CACHE_NAMESPACE)
    return template


async def update_template(
    session: AsyncSession,
    *,
    template_id: uuid.UUID,
    changes: dict[str, Any],
    main: bytes | None = None,
    assets: dict[str, bytes] | None = None,
) -> Template:
    template = await get_template(session, template_id=template_id, active_only=False)
    if main is not None:
        if template.is_builtin:
            raise ValidationFailed("Built-in templates cannot be replaced; upload a new one")
        source = rendering.TemplateSource(
            slug=template.slug, version=str(template.version + 1), main=main, assets=assets or {}
        )
        preview = await _checked_preview(source)
        template.main_source = main
        template.assets_zip = _zip_assets(assets or {})
        template.preview_png = preview
        template.version += 1
    for field in ("name", "description", "is_active"):
        if changes.get(field) is not None:
            setattr(template, field, changes[field])
    await session.flush()
    cache.touch_namespace(session, CACHE_NAMESPACE)
    return template


async def delete_template(session: AsyncSession, *, template_id: uuid.UUID) -> None:
    """Built-ins are deactivated (they ship with the code); uploads are deleted. Resumes using
    the template fall back to the default one."""
    template = await get_template(session, template_id=template_id, active_only=False)
    if template.slug == DEFAULT_TEMPLATE:
        raise ValidationFailed("The default template cannot be removed")
    if template.is_builtin:
        await session.execute(
            update(Template).where(Template.id == template.id).values(is_active=False)
        )
    else:
        await session.delete(template)
    await session.flush()
    cache.touch_namespace(session, CACHE_NAMESPACE)


async def preview_png(session: AsyncSession, *, template_id: uuid.UUID) -> bytes:
    template = (
        await session.execute(
            select(Template)
            .options(undefer(Template.preview_png))
            .where(Template.id == template_id)
        )
    ).scalar_one_or_none()
    if template is None or not template.is_active:
        raise NotFound("Template not found")
    if template.is_builtin:
        for info in rendering.builtin_templates():
            if info.slug == template.slug and info.preview_path is not None:
                return await asyncio.to_thread(info.preview_path.read_bytes)
        raise NotFound("This template has no preview")
    if template.preview_png is None:
        raise NotFound("This template has no preview")
    return template.preview_png
