"""The CV analysis job: pending -> processing -> ready | failed."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import procrastinate
import structlog
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, OperationalError

from resumate.ai.documents import DocumentError
from resumate.ai.isolated import AnalysisCrashed, AnalysisTimeout, analyze_isolated
from resumate.ai.schemas import CVAnalysis
from resumate.config import get_settings
from resumate.core import cache
from resumate.core.db import get_database
from resumate.core.metrics import JOBS
from resumate.core.queue import queue, retry_stalled_jobs
from resumate.core.storage import ObjectNotFound, get_storage
from resumate.core.text import clean_json
from resumate.modules.cvs import service as cv_service
from resumate.modules.cvs.models import CV
from resumate.modules.embeddings import service as embedding_service

log = structlog.get_logger(__name__)

# Errors worth another try (a restart, a network blip, a crashed analysis process).
TRANSIENT = (OSError, OperationalError, DBAPIError, AnalysisCrashed)


class RetryAnalysis(Exception):
    """Raised to have procrastinate run the job again later (the CV is back to pending)."""


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g} minutes" if seconds >= 120 else f"{seconds:g} seconds"


def timeout_message(seconds: float) -> str:
    return (
        f"The analysis of this file took longer than {_minutes(seconds)} and was stopped. "
        "Try exporting the CV again as a simpler PDF or Word file and upload that copy."
    )


def crash_message(attempts: int) -> str:
    return (
        f"The analysis stopped unexpectedly {attempts} times on this file and was given up. "
        "Try exporting the CV again as a PDF or Word file and upload that copy; "
        "if it keeps failing, tell the administrator (the errors were logged)."
    )


async def run_analysis(data: bytes, kind: str) -> tuple[CVAnalysis, str]:
    """(analysis, extracted text) with the configured provider; Ollama falls back offline.
    Extraction and the offline analyzer run in a child process killed at the time limit."""
    settings = get_settings()
    analysis, extracted = await analyze_isolated(
        data,
        kind,
        timeout=settings.analysis_timeout,
        memory_limit=settings.analysis_memory_mb * 1024 * 1024,
    )
    if settings.ai_provider == "ollama" and extracted.text.strip():
        from resumate.ai.providers.llm_analysis import analyze_with_ollama
        from resumate.ai.providers.ollama import OllamaClient

        async with OllamaClient(settings.ollama_host, timeout=settings.ollama_timeout) as client:
            analysis = await asyncio.wait_for(
                analyze_with_ollama(extracted.text, analysis, client, settings.ollama_chat_model),
                settings.analysis_timeout,
            )
    return analysis, extracted.text


async def embed_text(text: str) -> tuple[str, list[float]] | None:
    """(model, vector) of the text, or None when no embedder answers (backfill later)."""
    if not text.strip():
        return None
    embedder = embedding_service.get_embedder()
    try:
        return embedder.model, (await embedder.embed([text]))[0]
    except Exception as exc:
        log.warning(
            "embedding failed; trying the local model", error=str(exc), model=embedder.model
        )
    from resumate.ai.embeddings import get_local_embedder

    local = get_local_embedder()
    if local.model == embedder.model:
        return None
    return local.model, (await local.embed([text]))[0]


def _result_values(analysis: CVAnalysis, text: str) -> dict[str, Any]:
    # Cleaned again at the database edge: a provider (an LLM especially) may answer with NUL or
    # surrogates that PostgreSQL cannot store.
    values = {
        "status": "ready",
        "error": None,
        "analyzed_at": datetime.now(UTC),
        "parsed_content": analysis.parsed_content,
        "summary": analysis.summary,
        "quality_score": analysis.quality_score,
        "quality_breakdown": [c.model_dump() for c in analysis.quality_breakdown],
        "ats_compatibility_feedback": [f.model_dump() for f in analysis.ats_feedback],
        "extracted_skills": [s.name[:100] for s in analysis.skills],
        "skills_detail": [s.model_dump() for s in analysis.skills],
        "total_experience_years": round(analysis.total_experience_years, 1),
        "sections": [s[:40] for s in analysis.sections],
        "contact": analysis.contact.model_dump(),
        "language": analysis.language[:10],
        "provider": analysis.provider,
        "model": analysis.model,
        "warnings": analysis.warnings,
        "text_content": text,
    }
    return {k: clean_json(v) for k, v in values.items()}


@queue.task(
    name="analyze_cv",
    pass_context=False,
    retry=procrastinate.RetryStrategy(
        max_attempts=cv_service.MAX_ANALYSIS_ATTEMPTS,
        exponential_wait=5,
        retry_exceptions={RetryAnalysis},
    ),
)
async def analyze_cv(cv_id: str) -> None:
    """Analyse one CV. Every way out leaves it ready, failed with a message a person can act
    on, or pending with a retry scheduled; ``attempts`` counts starts, so a CV whose analysis
    kills the worker process is failed at the next start once it has used all its attempts."""
    database = get_database()
    identifier = uuid.UUID(cv_id)
    async with database.sessionmaker() as session, session.begin():
        cv = (
            await session.execute(select(CV).where(CV.id == identifier).with_for_update())
        ).scalar_one_or_none()
        if cv is None or cv.status in ("ready", "failed"):
            return  # deleted, or already done by an earlier run of this job
        if cv.attempts >= cv_service.MAX_ANALYSIS_ATTEMPTS:
            # Earlier starts never finished: the worker died (killed, out of memory) on it.
            cv.status, cv.error = "failed", crash_message(cv.attempts)
            log.error("CV analysis gave up: earlier attempts never finished", cv_id=cv_id)
            await session.flush()
            await cv_service.announce_analysis(session, identifier)
            JOBS.labels("analyze_cv", "failed").inc()
            return
        cv.status = "processing"
        cv.processing_started_at = datetime.now(UTC)
        cv.attempts += 1
        owner_id, key, kind, attempts = cv.user_id, cv.storage_key, cv.file_kind, cv.attempts
    last_attempt = attempts >= cv_service.MAX_ANALYSIS_ATTEMPTS

    try:
        data = await get_storage().read(key)
        analysis, text = await run_analysis(data, kind)
        embedded = await embed_text(text)
    except (DocumentError, ObjectNotFound) as exc:
        message = str(exc) if isinstance(exc, DocumentError) else "The uploaded file is missing"
        await _fail(identifier, message)
        return
    except (AnalysisTimeout, TimeoutError) as exc:
        # Not retried: a file that needed minutes will need them again.
        log.warning("CV analysis timed out", cv_id=cv_id, error=str(exc))
        await _fail(identifier, timeout_message(get_settings().analysis_timeout))
        return
    except Exception as exc:
        transient = isinstance(exc, TRANSIENT)
        log.error(
            "CV analysis failed",
            cv_id=cv_id,
            attempt=attempts,
            error=getattr(exc, "detail", None) or repr(exc),
            exc_info=not transient,
        )
        if last_attempt:
            await _fail(identifier, crash_message(attempts))
            return
        async with database.sessionmaker() as session, session.begin():
            await cv_service.mark(session, identifier, status="pending", only_if="processing")
        JOBS.labels("analyze_cv", "retried").inc()
        raise RetryAnalysis(f"attempt {attempts} failed: {exc!r}") from exc

    async with database.sessionmaker() as session, session.begin():
        if not await cv_service.mark(
            session, identifier, only_if="processing", **_result_values(analysis, text)
        ):
            return  # deleted, or given up by the sweep while we worked
        cache.touch_user(session, owner_id)  # matches and dashboards now include this CV
        if embedded is not None:
            model, vector = embedded
            await embedding_service.store(
                session,
                owner_id=owner_id,
                resource_type=cv_service.RESOURCE,
                resource_id=identifier,
                model=model,
                vector=vector,
                content_sha256=embedding_service.content_digest(text),
            )
        await cv_service.announce_analysis(session, identifier)
    JOBS.labels("analyze_cv", "ready").inc()
    log.info("CV analysed", cv_id=cv_id, provider=analysis.provider, score=analysis.quality_score)


async def _fail(cv_id: uuid.UUID, message: str) -> None:
    async with get_database().sessionmaker() as session, session.begin():
        if await cv_service.mark(
            session, cv_id, status="failed", error=message, only_if="processing"
        ):
            await cv_service.announce_analysis(session, cv_id)
    JOBS.labels("analyze_cv", "failed").inc()


@queue.periodic(cron="* * * * *", periodic_id="cv-analysis-sweep")
@queue.task(name="sweep_cv_analyses", queueing_lock="sweep_cv_analyses", pass_context=False)
async def sweep_cv_analyses(timestamp: int) -> None:
    """Every minute: jobs of dead workers go back to the queue, CVs left behind by them are
    queued again, and none stays pending or processing past the deadline."""
    await retry_stalled_jobs()
    await sweep_once()


async def sweep_once() -> dict[str, int]:
    settings = get_settings()
    async with get_database().sessionmaker() as session, session.begin():
        return await cv_service.sweep_analyses(
            session,
            deadline=timedelta(seconds=settings.analysis_deadline),
            stalled_after=timedelta(seconds=settings.analysis_timeout + 60),
            deadline_message=deadline_message(settings.analysis_deadline),
            crash_message=crash_message(cv_service.MAX_ANALYSIS_ATTEMPTS),
        )


def deadline_message(seconds: float) -> str:
    return (
        f"The analysis did not finish within {_minutes(seconds)} and was stopped. "
        "Use Reanalyze to try again; if it fails again, try another export of the file."
    )
