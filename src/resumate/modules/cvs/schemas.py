from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class SkillDetailRead(BaseModel):
    """One skill found in the CV and the evidence for it."""

    name: str
    category: str
    evidence: str = Field(description="skills_section, experience or other (the strongest).")
    mentions: int = 1
    score: float = 0.0
    snippet: str = Field("", description="The text the skill was read from, shortened.")
    source: str = Field(
        "", description="Where the snippet is: 'skills section', 'position', 'summary', ..."
    )
    position: str | None = Field(None, description="'Title at Company' when source is position.")


class AtsCheckRead(BaseModel):
    """One ATS check and its outcome; the list holds every check that was run."""

    code: str
    check: str = Field(
        "content",
        description="parsable_text, standard_headings, contact_details, dates, layout, file, "
        "length or content.",
    )
    status: Literal["passed", "warning", "failed"] = "failed"
    severity: str
    message: str
    fix: str = Field("", description="How to fix it; empty when the check passed.")


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
    ats_compatibility_feedback: list[AtsCheckRead] | None = None
    extracted_skills: list[str] | None = None
    skills_detail: list[SkillDetailRead] | None = None
    total_experience_years: float | None = None
    sections: list[str] | None = None
    contact: dict[str, Any] | None = None
    provider: str | None = None
    model: str | None = None
    warnings: list[str] | None = None
    error: str | None = None
    extraction: dict[str, Any] | None = Field(
        None,
        description="How the text was read: method (text, ocr, none), text_layer (ok, none, "
        "garbled), ocr_confidence (0-1) and ocr_pages.",
    )


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
