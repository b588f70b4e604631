"""Requirements from a job description (kept for callers of the first version; the reading
itself lives in ``resumate.ai.jobs``)."""

from __future__ import annotations

from resumate.ai.jobs import fields
from resumate.ai.jobs.posting import parse_posting
from resumate.ai.schemas import JobRequirements


def min_experience_years(text: str) -> float | None:
    """The main "N years" experience requirement (a range gives its lower bound)."""
    return fields.min_experience_years(text)


def extract_job_requirements(description: str, *, title: str = "") -> JobRequirements:
    posting = parse_posting(description, title=title)
    return JobRequirements(
        required_skills=posting.required_skills,
        nice_to_have_skills=posting.nice_to_have_skills,
        min_experience_years=posting.min_experience_years,
    )
