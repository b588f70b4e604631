"""Job descriptions and explained matching: candidates from ``retrieval`` (pgvector HNSW +
skill-id keyword stage, fused by reciprocal rank fusion) re-ranked with the full score of
``ai.matching``."""

from __future__ import annotations

import asyncio
import hashlib
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import structlog
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer, undefer

from resumate.ai import matching
from resumate.ai.jobs import parse_posting, skill_ids
from resumate.core import usercache
from resumate.core.db import release_connection
from resumate.core.envelope import PageParams
from resumate.core.errors import NotFound, ValidationFailed
from resumate.modules.analytics import service as analytics_service
from resumate.modules.billing import service as billing_service
from resumate.modules.cvs.models import CV
from resumate.modules.embeddings import service as embedding_service
from resumate.modules.jobs.models import JobDescription, JobSkillSet, MatchResult
from resumate.modules.jobs.retrieval import (
    CANDIDATES,
    EXACT_THRESHOLD,
    HNSW_EF_SEARCH,
    RESOURCE,
    RRF_K,
    Candidate,
    Mode,
    _cosines,
    _owner_count,
    _tsquery_text,
    _vector_literal,
    hybrid_candidates,
    keyword_search,
    skill_search,
    vector_search,
)
from resumate.modules.users import service as user_service

__all__ = [
    "CANDIDATES",
    "EXACT_THRESHOLD",
    "HNSW_EF_SEARCH",
    "RESOURCE",
    "RRF_K",
    "Candidate",
    "Mode",
    "_owner_count",
    "_tsquery_text",
    "_vector_literal",
    "hybrid_candidates",
    "keyword_search",
    "skill_search",
    "vector_search",
]

log = structlog.get_logger(__name__)


# ---- CRUD --------------------------------------------------------------------------------


def job_text(job: JobDescription) -> str:
    return f"{job.title}\n\n{job.description}"


def _clean_skills(skills: list[str] | None) -> list[str]:
    seen: dict[str, str] = {}
    for skill in skills or []:
        name = re.sub(r"\s+", " ", skill).strip()
        if name and name.lower() not in seen:
            seen[name.lower()] = name[:100]
    return list(seen.values())


# Fields read from the description unless the user gives them (then the user's value wins
# and stays when the description changes).
_READ_FIELDS = (
    "required_skills",
    "nice_to_have_skills",
    "required_languages",
    "min_experience_years",
    "salary",
    "location",
    "location_type",
    "seniority",
)
_SALARY_FIELDS = ("salary_min", "salary_max", "salary_currency", "salary_period")


def _apply_requirements(job: JobDescription, given: dict[str, Any]) -> None:
    """User-given fields win; the others come from the description."""
    posting = parse_posting(job.description, title=job.title)
    fields: list[str] = []

    def pick(name: str, extracted: Any) -> Any:
        if given.get(name) is not None:
            return given[name]
        fields.append(name)
        return extracted

    job.required_skills = _clean_skills(pick("required_skills", posting.required_skills))
    required = {s.lower() for s in job.required_skills}
    job.nice_to_have_skills = [
        s
        for s in _clean_skills(pick("nice_to_have_skills", posting.nice_to_have_skills))
        if s.lower() not in required
    ]
    job.required_languages = _clean_skills(pick("required_languages", posting.required_languages))[
        :20
    ]
    years = pick("min_experience_years", posting.min_experience_years)
    job.min_experience_years = float(years) if years is not None else None
    if any(given.get(f) is not None for f in _SALARY_FIELDS):
        for f in _SALARY_FIELDS:
            setattr(job, f, given.get(f))
    else:
        low, high = posting.salary_min, posting.salary_max
        if (low is not None and low > 100_000_000) or (high is not None and high > 100_000_000):
            low = high = None
        job.salary_min, job.salary_max = low, high
        job.salary_currency = posting.salary_currency if low is not None else None
        job.salary_period = posting.salary_period if low is not None else None
        fields.append("salary")
    location = pick("location", posting.location)
    job.location = location[:200] if location else None
    job.location_type = pick("location_type", posting.location_type) or "on-site"
    job.seniority = pick("seniority", posting.seniority)
    job.language = posting.language
    job.duty_skills = [s for s in _clean_skills(posting.duty_skills) if s.lower() not in required][
        :40
    ]
    job.posting_parts = posting.parts
    job.skill_ids = skill_ids([*job.required_skills, *job.nice_to_have_skills, *job.duty_skills])
    job.extracted_fields = fields


