"""Job descriptions and explained matching: hybrid retrieval (pgvector HNSW + full-text,
fused by reciprocal rank fusion) re-ranked with the full score of ``ai.matching``."""

from __future__ import annotations

import asyncio
import hashlib
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import structlog
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from resumate.ai import matching
from resumate.ai.jobtext import extract_job_requirements
from resumate.core.envelope import PageParams
from resumate.core.errors import NotFound, ValidationFailed
from resumate.modules.cvs.models import CV
from resumate.modules.embeddings import service as embedding_service
from resumate.modules.jobs.models import JobDescription, MatchResult
from resumate.modules.users import service as user_service

log = structlog.get_logger(__name__)

RESOURCE = "job"
RRF_K = 60
CANDIDATES = 100
# Below this many rows per owner an exact scan is cheap and loses nothing to filtering.
EXACT_THRESHOLD = 2_000
# recall@20 0.957 at p95 11.7 ms on 100k jobs (benchmarks/bench_retrieval.py); 100 gave 0.919.
HNSW_EF_SEARCH = 400
Mode = Literal["hybrid", "vector", "keyword"]


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


def _apply_requirements(job: JobDescription, given: dict[str, Any]) -> None:
    """User-given requirement fields win; the others come from the description."""
    extracted = extract_job_requirements(f"{job.title}\n{job.description}")
    fields: list[str] = []
    if given.get("required_skills") is not None:
        job.required_skills = _clean_skills(given["required_skills"])
    else:
        job.required_skills = _clean_skills(extracted.required_skills)
        fields.append("required_skills")
    if given.get("nice_to_have_skills") is not None:
        job.nice_to_have_skills = _clean_skills(given["nice_to_have_skills"])
    else:
        required = {s.lower() for s in job.required_skills}
        job.nice_to_have_skills = [
            s for s in _clean_skills(extracted.nice_to_have_skills) if s.lower() not in required
        ]
        fields.append("nice_to_have_skills")
    if given.get("min_experience_years") is not None:
        job.min_experience_years = float(given["min_experience_years"])
    else:
        job.min_experience_years = extracted.min_experience_years
        fields.append("min_experience_years")
    job.extracted_fields = fields


async def _embed_job(session: AsyncSession, job: JobDescription) -> None:
    content = job_text(job)
    digest = embedding_service.content_digest(content)
    embedder = embedding_service.get_embedder()
    try:
        vector = (await asyncio.wait_for(embedder.embed([content]), 30))[0]
    except Exception as exc:  # an unreachable Ollama: `resumate reembed` catches up later
        log.warning("job embedding failed", job_id=str(job.id), error=str(exc))
        return
    await embedding_service.store(
        session,
        owner_id=job.user_id,
        resource_type=RESOURCE,
        resource_id=job.id,
        model=embedder.model,
        vector=vector,
        content_sha256=digest,
    )


async def create_job(
    session: AsyncSession, *, user_id: uuid.UUID, data: dict[str, Any]
) -> JobDescription:
    job = JobDescription(
        user_id=user_id,
        title=data["title"].strip(),
        company=(data.get("company") or "").strip() or None,
        description=data["description"].strip(),
        location_type=data["location_type"],
        salary_min=data.get("salary_min"),
        salary_max=data.get("salary_max"),
        is_active=True,
    )
    _apply_requirements(job, data)
    session.add(job)
    await session.flush()
    await _embed_job(session, job)
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
    for field in ("company", "location_type", "salary_min", "salary_max", "is_active"):
        if field in changes and (
            changes[field] is not None or field.startswith("salary") or field == "company"
        ):
            setattr(job, field, changes[field])
    requirement_fields = ("required_skills", "nice_to_have_skills", "min_experience_years")
    if text_changed or any(f in changes for f in requirement_fields):
        given = {
            f: changes[f]
            if f in changes
            else (getattr(job, f) if f not in job.extracted_fields else None)
            for f in requirement_fields
        }
        _apply_requirements(job, given)
    await session.flush()
    await session.refresh(job)
    if text_changed:
        await _embed_job(session, job)
    return job


async def delete_job(session: AsyncSession, *, job: JobDescription) -> None:
    await embedding_service.delete_for(session, resource_type=RESOURCE, resource_id=job.id)
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


# ---- retrieval ----------------------------------------------------------------------------


@dataclass
class Candidate:
    id: uuid.UUID
    fused: float = 0.0
    vector_rank: int | None = None
    keyword_rank: int | None = None
    cosine: float | None = None


