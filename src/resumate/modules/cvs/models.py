from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, deferred, mapped_column

from resumate.core.db import Base, UUIDPk

STATUSES = ("pending", "processing", "ready", "failed")


class CV(UUIDPk, Base):
    """An uploaded CV file and its analysis."""

    __tablename__ = "cvs"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(300), nullable=False)
    file_kind: Mapped[str] = mapped_column(String(10), nullable=False)
    size_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending")
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    uploaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    # When the current analysis was asked for (upload or reanalyze): the deadline counts from it.
    queued_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    processing_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    analyzed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    parsed_content: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    summary: Mapped[str | None] = mapped_column(Text)
    quality_score: Mapped[int | None] = mapped_column(Integer)
    quality_breakdown: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    ats_compatibility_feedback: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    extracted_skills: Mapped[list[str] | None] = mapped_column(ARRAY(String(100)))
    skills_detail: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    total_experience_years: Mapped[float | None] = mapped_column(Numeric(4, 1, asdecimal=False))
    sections: Mapped[list[str] | None] = mapped_column(ARRAY(String(40)))
    contact: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    language: Mapped[str | None] = mapped_column(String(10))
    provider: Mapped[str | None] = mapped_column(String(40))
    model: Mapped[str | None] = mapped_column(String(100))
    warnings: Mapped[list[str] | None] = mapped_column(JSONB)

    @property
    def extraction(self) -> dict[str, Any] | None:
        """How the text was read (text layer, OCR and its confidence), kept in the meta of
        parsed_content."""
        meta = (self.parsed_content or {}).get("meta")
        value = meta.get("extraction") if isinstance(meta, dict) else None
        return value if isinstance(value, dict) else None

    # The extracted text: input of embeddings and full-text search (tsvector in the database).
    text_content: Mapped[str | None] = deferred(mapped_column(Text))
