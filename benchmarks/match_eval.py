"""Matching quality on the labelled set in benchmarks/match_data (issue 6).

    .venv/bin/python benchmarks/match_eval.py [--json results.json]
        [--calibration CENTER,SPREAD] [--cv CV_ID ...]

Starts an embedded PostgreSQL in a temporary directory (or uses DATABASE_URL when set, with a
throw-away user that is deleted afterwards), migrates it, stores every CV of the set the way the
CV analysis job does (offline analyser on the plain text, ``tasks._result_values``, local
embedding through ``embeddings.service.store``) and every job ad through the jobs service, then
ranks all jobs for every CV with each retrieval mode the service exposes and prints:

1. per mode: best-fitting job at rank 1 / in the top 3, MRR of the best job, nDCG@5 and @10 of
   the graded labels (3/2/1/0);
2. the rank of each CV's best job per mode, and the product ranking's top 3;
3. the distribution of raw cosine similarity by label, the calibration it implies for the
   embedding model (centre = midpoint between the medians of fitting (label >= 2) and unrelated
   (label 0) pairs; spread such that the 10th percentile of unrelated pairs and the 90th of
   fitting pairs land near 0.1 and 0.9), and the product ranking re-scored with it;
4. consistency of the explanation fields with the score, over every CV-job result.

``--calibration`` evaluates the product ranking with another (centre, spread) as well.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import SecretStr
from sqlalchemy import delete, select, text
from sqlalchemy.orm import undefer

DATA_DIR = Path(__file__).resolve().parent / "match_data"
DATABASE_NAME = "resumate_match_eval"

# (label, mode, rerank): every ranking the service can produce. "product" is what
# GET /cvs/{id}/matches returns.
CONFIGS: list[tuple[str, str, bool]] = [
    ("hybrid + re-rank (product)", "hybrid", True),
    ("hybrid RRF only", "hybrid", False),
    ("vector only", "vector", False),
    ("keyword only", "keyword", False),
    ("vector + re-rank", "vector", True),
    ("keyword + re-rank", "keyword", True),
]


# ---- the labelled set ------------------------------------------------------------------------


@dataclass
class LabelledSet:
    cvs: list[dict[str, Any]]
    jobs: list[dict[str, Any]]
    labels: dict[str, dict[str, Any]]

    def relevance(self, cv_id: str, job_id: str) -> int:
        return int(self.labels[cv_id]["relevance"].get(job_id, 0))

    def best(self, cv_id: str) -> str:
        return str(self.labels[cv_id]["best"])


def load_labelled_set(data_dir: Path = DATA_DIR) -> LabelledSet:
    cvs = [c for f in sorted((data_dir / "cvs").glob("*.yaml")) for c in yaml.safe_load(f.open())]
    jobs = [j for f in sorted((data_dir / "jobs").glob("*.yaml")) for j in yaml.safe_load(f.open())]
    labels = yaml.safe_load((data_dir / "labels.yaml").open())
    job_ids = {j["id"] for j in jobs}
    for cv in cvs:
        entry = labels[cv["id"]]
        unknown = set(entry["relevance"]) - job_ids
        if unknown:
            raise ValueError(f"{cv['id']}: unknown jobs in labels: {sorted(unknown)}")
        if entry["relevance"].get(entry["best"]) != 3:
            raise ValueError(f"{cv['id']}: the best job must have relevance 3")
    return LabelledSet(cvs=cvs, jobs=jobs, labels=labels)


# ---- metrics ------------------------------------------------------------------------------------


def rank_of(item: str, ranked: list[str]) -> int | None:
    return ranked.index(item) + 1 if item in ranked else None


def ndcg(ranked: list[str], gains: dict[str, int], k: int) -> float:
    """nDCG@k with exponential gains (2^rel - 1); unlisted items have relevance 0."""
    dcg = sum((2 ** gains.get(j, 0) - 1) / math.log2(i + 2) for i, j in enumerate(ranked[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


@dataclass
class ModeMetrics:
    top1: int = 0
    top3: int = 0
    rr: list[float] = field(default_factory=list)
    ndcg5: list[float] = field(default_factory=list)
    ndcg10: list[float] = field(default_factory=list)

    def add(self, ranked: list[str], best: str, gains: dict[str, int]) -> int | None:
        rank = rank_of(best, ranked)
        self.top1 += rank == 1
        self.top3 += rank is not None and rank <= 3
        self.rr.append(1.0 / rank if rank else 0.0)
        self.ndcg5.append(ndcg(ranked, gains, 5))
        self.ndcg10.append(ndcg(ranked, gains, 10))
        return rank

    def row(self, n: int) -> dict[str, float]:
        return {
            "top1": self.top1 / n,
            "top3": self.top3 / n,
            "mrr": statistics.fmean(self.rr),
            "ndcg5": statistics.fmean(self.ndcg5),
            "ndcg10": statistics.fmean(self.ndcg10),
        }


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def auc(positives: list[float], negatives: list[float]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    pos, neg = np.asarray(positives), np.asarray(negatives)
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def propose_calibration(fit: list[float], unrelated: list[float]) -> tuple[float, float]:
    """(centre, spread) of the logistic: centre halfway between the medians of fitting and
    unrelated pairs; spread putting unrelated p10 near 0.1 and fitting p90 near 0.9."""
    center = (statistics.median(fit) + statistics.median(unrelated)) / 2
    reach = ((percentile(fit, 90) - center) + (center - percentile(unrelated, 10))) / 2
    return round(center, 3), round(max(reach, 1e-3) / math.log(9), 3)


# ---- database -------------------------------------------------------------------------------------


@contextmanager
def database_url() -> Iterator[str]:
    """DATABASE_URL when set; otherwise a migrated embedded server in a temporary directory."""
    from resumate.core.migrations import upgrade

    given = os.environ.get("DATABASE_URL") or os.environ.get("RESUMATE_DATABASE_URL")
    if given:
        upgrade(given)
        yield given
        return
    from resumate.core.pgserver import start_embedded, stop_embedded

    tmp = Path(tempfile.mkdtemp(prefix="resumate-bench-"))
    try:
        server = start_embedded(tmp, database=DATABASE_NAME)
        url = server.url(DATABASE_NAME)
        upgrade(url)
        yield url
    finally:
        stop_embedded(tmp)
        shutil.rmtree(tmp, ignore_errors=True)


def configure(url: str) -> Any:
    """Process-wide settings and database for the services (as the app factory would)."""
    from resumate.config import Settings, set_settings
    from resumate.core import db as db_module

    work = Path(tempfile.mkdtemp(prefix="resumate-bench-data-"))
    atexit.register(shutil.rmtree, work, True)
    set_settings(
        Settings(
            env="test",
            data_dir=work,
            database_url=url,
            secret_key=SecretStr("bench-secret-" + "x" * 40),
            ai_provider="offline",
            run_worker_in_process=False,
            log_level="WARNING",
        )
    )
    database = db_module.Database(url, pool_size=4, max_overflow=4)
    db_module.set_database(database)
    return database


async def create_user(database: Any, email_prefix: str = "bench") -> uuid.UUID:
    from resumate.modules.users.models import User

    async with database.sessionmaker() as session, session.begin():
        user = User(
            email=f"{email_prefix}-{uuid.uuid4().hex[:10]}@example.org",
            password_hash="!benchmark-user-without-login",  # noqa: S106 (not a hash: no login)
            full_name="Benchmark user",
            email_verified=True,
        )
        session.add(user)
        await session.flush()
        return user.id


async def delete_user(database: Any, user_id: uuid.UUID) -> None:
    from resumate.modules.users.models import User

    async with database.sessionmaker() as session, session.begin():
        await session.execute(delete(User).where(User.id == user_id))


async def insert_cvs(
    database: Any, user_id: uuid.UUID, cvs: list[dict[str, Any]]
) -> dict[str, uuid.UUID]:
    """Analyse and embed CV texts, stored exactly as the CV analysis job stores its results."""
    import hashlib

    from resumate.ai.analyzer import analyze_text
    from resumate.ai.documents import ExtractedText
    from resumate.modules.cvs import service as cv_service
    from resumate.modules.cvs.models import CV
    from resumate.modules.cvs.tasks import _result_values
    from resumate.modules.embeddings import service as embedding_service

    embedder = embedding_service.get_embedder()
    texts = [c["text"] for c in cvs]
    vectors = await embedder.embed(texts)
    ids: dict[str, uuid.UUID] = {}
    async with database.sessionmaker() as session, session.begin():
        for item, vector in zip(cvs, vectors, strict=True):
            body = item["text"]
            analysis = analyze_text(ExtractedText.from_plain_text(body))
            cv = CV(
                user_id=user_id,
                filename=f"{item['id']}.pdf",
                storage_key=f"bench/{item['id']}",
                file_kind="pdf",
                size_bytes=len(body.encode()),
                sha256=hashlib.sha256(body.encode()).hexdigest(),
                status="processing",
            )
            session.add(cv)
            await session.flush()
            await cv_service.mark(session, cv.id, **_result_values(analysis, body))
            await embedding_service.store(
                session,
                owner_id=user_id,
                resource_type=cv_service.RESOURCE,
                resource_id=cv.id,
                model=embedder.model,
                vector=vector,
                content_sha256=embedding_service.content_digest(body),
            )
            ids[item["id"]] = cv.id
    return ids


async def insert_jobs(
    database: Any, user_id: uuid.UUID, jobs: list[dict[str, Any]]
) -> dict[str, uuid.UUID]:
    """Job ads through the jobs service (requirements extracted, embedded)."""
    from resumate.modules.jobs import service as job_service

    ids: dict[str, uuid.UUID] = {}
    # As a request does: the service may end a read-only transaction itself (it gives the
    # connection back while the ad is embedded), so no ``session.begin()`` block around it.
    async with database.sessionmaker() as session:
        for item in jobs:
            job = await job_service.create_job(
                session,
                user_id=user_id,
                data={
                    "title": item["title"],
                    "description": item["description"],
                    "company": item.get("company"),
                    "location_type": item.get("location_type", "hybrid"),
                },
            )
            await session.commit()
            ids[item["id"]] = job.id
    return ids


async def ensure_hnsw(database: Any) -> None:
    from resumate.modules.embeddings import service as embedding_service

    embedder = embedding_service.get_embedder()
    async with database.sessionmaker() as session, session.begin():
        await embedding_service.ensure_index(session, model=embedder.model, dim=embedder.dim)


async def rank_jobs(
    database: Any,
    user_id: uuid.UUID,
    cv_id: uuid.UUID,
    *,
    mode: str,
    rerank: bool,
    limit: int = 100,
    exact: bool | None = None,
) -> list[tuple[uuid.UUID, dict[str, Any]]]:
    from resumate.modules.jobs import service as job_service

    async with database.sessionmaker() as session, session.begin():
        ranked = await job_service.match_jobs_for_cv(
            session,
            user_id=user_id,
            cv_id=cv_id,
            limit=limit,
            mode=mode,  # type: ignore[arg-type]
            rerank=rerank,
            exact=exact,
        )
        return [(job.id, result) for job, result in ranked]


async def clear_match_cache(database: Any) -> None:
    async with database.sessionmaker() as session, session.begin():
        await session.execute(text("DELETE FROM match_results"))


async def all_vectors(database: Any, user_id: uuid.UUID) -> dict[uuid.UUID, np.ndarray]:
    from resumate.modules.embeddings.models import Embedding

    async with database.sessionmaker() as session:
        rows = await session.execute(
            select(Embedding.resource_id, Embedding.embedding).where(Embedding.owner_id == user_id)
        )
        return {row[0]: np.asarray(row[1], dtype=np.float64) for row in rows}


# ---- explanation consistency -------------------------------------------------------------------


def _canon(name: str) -> str:
    from resumate.ai.skills import canonical_skill

    return (canonical_skill(name) or name).strip().lower()


def check_result(result: dict[str, Any], job: Any, cv_years: float | None) -> list[str]:
    """What is inconsistent between one result's fields and its score (empty when none)."""
    problems: list[str] = []
    required = {_canon(s) for s in job.required_skills}
    nice = {_canon(s) for s in job.nice_to_have_skills}
    matched = [_canon(s) for s in result["matched_skills"]]
    missing = [_canon(s) for s in result["missing_skills"]]
    partial = [_canon(p["skill"]) for p in result["partial_skills"]]
    if not set(missing) <= required:
        problems.append(f"missing not in required: {sorted(set(missing) - required)}")
    if not set(matched) <= required:
        problems.append(f"matched not in required: {sorted(set(matched) - required)}")
    if not set(partial) <= required:
        problems.append("partial not in required")
    if set(matched) & set(missing) or set(partial) & (set(matched) | set(missing)):
        problems.append("a skill is in two of matched / partial / missing")
    if len(matched) + len(partial) + len(missing) != len(required):
        problems.append(
            f"matched+partial+missing = {len(matched) + len(partial) + len(missing)} "
            f"!= {len(required)} required"
        )
    if not {_canon(s) for s in result["missing_nice_to_have"]} <= nice:
        problems.append("missing nice-to-have not in the job's nice-to-haves")
    score = result["score"]
    if not 0 <= score <= 100:
        problems.append(f"score {score} out of range")
    points = sum(b["points"] for b in result["breakdown"])
    if abs(points - score) > 1.0:
        problems.append(f"breakdown sums to {points:.1f}, score {score}")
    max_points = sum(b["max_points"] for b in result["breakdown"] if b["applies"])
    if abs(max_points - 100) > 0.5:
        problems.append(f"max points of applying components sum to {max_points}")
    if any(b["points"] > b["max_points"] + 0.05 for b in result["breakdown"]):
        problems.append("a component has more points than its maximum")
    if not 0.0 <= result["semantic_similarity"] <= 1.0:
        problems.append("semantic similarity out of range")
    expected_gap = max(0.0, (job.min_experience_years or 0.0) - (cv_years or 0.0))
    if job.min_experience_years and abs(result["experience_gap_years"] - expected_gap) > 0.11:
        problems.append(f"gap {result['experience_gap_years']} != {expected_gap:.1f}")
    if f"({score}/100)" not in result["explanation"]:
        problems.append("explanation does not state the score")
    for skill in result["missing_skills"][:4]:
        if skill not in result["explanation"]:
            problems.append(f"explanation omits missing skill {skill}")
    return problems