def _vector_literal(vector: list[float]) -> str:
    return "[" + ",".join(f"{x:.7g}" for x in vector) + "]"


async def _owner_count(
    session: AsyncSession, *, resource_type: str, owner_id: uuid.UUID, model: str
) -> int:
    """Rows of the owner, counted only up to EXACT_THRESHOLD + 1 (all the decision needs)."""
    return int(
        (
            await session.execute(
                text(
                    "SELECT count(*) FROM (SELECT 1 FROM embeddings WHERE owner_id = :o "
                    "AND resource_type = :t AND model = :m LIMIT :cap) AS capped"
                ),
                {"o": owner_id, "t": resource_type, "m": model, "cap": EXACT_THRESHOLD + 1},
            )
        ).scalar_one()
    )


async def vector_search(
    session: AsyncSession,
    *,
    resource_type: str,
    owner_id: uuid.UUID,
    model: str,
    dim: int,
    vector: list[float],
    k: int,
    exact: bool | None = None,
) -> list[tuple[uuid.UUID, float]]:
    """(id, cosine) of the owner's active resources nearest to ``vector``.

    With few rows an exact scan; otherwise the model's partial HNSW index with pgvector's
    iterative scan, so the owner/active filter does not starve the result list."""
    if exact is None:
        exact = (
            await _owner_count(session, resource_type=resource_type, owner_id=owner_id, model=model)
            <= EXACT_THRESHOLD
        )
    table, active = (
        ("job_descriptions", "r.is_active")
        if resource_type == RESOURCE
        else ("cvs", "r.status = 'ready' AND r.is_active")
    )
    # The cast must match the partial index expression for the planner to use the index; the
    # exact path uses the bare column so it never does.
    distance = (
        "e.embedding <=> CAST(:q AS vector)"
        if exact
        else f"e.embedding::vector({int(dim)}) <=> CAST(:q AS vector({int(dim)}))"
    )
    if not exact:
        await session.execute(text(f"SET LOCAL hnsw.ef_search = {HNSW_EF_SEARCH}"))
        await session.execute(text("SET LOCAL hnsw.iterative_scan = relaxed_order"))
    rows = await session.execute(
        text(
            # Only our constants and an int are interpolated; values are bound parameters.
            f"SELECT e.resource_id, 1 - ({distance}) AS cosine FROM embeddings e "  # noqa: S608
            f"JOIN {table} r ON r.id = e.resource_id "
            f"WHERE e.model = :m AND e.resource_type = :t AND e.owner_id = :o AND {active} "
            f"ORDER BY {distance} LIMIT :k"
        ),
        {"q": _vector_literal(vector), "m": model, "t": resource_type, "o": owner_id, "k": k},
    )
    return [(row[0], float(row[1])) for row in rows]


def _tsquery_text(terms: list[str]) -> str:
    """websearch_to_tsquery input: each term quoted (phrases stay phrases), joined by OR."""
    cleaned = []
    for term in terms:
        term = re.sub(r'["\\]', " ", term).strip()
        if term:
            cleaned.append(f'"{term}"')
    return " or ".join(cleaned[:60])


async def keyword_search(
    session: AsyncSession, *, resource_type: str, owner_id: uuid.UUID, terms: list[str], k: int
) -> list[uuid.UUID]:
    query = _tsquery_text(terms)
    if not query:
        return []
    if resource_type == RESOURCE:
        sql = (
            "SELECT r.id FROM job_descriptions r, websearch_to_tsquery('simple', :q) query "
            "WHERE r.user_id = :o AND r.is_active AND r.search_vector @@ query "
            "ORDER BY ts_rank_cd(r.search_vector, query, 1) DESC, r.id LIMIT :k"
        )
    else:
        sql = (
            "SELECT r.id FROM cvs r, websearch_to_tsquery('simple', :q) query "
            "WHERE r.user_id = :o AND r.is_active AND r.status = 'ready' "
            "AND r.search_vector @@ query "
            "ORDER BY ts_rank_cd(r.search_vector, query, 1) DESC, r.id LIMIT :k"
        )
    rows = await session.execute(text(sql), {"q": query, "o": owner_id, "k": k})
    return [row[0] for row in rows]


