"""Pydantic models produced by the CV analyzer (offline or LLM-backed) and the job-text parser."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Severity = Literal["high", "medium", "low"]
Evidence = Literal["skills_section", "experience", "other"]


class ScoreComponent(BaseModel):
    name: str
    points: int
    max_points: int
    reason: str


AtsCheck = Literal[
    "parsable_text", "standard_headings", "contact_details", "dates", "layout", "file", "length",
    "content",
]  # fmt: skip
AtsStatus = Literal["passed", "warning", "failed"]


class AtsFinding(BaseModel):
    """One ATS check that was run and its outcome.

    `ats_compatibility_feedback` is the full list of checks: every check appears at least once,
    as "passed" (code `<CHECK>_OK`, empty `fix`) or with one entry per problem found
    ("failed" for high/medium severity, "warning" for low), each with how to fix it.
    """

    code: str
    severity: Severity
    message: str
    fix: str
    check: AtsCheck = "content"
    status: AtsStatus = "failed"


class SkillMatch(BaseModel):
    name: str
    category: str
    evidence: Evidence
    mentions: int = 1
    score: float = Field(ge=0.0, le=1.0)
    snippet: str = Field(
        "", description="The text the skill was read from (a sentence or list line, shortened)."
    )
    source: str = Field(
        "",
        description="Where the snippet is: 'skills section', 'experience', 'summary', "
        "'projects', 'education', ... or 'position' when it belongs to a job.",
    )
    position: str | None = Field(
        None, description="The job the snippet belongs to ('Title at Company'), if any."
    )


class Contact(BaseModel):
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    phone_e164: str | None = None
    location: str | None = None
    linkedin: str | None = None
    github: str | None = None
    website: str | None = None


class Extraction(BaseModel):
    """How the text of the file was obtained."""

    method: Literal["text", "ocr", "none"] = "text"
    """text: the file's own text layer; ocr: read from page images; none: nothing readable."""
    text_layer: Literal["ok", "none", "garbled"] = "ok"
    """The file's own text: usable, absent (a scan) or mostly not words (private font encoding)."""
    ocr_confidence: float | None = None
    """Mean recognition confidence (0-1) over the characters read by OCR."""
    ocr_pages: int = 0


class CVAnalysis(BaseModel):
    parsed_content: dict[str, Any] = Field(
        default_factory=dict, description="The CV in JSON Resume v1.0.0 shape."
    )
    summary: str = ""
    quality_score: int = Field(0, ge=0, le=100)
    quality_breakdown: list[ScoreComponent] = Field(default_factory=list)
    ats_feedback: list[AtsFinding] = Field(default_factory=list)
    skills: list[SkillMatch] = Field(default_factory=list)
    total_experience_years: float = 0.0
    sections: list[str] = Field(default_factory=list)
    contact: Contact = Field(default_factory=Contact)
    language: str = "en"
    provider: str = "offline"
    model: str = "resumate-offline-1"
    warnings: list[str] = Field(default_factory=list)
    extraction: Extraction = Field(default_factory=Extraction)


class JobRequirements(BaseModel):
    required_skills: list[str] = Field(default_factory=list)
    nice_to_have_skills: list[str] = Field(default_factory=list)
    min_experience_years: float | None = None