def monotonicity(cv: Any, job: Any, cosine: float | None, model: str) -> list[str]:
    """Adding a missing skill, more years or a higher cosine never lowers the score; adding a
    missing required skill raises it."""
    from dataclasses import replace

    from resumate.ai import matching
    from resumate.modules.jobs import service as job_service

    cv_p, job_p = job_service.cv_profile(cv), job_service.job_profile(job)
    base = matching.score_match(cv_p, job_p, cosine=cosine, model=model)
    problems: list[str] = []
    for skill in base.missing_skills[:5]:
        better = matching.score_match(
            replace(cv_p, skills=[*cv_p.skills, skill]), job_p, cosine=cosine, model=model
        )
        if better.score < base.score or skill in better.missing_skills:
            problems.append(f"adding {skill} did not help ({base.score} -> {better.score})")
    for pair in base.partial_skills[:3]:
        better = matching.score_match(
            replace(cv_p, skills=[*cv_p.skills, pair["skill"]]), job_p, cosine=cosine, model=model
        )
        if better.score < base.score:
            problems.append(f"adding partial {pair['skill']} lowered the score")
    more_years = matching.score_match(
        replace(cv_p, years=(cv_p.years or 0) + 5), job_p, cosine=cosine, model=model
    )
    if more_years.score < base.score:
        problems.append("more years lowered the score")
    if cosine is not None:
        closer = matching.score_match(cv_p, job_p, cosine=min(1.0, cosine + 0.05), model=model)
        if closer.score < base.score:
            problems.append("a higher cosine lowered the score")
    return problems


