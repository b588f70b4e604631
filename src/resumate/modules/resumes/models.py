from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Computed,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from resumate.core.db import Base, Timestamps, UUIDPk


class Resume(UUIDPk, Timestamps, Base):
    __tablename__ = "resumes"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    template_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("templates.id", ondelete="SET NULL")
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    # sha256 of the document's canonical text, computed by PostgreSQL on every write (migration
    # 0019): the key of its stored PDFs, so they can be looked up with the resume.
    data_sha256: Mapped[str] = mapped_column(
        String(64), Computed("resume_data_digest(data)", persisted=True), nullable=False
    )
    # Bumped on every change; the ETag is derived from it (optimistic concurrency).
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    share_slug: Mapped[str | None] = mapped_column(String(32), unique=True)
    share_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class ResumePdf(UUIDPk, Base):
    """A rendered PDF, reused while the data and the template's files are unchanged."""

    __tablename__ = "resume_pdfs"
    __table_args__ = (
        # (resume, data) first: its prefix finds a resume's PDFs of one version of its data.
        UniqueConstraint(
            "resume_id", "data_sha256", "template_digest", name="uq_resume_pdfs_render_key"
        ),
    )

    resume_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("resumes.id", ondelete="CASCADE"), nullable=False, index=True
    )
    template_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("templates.id", ondelete="SET NULL")
    )
    template_version: Mapped[int] = mapped_column(Integer, nullable=False)
    template_digest: Mapped[str] = mapped_column(String(64), nullable=False)
    data_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    pages: Mapped[int] = mapped_column(Integer, nullable=False)
    storage_key: Mapped[str] = mapped_column(String(300), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
