from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class DashboardResume(BaseModel):
    id: uuid.UUID
    title: str
    updated_at: datetime
    shared: bool
    pdf_state: Literal["none", "current", "outdated"]
    pdf_pages: int | None
    pdf_rendered_at: datetime | None


class DashboardCV(BaseModel):
    id: uuid.UUID
    filename: str
    status: str
    quality_score: int | None
    uploaded_at: datetime


class ResumesPart(BaseModel):
    total: int
    recent: list[DashboardResume]


class CVsPart(BaseModel):
    total: int
    recent: list[DashboardCV]


class JobsPart(BaseModel):
    total: int
    active: int


class TopMatch(BaseModel):
    cv_id: uuid.UUID
    cv_filename: str
    job_id: uuid.UUID
    job_title: str
    company: str | None
    score: float
    matched_skills: list[str] = Field(default_factory=list)
    missing_skills: list[str] = Field(default_factory=list)


class UsageItem(BaseModel):
    quota: str
    used: int
    limit: int | None = Field(description="null = unlimited")
    resets_at: datetime | None = None


class Activity(BaseModel):
    event: str
    resource_type: str
    resource_id: uuid.UUID
    created_at: datetime


class DashboardRead(BaseModel):
    resumes: ResumesPart
    cvs: CVsPart
    jobs: JobsPart
    top_matches: list[TopMatch]
    usage: list[UsageItem] = Field(description="Plan usage (empty without billing: unlimited)")
    notifications_unread: int
    recent_activity: list[Activity]