async def _cosines(
    session: AsyncSession,
    *,
    resource_type: str,
    model: str,
    vector: list[float],
    ids: list[uuid.UUID],
) -> dict[uuid.UUID, float]:
    if not ids:
        return {}
    rows = await session.execute(
        text(
            "SELECT resource_id, 1 - (embedding <=> CAST(:q AS vector)) FROM embeddings "
            "WHERE model = :m AND resource_type = :t AND resource_id = ANY(:ids)"
        ),
        {"q": _vector_literal(vector), "m": model, "t": resource_type, "ids": ids},
    )
    return {row[0]: float(row[1]) for row in rows}


async def hybrid_candidates(
    session: AsyncSession,
    *,
    resource_type: str,
    owner_id: uuid.UUID,
    vector: list[float] | None,
    model: str,
    dim: int,
    terms: list[str],
    k: int = CANDIDATES,
    mode: Mode = "hybrid",
    exact: bool | None = None,
) -> list[Candidate]:
    """Candidates ranked by reciprocal rank fusion of vector and keyword rankings."""
    candidates: dict[uuid.UUID, Candidate] = {}
    if vector is not None and mode in ("hybrid", "vector"):
        hits = await vector_search(
            session,
            resource_type=resource_type,
            owner_id=owner_id,
            model=model,
            dim=dim,
            vector=vector,
            k=k,
            exact=exact,
        )
        for rank, (rid, cosine) in enumerate(hits, start=1):
            c = candidates.setdefault(rid, Candidate(rid))
            c.vector_rank, c.cosine = rank, cosine
            c.fused += 1.0 / (RRF_K + rank)
    if mode in ("hybrid", "keyword"):
        for rank, rid in enumerate(
            await keyword_search(
                session, resource_type=resource_type, owner_id=owner_id, terms=terms, k=k
            ),
            start=1,
        ):
            c = candidates.setdefault(rid, Candidate(rid))
            c.keyword_rank = rank
            c.fused += 1.0 / (RRF_K + rank)
    missing = [c.id for c in candidates.values() if c.cosine is None]
    if vector is not None and missing:
        for rid, cosine in (
            await _cosines(
                session, resource_type=resource_type, model=model, vector=vector, ids=missing
            )
        ).items():
            candidates[rid].cosine = cosine
    return sorted(candidates.values(), key=lambda c: (-c.fused, str(c.id)))


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
        description=job.description,
    )


def _fingerprint(cv: CV, job: JobDescription, model: str, cosine: float | None) -> str:
    """Everything the score depends on: a change to the CV's analysis, the job's requirements,
    the embedding or the scoring version gives a new fingerprint (and a fresh score)."""
    parts = [
        matching.SCORING_VERSION,
        model,
        f"{cosine:.4f}" if cosine is not None else "-",
        hashlib.sha256((cv.text_content or "").encode()).hexdigest(),
        "\x1f".join(cv.extracted_skills or []),
        str(cv.total_experience_years),
        job.title,
        hashlib.sha256(job.description.encode()).hexdigest(),
        "\x1f".join(job.required_skills or []),
        "\x1f".join(job.nice_to_have_skills or []),
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
    cached = {
        (row.cv_id, row.job_id): row
        for row in (
            await session.execute(
                select(MatchResult).where(
                    func.row(MatchResult.cv_id, MatchResult.job_id).in_(
                        [func.row(a, b) for a, b in keys]
                    )
                )
            )
        ).scalars()
    }
    results: list[dict[str, Any]] = []
    fresh: list[dict[str, Any]] = []
    for cv, job, cosine in pairs:
        fingerprint = _fingerprint(cv, job, model, cosine)
        hit = cached.get((cv.id, job.id))
        if hit is not None and hit.fingerprint == fingerprint:
            results.append(hit.result)
            continue
        result = matching.score_match(
            cv_profile(cv), job_profile(job), cosine=cosine, model=model
        ).as_dict()
        results.append(result)
        fresh.append(
            {"cv_id": cv.id, "job_id": job.id, "fingerprint": fingerprint, "result": result}
        )
    if fresh:
        stmt = insert(MatchResult).values(fresh)
        stmt = stmt.on_conflict_do_update(
            index_elements=["cv_id", "job_id"],
            set_={
                "fingerprint": stmt.excluded.fingerprint,
                "result": stmt.excluded.result,
                "created_at": func.now(),
            },
        )
        await session.execute(stmt)
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
        rows = await session.execute(select(JobDescription).where(JobDescription.id.in_(ids)))
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
user_service.register_user_data(
    user_service.UserDataProvider(name="jobs", export=_export, count=_count)
)
