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
from resumate.ai.schemas import CVAnalysis
from resumate.config import get_settings
from resumate.core.db import get_database
from resumate.core.metrics import JOBS
from resumate.core.queue import queue, register_maintenance
from resumate.core.storage import ObjectNotFound, get_storage
from resumate.core.text import clean_json
from resumate.modules.cvs import service as cv_service
from resumate.modules.cvs.models import CV
from resumate.modules.embeddings import service as embedding_service

log = structlog.get_logger(__name__)

# Errors worth another try (a restart, a network blip); anything else fails the CV at once.
TRANSIENT = (OSError, OperationalError, DBAPIError, asyncio.TimeoutError)


async def run_analysis(data: bytes, kind: str) -> tuple[CVAnalysis, str]:
    """(analysis, extracted text) with the configured provider; Ollama falls back offline."""
    from resumate.ai import analyzer
    from resumate.ai.documents import extract_text

    settings = get_settings()
    extracted = await asyncio.to_thread(extract_text, data, kind)
    analysis = await asyncio.to_thread(analyzer.analyze_text, extracted)
    if settings.ai_provider == "ollama" and extracted.text.strip():
        from resumate.ai.providers.llm_analysis import analyze_with_ollama
        from resumate.ai.providers.ollama import OllamaClient

        async with OllamaClient(settings.ollama_host, timeout=settings.ollama_timeout) as client:
            analysis = await analyze_with_ollama(
                extracted.text, analysis, client, settings.ollama_chat_model
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
        retry_exceptions=set(TRANSIENT),
    ),
)
async def analyze_cv(cv_id: str) -> None:
    settings = get_settings()
    database = get_database()
    identifier = uuid.UUID(cv_id)
    async with database.sessionmaker() as session, session.begin():
        cv = (
            await session.execute(select(CV).where(CV.id == identifier).with_for_update())
        ).scalar_one_or_none()
        if cv is None or cv.status in ("ready", "failed"):
            return  # deleted, or already done by an earlier run of this job
        cv.status = "processing"
        cv.processing_started_at = datetime.now(UTC)
        cv.attempts += 1
        owner_id, key, kind = cv.user_id, cv.storage_key, cv.file_kind
        last_attempt = cv.attempts >= cv_service.MAX_ANALYSIS_ATTEMPTS

    try:
        data = await get_storage().read(key)
        analysis, text = await asyncio.wait_for(run_analysis(data, kind), settings.analysis_timeout)
        embedded = await embed_text(text)
    except (DocumentError, ObjectNotFound) as exc:
        message = str(exc) if isinstance(exc, DocumentError) else "The uploaded file is missing"
        await _fail(identifier, message)
        JOBS.labels("analyze_cv", "failed").inc()
        return
    except TRANSIENT as exc:
        if last_attempt:
            reason = (
                "The analysis took too long and was stopped"
                if isinstance(exc, asyncio.TimeoutError)
                else "The analysis failed repeatedly; try again later"
            )
            await _fail(identifier, reason)
            JOBS.labels("analyze_cv", "failed").inc()
            return
        async with database.sessionmaker() as session, session.begin():
            await cv_service.mark(session, identifier, status="pending")
        JOBS.labels("analyze_cv", "retried").inc()
        raise
    except Exception:
        log.exception("CV analysis crashed", cv_id=cv_id)
        await _fail(identifier, "The analysis failed unexpectedly; the error was logged")
        JOBS.labels("analyze_cv", "failed").inc()
        return

    async with database.sessionmaker() as session, session.begin():
        if (await session.get(CV, identifier)) is None:
            return  # deleted while we worked
        await cv_service.mark(session, identifier, **_result_values(analysis, text))
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
    JOBS.labels("analyze_cv", "ready").inc()
    log.info("CV analysed", cv_id=cv_id, provider=analysis.provider, score=analysis.quality_score)


async def _fail(cv_id: uuid.UUID, message: str) -> None:
    async with get_database().sessionmaker() as session, session.begin():
        await cv_service.mark(session, cv_id, status="failed", error=message)


@register_maintenance
async def requeue_stalled_cvs() -> None:
    timeout = get_settings().analysis_timeout
    async with get_database().sessionmaker() as session, session.begin():
        await cv_service.requeue_stalled(session, older_than=timedelta(seconds=timeout * 3))