async def _sync_skill_set(session: AsyncSession, job: JobDescription) -> None:
    """The job's row in job_skill_sets: present with its skill ids while it is active."""
    if job.is_active:
        stmt = insert(JobSkillSet).values(
            job_id=job.id, user_id=job.user_id, skill_ids=list(job.skill_ids or [])
        )
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=["job_id"], set_={"skill_ids": stmt.excluded.skill_ids}
            )
        )
    else:
        await session.execute(delete(JobSkillSet).where(JobSkillSet.job_id == job.id))


async def _job_vector(job: JobDescription) -> list[float] | None:
    """The embedding of the job's text (no database), or None when the embedder failed."""
    embedder = embedding_service.get_embedder()
    try:
        return (await asyncio.wait_for(embedder.embed([job_text(job)]), 30))[0]
    except Exception as exc:  # an unreachable Ollama: `resumate reembed` catches up later
        log.warning("job embedding failed", job_id=str(job.id), error=str(exc))
        return None


async def _store_vector(session: AsyncSession, job: JobDescription, vector: list[float]) -> None:
    await embedding_service.store(
        session,
        owner_id=job.user_id,
        resource_type=RESOURCE,
        resource_id=job.id,
        model=embedding_service.get_embedder().model,
        vector=vector,
        content_sha256=embedding_service.content_digest(job_text(job)),
    )


async def _embed_job(session: AsyncSession, job: JobDescription) -> None:
    vector = await _job_vector(job)
    if vector is not None:
        await _store_vector(session, job, vector)


async def create_job(
    session: AsyncSession, *, user_id: uuid.UUID, data: dict[str, Any]
) -> JobDescription:
    await billing_service.refuse_if_used_up(session, user_id=user_id, quota="saved_jobs")
    job = JobDescription(
        id=uuid.uuid4(),
        user_id=user_id,
        title=data["title"].strip(),
        company=(data.get("company") or "").strip() or None,
        description=data["description"].strip(),
        location_type=data.get("location_type") or "on-site",
        is_active=True,
    )
    _apply_requirements(job, data)
    # Nothing is written yet (the caller's sign-in only read): the connection goes back to the
    # pool while the description is embedded, which queues behind every other embedding (one
    # inference at a time) and took seconds under load, holding the connection meanwhile.
    await release_connection(session)
    vector = await _job_vector(job)
    await billing_service.enforce_quota(session, user_id=user_id, quota="saved_jobs")
    session.add(job)
    await session.flush()
    await _sync_skill_set(session, job)
    if vector is not None:
        await _store_vector(session, job, vector)
    await analytics_service.record_event(
        session,
        owner_id=user_id,
        resource_type=RESOURCE,
        resource_id=job.id,
        event=analytics_service.JOB_CREATED,
    )
    return job


async def get_owned(
    session: AsyncSession, *, user_id: uuid.UUID, job_id: uuid.UUID
) -> JobDescription:
    job = (
        await session.execute(
            select(JobDescription).where(
                JobDescription.id == job_id, JobDescription.user_id == user_id
            )
        )
    ).scalar_one_or_none()
    if job is None:
        raise NotFound("Job not found")
    return job


