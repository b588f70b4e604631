from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, Numeric, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from resumate.core.db import Base, Timestamps, UUIDPk

LOCATION_TYPES = ("remote", "hybrid", "on-site")
SALARY_PERIODS = ("year", "month", "hour")
SENIORITIES = ("intern", "junior", "mid", "senior", "lead", "executive")


class JobDescription(UUIDPk, Timestamps, Base):
    """A saved job ad; skills and minimum experience are extracted when not given."""

    __tablename__ = "job_descriptions"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    company: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, nullable=False)
    location_type: Mapped[str] = mapped_column(String(10), nullable=False)
    salary_min: Mapped[int | None] = mapped_column(Integer)
    salary_max: Mapped[int | None] = mapped_column(Integer)
    required_skills: Mapped[list[str]] = mapped_column(
        ARRAY(String(100)), nullable=False, default=list
    )
    nice_to_have_skills: Mapped[list[str]] = mapped_column(
        ARRAY(String(100)), nullable=False, default=list
    )
    min_experience_years: Mapped[float | None] = mapped_column(Numeric(4, 1, asdecimal=False))
    required_languages: Mapped[list[str]] = mapped_column(
        ARRAY(String(60)), nullable=False, default=list
    )
    # Skills named in the duties of an ad that also states requirements (ai.jobs.posting).
    duty_skills: Mapped[list[str]] = mapped_column(ARRAY(String(100)), nullable=False, default=list)
    salary_currency: Mapped[str | None] = mapped_column(String(3))
    salary_period: Mapped[str | None] = mapped_column(String(5))
    location: Mapped[str | None] = mapped_column(String(200))
    seniority: Mapped[str | None] = mapped_column(String(10))
    language: Mapped[str | None] = mapped_column(String(5))
    # The ad's parts as read ({kind, heading, lines}), for display and debugging.
    posting_parts: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    # Ids of the required and nice-to-have skills (ai.jobs.skill_id) for the keyword stage.
    skill_ids: Mapped[list[int]] = mapped_column(ARRAY(Integer), nullable=False, default=list)
    # Which requirement fields came from the text rather than from the user.
    extracted_fields: Mapped[list[str]] = mapped_column(
        ARRAY(String(40)), nullable=False, default=list
    )
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class JobSkillSet(Base):
    """The skill ids of an active job, apart from its wide row: what the keyword stage of
    matching scans (GIN index, overlap count). Kept by jobs.service; gone with the job."""

    __tablename__ = "job_skill_sets"

    job_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("job_descriptions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    skill_ids: Mapped[list[int]] = mapped_column(ARRAY(Integer), nullable=False)


class MatchResult(Base):
    """A cached CV-job score; valid while its fingerprint (CV analysis, job version, model,
    scoring version) is unchanged."""

    __tablename__ = "match_results"

    cv_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("cvs.id", ondelete="CASCADE"), primary_key=True
    )
    job_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("job_descriptions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    result: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
