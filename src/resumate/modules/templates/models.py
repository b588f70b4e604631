from __future__ import annotations

from sqlalchemy import Boolean, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from resumate.core.db import Base, Timestamps, UUIDPk


class Template(UUIDPk, Timestamps, Base):
    """A resume template. Built-ins live in the package (``rendering/templates/<slug>``);
    uploaded ones keep their Typst source and assets (a zip) here."""

    __tablename__ = "templates"

    slug: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    is_builtin: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    main_source: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    assets_zip: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    preview_png: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
