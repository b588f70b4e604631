from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class CVRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    filename: str
    file_kind: str
    size_bytes: int
    status: Literal["pending", "processing", "ready", "failed"]
    uploaded_at: datetime
    analyzed_at: datetime | None = None
    parsed_content: dict[str, Any] | None = None
    summary: str | None = None
    quality_score: int | None = None
    quality_breakdown: list[dict[str, Any]] | None = None
    ats_compatibility_feedback: list[dict[str, Any]] | None = None
    extracted_skills: list[str] | None = None
    skills_detail: list[dict[str, Any]] | None = None
    total_experience_years: float | None = None
    sections: list[str] | None = None
    contact: dict[str, Any] | None = None
    provider: str | None = None
    model: str | None = None
    warnings: list[str] | None = None
    error: str | None = None


class CVSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    filename: str
    file_kind: str
    size_bytes: int
    status: Literal["pending", "processing", "ready", "failed"]
    uploaded_at: datetime
    quality_score: int | None = None
    total_experience_years: float | None = None
    error: str | None = None