# ---- the run ---------------------------------------------------------------------------------------


def fmt_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


async def evaluate_configs(
    database: Any,
    user_id: uuid.UUID,
    data: LabelledSet,
    cv_ids: dict[str, uuid.UUID],
    job_names: dict[uuid.UUID, str],
    configs: list[tuple[str, str, bool]],
    exact: bool | None = None,
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, Any]]]:
    summary: dict[str, dict[str, float]] = {}
    per_cv: dict[str, dict[str, Any]] = {c["id"]: {} for c in data.cvs if c["id"] in cv_ids}
    for label, mode, rerank in configs:
        metrics = ModeMetrics()
        for name, cv_id in cv_ids.items():
            ranked = await rank_jobs(
                database, user_id, cv_id, mode=mode, rerank=rerank, exact=exact
            )
            names = [job_names[j] for j, _ in ranked]
            rank = metrics.add(names, data.best(name), data.labels[name]["relevance"])
            per_cv[name][label] = {
                "rank": rank,
                "top": [(job_names[j], r["score"]) for j, r in ranked[:3]],
            }
        summary[label] = metrics.row(len(cv_ids))
    return summary, per_cv


async def product_variant(
    database: Any,
    user_id: uuid.UUID,
    data: LabelledSet,
    cv_ids: dict[str, uuid.UUID],
    job_names: dict[uuid.UUID, str],
    model: str,
    calibration: tuple[float, float] | None,
    weights: dict[str, float] | None,
) -> tuple[dict[str, float], dict[int, list[float]]]:
    """The product ranking's metrics and its scores by label, with the scorer's constants
    patched in-process (the match cache is cleared around it)."""
    from resumate.ai import matching

    saved_calibration, saved_weights = dict(matching.CALIBRATION), dict(matching.WEIGHTS)
    if calibration is not None:
        matching.CALIBRATION[model] = calibration
    if weights is not None:
        matching.WEIGHTS.update(weights)
    await clear_match_cache(database)
    metrics = ModeMetrics()
    scores: dict[int, list[float]] = {3: [], 2: [], 1: [], 0: []}
    try:
        for name, cv_id in cv_ids.items():
            ranked = await rank_jobs(database, user_id, cv_id, mode="hybrid", rerank=True)
            names = [job_names[j] for j, _ in ranked]
            metrics.add(names, data.best(name), data.labels[name]["relevance"])
            for job_name, (_, result) in zip(names, ranked, strict=True):
                scores[data.relevance(name, job_name)].append(result["score"])
    finally:
        matching.CALIBRATION.clear()
        matching.CALIBRATION.update(saved_calibration)
        matching.WEIGHTS.clear()
        matching.WEIGHTS.update(saved_weights)
        await clear_match_cache(database)
    return metrics.row(len(cv_ids)), scores