async def update_job(
    session: AsyncSession, *, job: JobDescription, changes: dict[str, Any]
) -> JobDescription:
    low = changes.get("salary_min", job.salary_min)
    high = changes.get("salary_max", job.salary_max)
    if low is not None and high is not None and low > high:
        raise ValidationFailed(
            "salary_min must not exceed salary_max",
            details={"errors": [{"path": "$.salary_min", "message": "greater than salary_max"}]},
        )
    text_changed = False
    for field in ("title", "description"):
        if changes.get(field) is not None and changes[field].strip() != getattr(job, field):
            setattr(job, field, changes[field].strip())
            text_changed = True
    for field in ("company", "is_active"):
        if field in changes and (changes[field] is not None or field == "company"):
            setattr(job, field, changes[field])
    extracted = set(job.extracted_fields or [])
    read_changed = [f for f in (*_READ_FIELDS, *_SALARY_FIELDS) if f in changes]
    if text_changed or read_changed:
        given: dict[str, Any] = {}
        for f in _READ_FIELDS:
            if f == "salary":
                continue
            if f in changes:
                given[f] = changes[f]
            elif f not in extracted:
                given[f] = getattr(job, f)
        if any(f in changes for f in _SALARY_FIELDS):
            for f in _SALARY_FIELDS:
                given[f] = changes.get(f, getattr(job, f))
        elif "salary" not in extracted:
            for f in _SALARY_FIELDS:
                given[f] = getattr(job, f)
        _apply_requirements(job, given)
    await session.flush()
    await session.refresh(job)
    usercache.touch(session, job.user_id)
    await _sync_skill_set(session, job)
    if text_changed:
        await _embed_job(session, job)
    return job


async def delete_job(session: AsyncSession, *, job: JobDescription) -> None:
    await embedding_service.delete_for(session, resource_type=RESOURCE, resource_id=job.id)
    usercache.touch(session, job.user_id)
    await session.delete(job)
    await session.flush()


async def list_jobs(
    session: AsyncSession, *, user_id: uuid.UUID, page: PageParams, active: bool | None = None
) -> tuple[list[JobDescription], int]:
    where = [JobDescription.user_id == user_id]
    if active is not None:
        where.append(JobDescription.is_active == active)
    total = (
        await session.execute(select(func.count()).select_from(JobDescription).where(*where))
    ).scalar_one()
    rows = await session.execute(
        select(JobDescription)
        .where(*where)
        .order_by(JobDescription.created_at.desc(), JobDescription.id)
        .offset(page.offset)
        .limit(page.per_page)
    )
    return list(rows.scalars()), int(total)


# ---- scoring with cache ---------------------------------------------------------------------


def cv_profile(cv: CV) -> matching.CvProfile:
    basics = (cv.parsed_content or {}).get("basics") or {}
    return matching.CvProfile(
        skills=list(cv.extracted_skills or []),
        years=cv.total_experience_years,
        text=cv.text_content or "",
        title=basics.get("label") if isinstance(basics, dict) else None,
    )


def job_profile(job: JobDescription) -> matching.JobProfile:
    return matching.JobProfile(
        title=job.title,
        required_skills=list(job.required_skills or []),
        nice_to_have_skills=list(job.nice_to_have_skills or []),
        min_years=job.min_experience_years,
        duty_skills=list(job.duty_skills or []),
    )


def _cv_digest(cv: CV) -> str:
    return hashlib.sha256((cv.text_content or "").encode("utf-8", "surrogatepass")).hexdigest()


