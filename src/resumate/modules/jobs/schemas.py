from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from resumate.core.text import FreeText, ShortText

LocationType = Literal["remote", "hybrid", "on-site"]
SkillName = Annotated[ShortText, Field(min_length=1, max_length=100)]
SalaryPeriod = Literal["year", "month", "hour"]
Seniority = Literal["intern", "junior", "mid", "senior", "lead", "executive"]
Currency = Annotated[ShortText, Field(pattern=r"^[A-Z]{3}$")]
Place = Annotated[ShortText, Field(min_length=1, max_length=200)]
LanguageName = Annotated[ShortText, Field(min_length=1, max_length=60)]


class _SalaryCheck(BaseModel):
    @model_validator(mode="after")
    def _salary_order(self) -> Any:
        low, high = getattr(self, "salary_min", None), getattr(self, "salary_max", None)
        if low is not None and high is not None and low > high:
            raise ValueError("salary_min must not exceed salary_max")
        return self


class JobCreate(_SalaryCheck):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[ShortText, Field(min_length=2, max_length=200)]
    description: Annotated[FreeText, Field(min_length=20, max_length=50_000)]
    company: Annotated[ShortText, Field(max_length=200)] | None = None
    # Read from the description when omitted (on-site when it says nothing).
    location_type: LocationType | None = None
    salary_min: int | None = Field(default=None, ge=0, le=100_000_000)
    salary_max: int | None = Field(default=None, ge=0, le=100_000_000)
    salary_currency: Currency | None = None
    salary_period: SalaryPeriod | None = None
    location: Place | None = None
    seniority: Seniority | None = None
    required_skills: list[SkillName] | None = Field(default=None, max_length=60)
    nice_to_have_skills: list[SkillName] | None = Field(default=None, max_length=60)
    required_languages: list[LanguageName] | None = Field(default=None, max_length=20)
    min_experience_years: float | None = Field(default=None, ge=0, le=50)


class JobUpdate(_SalaryCheck):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[ShortText, Field(min_length=2, max_length=200)] | None = None
    description: Annotated[FreeText, Field(min_length=20, max_length=50_000)] | None = None
    company: Annotated[ShortText, Field(max_length=200)] | None = None
    location_type: LocationType | None = None
    salary_min: int | None = Field(default=None, ge=0, le=100_000_000)
    salary_max: int | None = Field(default=None, ge=0, le=100_000_000)
    salary_currency: Currency | None = None
    salary_period: SalaryPeriod | None = None
    location: Place | None = None
    seniority: Seniority | None = None
    required_skills: list[SkillName] | None = Field(default=None, max_length=60)
    nice_to_have_skills: list[SkillName] | None = Field(default=None, max_length=60)
    required_languages: list[LanguageName] | None = Field(default=None, max_length=20)
    min_experience_years: float | None = Field(default=None, ge=0, le=50)
    is_active: bool | None = None


class JobRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    company: str | None
    description: str
    location_type: str
    salary_min: int | None
    salary_max: int | None
    salary_currency: str | None
    salary_period: str | None
    location: str | None
    seniority: str | None
    language: str | None
    required_skills: list[str]
    nice_to_have_skills: list[str]
    required_languages: list[str]
    duty_skills: list[str]
    min_experience_years: float | None
    posting_parts: list[dict[str, Any]]
    extracted_fields: list[str]
    is_active: bool
    created_at: datetime
    updated_at: datetime


class JobBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    company: str | None
    location_type: str
    location: str | None = None
    required_skills: list[str]
    min_experience_years: float | None
    salary_min: int | None = None
    salary_max: int | None = None
    salary_currency: str | None = None
    salary_period: str | None = None


class CVBrief(BaseModel):
    id: uuid.UUID
    filename: str
    name: str | None
    total_experience_years: float | None
    quality_score: int | None


class MatchFields(BaseModel):
    score: int
    semantic_similarity: float
    matched_skills: list[str]
    missing_skills: list[str]
    partial_skills: list[dict[str, str]]
    matched_nice_to_have: list[str]
    missing_nice_to_have: list[str]
    experience_gap_years: float
    explanation: str
    breakdown: list[dict[str, Any]]
    scoring_version: str


class JobMatch(MatchFields):
    job: JobBrief


class CVMatch(MatchFields):
    cv: CVBrief


class MatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cv_id: uuid.UUID
    job_id: uuid.UUID


class MatchReport(MatchFields):
    cv: CVBrief
    job: JobBrief
    suggestions: list[str]