def print_summary(title: str, summary: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    rows = [
        [
            label,
            f"{m['top1']:.0%}",
            f"{m['top3']:.0%}",
            f"{m['mrr']:.3f}",
            f"{m['ndcg5']:.3f}",
            f"{m['ndcg10']:.3f}",
        ]
        for label, m in summary.items()
    ]
    print(fmt_table(["ranking", "best@1", "best@3", "MRR", "nDCG@5", "nDCG@10"], rows))


async def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    from resumate.ai import matching
    from resumate.modules.cvs.models import CV
    from resumate.modules.embeddings import service as embedding_service
    from resumate.modules.jobs.models import JobDescription

    data = load_labelled_set()
    cvs = [c for c in data.cvs if not args.cv or c["id"] in args.cv]
    report: dict[str, Any] = {"cvs": len(cvs), "jobs": len(data.jobs)}
    database = configure(url)
    user_id = await create_user(database)
    try:
        started = time.perf_counter()
        cv_ids = await insert_cvs(database, user_id, cvs)
        job_ids = await insert_jobs(database, user_id, data.jobs)
        await ensure_hnsw(database)
        print(
            f"{len(cv_ids)} CVs and {len(job_ids)} jobs stored and embedded in "
            f"{time.perf_counter() - started:.1f} s"
        )
        job_names = {v: k for k, v in job_ids.items()}
        model = embedding_service.get_embedder().model

        summary, per_cv = await evaluate_configs(
            database, user_id, data, cv_ids, job_names, CONFIGS
        )
        print_summary(
            f"Ranking quality, {len(cv_ids)} CVs x {len(job_ids)} jobs "
            f"(model {model}, calibration {matching.CALIBRATION.get(model)})",
            summary,
        )
        report["modes"] = summary

        print("\nRank of each CV's best job (- = not retrieved); product top 3 with scores")
        rows = []
        for name, entry in per_cv.items():
            ranks = [entry[label]["rank"] for label, _, _ in CONFIGS[:4]]
            top = ", ".join(f"{j}:{s}" for j, s in entry[CONFIGS[0][0]]["top"])
            rows.append([name, *(str(r) if r else "-" for r in ranks), top])
        print(
            fmt_table(["cv", "product", "rrf", "vector", "keyword", "product top 3 (score)"], rows)
        )
        report["per_cv"] = per_cv

        # Index vs exact scan: the product ranking must not change on this small set.
        _, exact_cv = await evaluate_configs(
            database, user_id, data, cv_ids, job_names, CONFIGS[:1], exact=True
        )
        _, index_cv = await evaluate_configs(
            database, user_id, data, cv_ids, job_names, CONFIGS[:1], exact=False
        )
        same = all(exact_cv[n][CONFIGS[0][0]] == index_cv[n][CONFIGS[0][0]] for n in exact_cv)
        print(f"\nProduct ranking with the HNSW index path identical to exact scan: {same}")
        report["index_equals_exact"] = same

        # Raw cosine by label.
        vectors = await all_vectors(database, user_id)
        by_label: dict[int, list[float]] = {3: [], 2: [], 1: [], 0: []}
        for name, cv_id in cv_ids.items():
            for job_name, job_id in job_ids.items():
                cosine = float(vectors[cv_id] @ vectors[job_id])
                by_label[data.relevance(name, job_name)].append(cosine)
        rows = []
        for label in (3, 2, 1, 0):
            values = by_label[label]
            rows.append(
                [
                    str(label),
                    str(len(values)),
                    *(f"{percentile(values, q):.3f}" for q in (10, 25, 50, 75, 90)),
                    f"{matching.calibrate(statistics.median(values), model):.2f}",
                ]
            )
        print(f"\nRaw cosine CV-job by label ({model})")
        print(
            fmt_table(
                ["label", "pairs", "p10", "p25", "p50", "p75", "p90", "calibrated p50 now"],
                rows,
            )
        )
        fit = by_label[3] + by_label[2]
        unrelated = by_label[0]
        proposed = propose_calibration(fit, unrelated)
        print(
            f"AUC fitting (2-3) vs unrelated (0): {auc(fit, unrelated):.3f}; "
            f"fitting (2-3) vs near-miss (1): {auc(fit, by_label[1]):.3f}"
        )
        print(f"Current calibration {matching.CALIBRATION.get(model)}; proposed {proposed}")
        report["cosine"] = {
            str(k): {f"p{q}": percentile(v, q) for q in (10, 25, 50, 75, 90)}
            for k, v in by_label.items()
        }
        report["calibration"] = {
            "current": matching.CALIBRATION.get(model),
            "proposed": proposed,
        }

        # What the explanation says about the texts ("closely related" at >= 0.7 calibrated,
        # "a different kind of work" below 0.3), by label, for each calibration.
        wording_rows = []
        for tag, (center, spread) in (
            ("current", matching.CALIBRATION.get(model, matching.DEFAULT_CALIBRATION)),
            ("proposed", proposed),
        ):
            cells = []
            for label in (3, 2, 1, 0):
                mapped = [1 / (1 + math.exp(-(c - center) / spread)) for c in by_label[label]]
                close = sum(v >= 0.7 for v in mapped) / len(mapped)
                other = sum(v < 0.3 for v in mapped) / len(mapped)
                cells.append(f"{close:.0%} / {other:.0%}")
            wording_rows.append([f"{tag} ({center}, {spread})", *cells])
        print("\nExplanation wording by label: 'closely related' / 'different kind of work'")
        print(fmt_table(["calibration", "label 3", "label 2", "label 1", "label 0"], wording_rows))
        report["wording"] = wording_rows

        # The product ranking and the scores users see, under other calibrations and with
        # each score component left out (weights patched in-process, cache cleared).
        variants: list[tuple[str, tuple[float, float] | None, dict[str, float] | None]] = [
            ("current", None, None),
            (f"calibration {proposed}", proposed, None),
        ]
        if args.calibration:
            given = tuple(float(x) for x in args.calibration.split(","))
            variants.append((f"calibration {given}", (given[0], given[1]), None))
        for left_out in matching.WEIGHTS:
            ablated = {k: (0.0 if k == left_out else v) for k, v in matching.WEIGHTS.items()}
            variants.append((f"without {left_out}", None, ablated))
        variant_rows: dict[str, dict[str, float]] = {}
        score_rows = []
        for tag, cal, weights in variants:
            metrics, scores = await product_variant(
                database, user_id, data, cv_ids, job_names, model, cal, weights
            )
            variant_rows[tag] = metrics
            medians = [f"{statistics.median(scores[g]):.0f}" for g in (3, 2, 1, 0)]
            score_rows.append([tag, *medians, f"{percentile(scores[0], 90):.0f}"])
        print_summary("Product ranking by calibration and score component", variant_rows)
        print("\nScore (0-100) users see, median by label")
        print(fmt_table(["variant", "3", "2", "1", "0", "0 (p90)"], score_rows))
        report["variants"] = variant_rows
        report["scores_by_label"] = score_rows

        # Explanation fields against the score, over every CV-job result.
        problems: list[str] = []
        checked = 0
        monotone_checked = 0
        async with database.sessionmaker() as session:
            jobs = {
                j.id: j
                for j in (
                    await session.execute(
                        select(JobDescription).where(JobDescription.user_id == user_id)
                    )
                ).scalars()
            }
            cv_rows = {
                cv.id: cv
                for cv in (
                    await session.execute(
                        select(CV).options(undefer(CV.text_content)).where(CV.user_id == user_id)
                    )
                ).scalars()
            }
        for name, cv_id in cv_ids.items():
            ranked = await rank_jobs(database, user_id, cv_id, mode="hybrid", rerank=True)
            for position, (job_id, result) in enumerate(ranked):
                job = jobs[job_id]
                checked += 1
                for p in check_result(result, job, cv_rows[cv_id].total_experience_years):
                    problems.append(f"{name} / {job_names[job_id]}: {p}")
                if position < 10:
                    monotone_checked += 1
                    cosine = float(vectors[cv_id] @ vectors[job_id])
                    for p in monotonicity(cv_rows[cv_id], job, cosine, model):
                        problems.append(f"{name} / {job_names[job_id]}: {p}")
            listed = [r["score"] for _, r in ranked]
            if listed != sorted(listed, reverse=True):
                problems.append(f"{name}: product ranking is not sorted by score")
        print(
            f"\nExplanation consistency: {checked} results checked, monotonicity on "
            f"{monotone_checked}; {len(problems)} problems"
        )
        for p in problems[:40]:
            print("  " + p)
        report["consistency"] = {"checked": checked, "problems": problems}
    finally:
        await delete_user(database, user_id)
        await database.dispose()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--calibration", help="also evaluate CENTER,SPREAD")
    parser.add_argument("--cv", action="append", help="only these CV ids (repeatable)")
    args = parser.parse_args()
    with database_url() as url:
        report = asyncio.run(run(args, url))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    top3 = report["modes"][CONFIGS[0][0]]["top3"]
    print(f"\nGoal: best-fitting job in the top 3 for >= 90% of CVs: {top3:.0%}")
    sys.exit(0)


if __name__ == "__main__":
    main()
