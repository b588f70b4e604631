"""Candidate retrieval for matching: pgvector HNSW (or an exact scan for small accounts) and a
keyword stage, fused by reciprocal rank fusion.

The keyword stage for jobs compares skill ids (``ai.jobs.skill_id``) in the narrow
``job_skill_sets`` table (integer arrays, GIN index, intarray's overlap count) and keeps only
the ``k`` ads sharing most skills with the CV, so its cost follows the ads that share a skill
and never touches their wide rows; free-text search uses the full-text index.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

RESOURCE = "job"
RRF_K = 60
CANDIDATES = 100
# The keyword stage adds at most this many ads to the vector stage's CANDIDATES: the ads
# sharing most skills with the CV (everything beyond is found by meaning or not at all).
KEYWORD_CANDIDATES = 60
# Below this many rows per owner an exact scan is cheap and loses nothing to filtering.
EXACT_THRESHOLD = 2_000
# With the index's m=32, ef_construction=128 (embeddings.service): recall@20 0.987 / 0.990 /
# 0.991 at ef_search 100 / 200 / 400 on 100k jobs (with pgvector's default graph 0.919 /
# 0.943 / 0.962); benchmarks/bench_retrieval.py, benchmarks/RESULTS.md.
HNSW_EF_SEARCH = 200
# The index is always asked for at least this many rows and the best k are kept: with the
# iterative scan's relaxed order, the nearest 20 of 100 retrieved are far more complete than
# the first 20 rows it returns.
HNSW_POOL = 100
Mode = Literal["hybrid", "vector", "keyword"]


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
        # Both settings in one round trip, for this transaction only.
        await session.execute(
            text(
                "SELECT set_config('hnsw.ef_search', :ef, true), "
                "set_config('hnsw.iterative_scan', 'relaxed_order', true)"
            ),
            {"ef": str(int(HNSW_EF_SEARCH))},
        )
    rows = await session.execute(
        text(
            # Only our constants and an int are interpolated; values are bound parameters.
            f"SELECT e.resource_id, 1 - ({distance}) AS cosine FROM embeddings e "  # noqa: S608
            f"JOIN {table} r ON r.id = e.resource_id "
            f"WHERE e.model = :m AND e.resource_type = :t AND e.owner_id = :o AND {active} "
            f"ORDER BY {distance} LIMIT :k"
        ),
        {
            "q": _vector_literal(vector),
            "m": model,
            "t": resource_type,
            "o": owner_id,
            "k": k if exact else max(k, HNSW_POOL),
        },
    )
    hits = sorted(((row[0], float(row[1])) for row in rows), key=lambda h: (-h[1], str(h[0])))
    return hits[:k]


def _tsquery_text(terms: list[str]) -> str:
    """websearch_to_tsquery input: each term quoted (phrases stay phrases), joined by OR."""
    cleaned = []
    for term in terms:
        term = re.sub(r'["\\]', " ", term).strip()
        if term:
            cleaned.append(f'"{term}"')
    return " or ".join(cleaned[:60])


async def skill_search(
    session: AsyncSession, *, owner_id: uuid.UUID, skill_ids: list[int], k: int
) -> list[uuid.UUID]:
    """The owner's active jobs sharing most skills with ``skill_ids`` (ties: fewer skills
    asked, so an ad asking for everything does not win by default)."""
    if not skill_ids:
        return []
    rows = await session.execute(
        text(
            "SELECT s.job_id FROM job_skill_sets s "
            "WHERE s.skill_ids && CAST(:ids AS int[]) AND s.user_id = :o "
            "ORDER BY icount(s.skill_ids & CAST(:ids AS int[])) DESC, icount(s.skill_ids), "
            "s.job_id LIMIT :k"
        ),
        {"ids": sorted(set(skill_ids)), "o": owner_id, "k": k},
    )
    return [row[0] for row in rows]


async def keyword_search(
    session: AsyncSession,
    *,
    resource_type: str,
    owner_id: uuid.UUID,
    terms: list[str],
    k: int,
    skill_ids: list[int] | None = None,
) -> list[uuid.UUID]:
    if resource_type == RESOURCE and skill_ids is not None:
        return await skill_search(session, owner_id=owner_id, skill_ids=skill_ids, k=k)
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
    skill_ids: list[int] | None = None,
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
                session,
                resource_type=resource_type,
                owner_id=owner_id,
                terms=terms,
                k=k if mode == "keyword" or skill_ids is None else min(k, KEYWORD_CANDIDATES),
                skill_ids=skill_ids,
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