def _fingerprint(
    cv: CV, job: JobDescription, model: str, cosine: float | None, cv_digest: str | None = None
) -> str:
    """Everything the score depends on: a change to the CV's analysis, the job (its text moves
    ``updated_at``; its requirements are listed), the embedding or the scoring version gives a
    new fingerprint (and a fresh score). The job's text itself is not read: ranking loads jobs
    without it."""
    parts = [
        matching.SCORING_VERSION,
        model,
        f"{cosine:.4f}" if cosine is not None else "-",
        cv_digest or _cv_digest(cv),
        "\x1f".join(cv.extracted_skills or []),
        str(cv.total_experience_years),
        job.title,
        job.updated_at.isoformat() if job.updated_at else "-",
        "\x1f".join(job.required_skills or []),
        "\x1f".join(job.nice_to_have_skills or []),
        "\x1f".join(job.duty_skills or []),
        str(job.min_experience_years),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


async def score_pairs(
    session: AsyncSession, *, pairs: list[tuple[CV, JobDescription, float | None]], model: str
) -> list[dict[str, Any]]:
    """Scores of (cv, job, cosine) pairs, from the cache when nothing changed."""
    if not pairs:
        return []
    keys = [(cv.id, job.id) for cv, job, _ in pairs]
    cvs = {a for a, _ in keys}
    jobs = {b for _, b in keys}
    # One CV against many jobs (or the reverse) reads one range of the primary key (or the
    # job index); a list of row pairs would not use them.
    if len(cvs) == 1:
        where = [MatchResult.cv_id == next(iter(cvs)), MatchResult.job_id.in_(list(jobs))]
    elif len(jobs) == 1:
        where = [MatchResult.job_id == next(iter(jobs)), MatchResult.cv_id.in_(list(cvs))]
    else:
        where = [
            func.row(MatchResult.cv_id, MatchResult.job_id).in_([func.row(a, b) for a, b in keys])
        ]
    cached = {
        (row.cv_id, row.job_id): row
        for row in (await session.execute(select(MatchResult).where(*where))).scalars()
    }
    results: list[dict[str, Any]] = []
    fresh: list[dict[str, Any]] = []
    digests: dict[uuid.UUID, str] = {}
    profiles: dict[uuid.UUID, matching.CvProfile] = {}
    for cv, job, cosine in pairs:
        if cv.id not in digests:
            digests[cv.id] = _cv_digest(cv)
        fingerprint = _fingerprint(cv, job, model, cosine, digests[cv.id])
        hit = cached.get((cv.id, job.id))
        if hit is not None and hit.fingerprint == fingerprint:
            results.append(hit.result)
            continue
        if cv.id not in profiles:
            profiles[cv.id] = cv_profile(cv)
        result = matching.score_match(
            profiles[cv.id], job_profile(job), cosine=cosine, model=model
        ).as_dict()
        results.append(result)
        fresh.append(
            {"cv_id": cv.id, "job_id": job.id, "fingerprint": fingerprint, "result": result}
        )
    if fresh:
        # One statement for any number of rows, given the rows as parameters (executemany):
        # compiled once and cached, where a VALUES list of a hundred rows was compiled and
        # parsed again on every ranking.
        stmt = insert(MatchResult)
        stmt = stmt.on_conflict_do_update(
            index_elements=["cv_id", "job_id"],
            set_={
                "fingerprint": stmt.excluded.fingerprint,
                "result": stmt.excluded.result,
                "created_at": func.now(),
            },
        )
        await session.execute(stmt, fresh)
    return results


async def _ready_cv(session: AsyncSession, *, user_id: uuid.UUID, cv_id: uuid.UUID) -> CV:
    cv = (
        await session.execute(
            select(CV)
            .options(undefer(CV.text_content))
            .where(CV.id == cv_id, CV.user_id == user_id)
        )
    ).scalar_one_or_none()
    if cv is None:
        raise NotFound("CV not found")
    if cv.status != "ready":
        raise ValidationFailed(
            f"The CV is not analysed yet (status {cv.status}); try again when it is ready"
        )
    return cv


def _cv_skills(cv: CV) -> list[str]:
    """The CV's domain skills (spoken languages and soft skills left out: nearly every ad
    mentions them, so they would only widen the keyword stage)."""
    generic = {"Spoken languages", "Soft skills"}
    return [
        d.get("name", "")
        for d in (cv.skills_detail or [])
        if d.get("category") not in generic and d.get("name")
    ] or list(cv.extracted_skills or [])


def _cv_skill_ids(cv: CV) -> list[int]:
    return skill_ids(_cv_skills(cv)[:40])


def _cv_terms(cv: CV) -> list[str]:
    """The CV's strongest domain skills: spoken languages and soft skills match nearly every
    ad, so they would only make the keyword list noisy and slow."""
    generic = {"Spoken languages", "Soft skills"}
    skills = [
        d.get("name", "")
        for d in (cv.skills_detail or [])
        if d.get("category") not in generic and d.get("name")
    ] or list(cv.extracted_skills or [])
    terms = skills[:15]
    profile = cv_profile(cv)
    if profile.title:
        terms.append(profile.title)
    return terms


def _job_terms(job: JobDescription) -> list[str]:
    return [*job.required_skills, *job.nice_to_have_skills, job.title]


T = TypeVar("T", CV, JobDescription)


async def _rank(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    source: tuple[str, uuid.UUID],
    target_type: str,
    terms: list[str],
    load: Callable[[list[uuid.UUID]], Awaitable[dict[uuid.UUID, T]]],
    pair: Callable[[T], tuple[CV, JobDescription]],
    limit: int,
    mode: Mode,
    rerank: bool,
    exact: bool | None,
    ids: list[int] | None = None,
) -> list[tuple[T, dict[str, Any]]]:
    """Retrieve candidates of ``target_type`` for the source resource, score each pair and
    order by score (ties by fused rank)."""
    embedder = embedding_service.get_embedder()
    vector = await embedding_service.get_vector(
        session, resource_type=source[0], resource_id=source[1], model=embedder.model
    )
    candidates = await hybrid_candidates(
        session,
        resource_type=target_type,
        owner_id=user_id,
        vector=vector,
        model=embedder.model,
        dim=embedder.dim,
        terms=terms,
        k=max(CANDIDATES, limit),
        mode=mode,
        exact=exact,
        skill_ids=ids,
    )
    targets: dict[uuid.UUID, T] = await load([c.id for c in candidates]) if candidates else {}
    ordered = [c for c in candidates if c.id in targets]
    pairs: list[tuple[CV, JobDescription, float | None]] = []
    for candidate in ordered:
        cv, job = pair(targets[candidate.id])
        pairs.append((cv, job, candidate.cosine))
    scores = await score_pairs(session, pairs=pairs, model=embedder.model)
    ranked = list(zip(ordered, scores, strict=True))
    if rerank:
        ranked.sort(key=lambda item: (-item[1]["score"], -item[0].fused, str(item[0].id)))
    return [(targets[c.id], score) for c, score in ranked[:limit]]


async def match_jobs_for_cv(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    cv_id: uuid.UUID,
    limit: int = 20,
    mode: Mode = "hybrid",
    rerank: bool = True,
    exact: bool | None = None,
) -> list[tuple[JobDescription, dict[str, Any]]]:
    """My active jobs ranked for one of my CVs, each with its explained score."""
    cv = await _ready_cv(session, user_id=user_id, cv_id=cv_id)

    async def load(ids: list[uuid.UUID]) -> dict[uuid.UUID, JobDescription]:
        # Scores and briefs never need the ad's text: leave it (and its parts) in the table.
        rows = await session.execute(
            select(JobDescription)
            .options(defer(JobDescription.description), defer(JobDescription.posting_parts))
            .where(JobDescription.id.in_(ids))
        )
        return {job.id: job for job in rows.scalars()}

    return await _rank(
        session,
        user_id=user_id,
        source=("cv", cv.id),
        target_type=RESOURCE,
        terms=_cv_terms(cv),
        load=load,
        pair=lambda job: (cv, job),
        limit=limit,
        mode=mode,
        rerank=rerank,
        exact=exact,
        ids=_cv_skill_ids(cv),
    )


async def match_cvs_for_job(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    job_id: uuid.UUID,
    limit: int = 20,
    mode: Mode = "hybrid",
    rerank: bool = True,
    exact: bool | None = None,
) -> list[tuple[CV, dict[str, Any]]]:
    """My analysed CVs ranked for one of my jobs."""
    job = await get_owned(session, user_id=user_id, job_id=job_id)

    async def load(ids: list[uuid.UUID]) -> dict[uuid.UUID, CV]:
        rows = await session.execute(
            select(CV).options(undefer(CV.text_content)).where(CV.id.in_(ids))
        )
        return {cv.id: cv for cv in rows.scalars()}

    return await _rank(
        session,
        user_id=user_id,
        source=(RESOURCE, job.id),
        target_type="cv",
        terms=_job_terms(job),
        load=load,
        pair=lambda cv: (cv, job),
        limit=limit,
        mode=mode,
        rerank=rerank,
        exact=exact,
    )


async def record_matches_viewed(
    session: AsyncSession, *, user_id: uuid.UUID, resource_type: str, resource_id: uuid.UUID
) -> None:
    await analytics_service.record_event(
        session,
        owner_id=user_id,
        resource_type=resource_type,
        resource_id=resource_id,
        event=analytics_service.MATCHES_VIEWED,
    )


async def match_report(
    session: AsyncSession, *, user_id: uuid.UUID, cv_id: uuid.UUID, job_id: uuid.UUID
) -> tuple[CV, JobDescription, dict[str, Any], list[str]]:
    """One CV against one job, with suggestions for the CV."""
    cv = await _ready_cv(session, user_id=user_id, cv_id=cv_id)
    job = await get_owned(session, user_id=user_id, job_id=job_id)
    embedder = embedding_service.get_embedder()
    cv_vec = await embedding_service.get_vector(
        session, resource_type="cv", resource_id=cv.id, model=embedder.model
    )
    cosines = (
        await _cosines(
            session, resource_type=RESOURCE, model=embedder.model, vector=cv_vec, ids=[job.id]
        )
        if cv_vec is not None
        else {}
    )
    (result,) = await score_pairs(
        session, pairs=[(cv, job, cosines.get(job.id))], model=embedder.model
    )
    typed = matching.score_match(
        cv_profile(cv), job_profile(job), cosine=cosines.get(job.id), model=embedder.model
    )
    tips = matching.suggestions(
        typed,
        cv_profile(cv),
        job_profile(job),
        sections=list(cv.sections or []),
        ats_codes=[f.get("code", "") for f in (cv.ats_compatibility_feedback or [])],
    )
    return cv, job, result, tips


async def search_jobs(
    session: AsyncSession, *, user_id: uuid.UUID, query: str, limit: int = 20
) -> list[JobDescription]:
    """Semantic + keyword search over my jobs."""
    embedder = embedding_service.get_embedder()
    try:
        vector: list[float] | None = (await asyncio.wait_for(embedder.embed([query]), 10))[0]
    except Exception:
        vector = None
    words = re.findall(r"[\w+#.-]+", query)
    candidates = await hybrid_candidates(
        session,
        resource_type=RESOURCE,
        owner_id=user_id,
        vector=vector,
        model=embedder.model,
        dim=embedder.dim,
        terms=[query, *words],
        k=max(limit, 50),
    )
    # Vector hits alone always return something; keep them only when reasonably close.
    kept = [c for c in candidates if c.keyword_rank is not None or (c.cosine or 0) >= 0.25][:limit]
    jobs = {
        job.id: job
        for job in (
            await session.execute(
                select(JobDescription).where(JobDescription.id.in_([c.id for c in kept]))
            )
        ).scalars()
    }
    return [jobs[c.id] for c in kept if c.id in jobs]


# ---- account export, deletion, embeddings backfill --------------------------------------------


async def _export(session: AsyncSession, user_id: uuid.UUID) -> list[dict[str, Any]]:
    from resumate.modules.jobs.schemas import JobRead

    rows = await session.execute(select(JobDescription).where(JobDescription.user_id == user_id))
    return [JobRead.model_validate(job).model_dump(mode="json") for job in rows.scalars()]


async def _count(session: AsyncSession) -> int:
    return int(
        (await session.execute(select(func.count()).select_from(JobDescription))).scalar_one()
    )


async def _texts(
    session: AsyncSession, after: uuid.UUID | None, limit: int
) -> list[tuple[uuid.UUID, uuid.UUID, str]]:
    stmt = select(JobDescription)
    if after is not None:
        stmt = stmt.where(JobDescription.id > after)
    rows = await session.execute(stmt.order_by(JobDescription.id).limit(limit))
    return [(job.id, job.user_id, job_text(job)) for job in rows.scalars()]


embedding_service.register_text_source(RESOURCE, _texts)


async def _count_for(session: AsyncSession, user_id: uuid.UUID) -> int:
    return int(
        (
            await session.execute(select(func.count()).where(JobDescription.user_id == user_id))
        ).scalar_one()
    )


billing_service.register_usage_count("saved_jobs", _count_for)
user_service.register_user_data(
    user_service.UserDataProvider(name="jobs", export=_export, count=_count)
)
