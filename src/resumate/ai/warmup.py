"""Load the slow parts of the AI pipeline at start-up, in the background.

The local embedding model takes seconds to load (the server embeds job ads as they are saved)
and so does a CV analysis process (spawned, then the analyzer's imports and skill taxonomy).
Without a warm-up the first job ad and the first CV after every start pay for both.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future

import structlog

from resumate.config import Settings

log = structlog.get_logger(__name__)

__all__ = ["start_warm_up"]


def start_warm_up(settings: Settings, *, analysis: bool) -> threading.Thread | None:
    """Warm up without delaying start-up or requests; a failure is logged and the work is then
    done on first use. ``analysis``: this process runs CV analysis jobs.

    Call it from a thread that lives as long as the process (the event loop's): the analysis
    processes are started here, in the caller's thread, because the kernel kills them when the
    thread that started them ends (``die_with_parent``). The model load and the wait for the
    processes' warm-up run in a daemon thread."""
    if not settings.warm_up:
        return None
    futures: list[Future[float]] = []
    if analysis:
        from resumate.ai.isolated import warm_analysis_pool

        try:
            futures = warm_analysis_pool(settings.analysis_memory_mb * 1024 * 1024)
        except Exception as exc:
            log.warning("warm-up failed; the first use will load instead", error=repr(exc)[:300])
    thread = threading.Thread(
        target=_warm_up, args=(settings, futures), name="resumate-warm-up", daemon=True
    )
    thread.start()
    return thread


def _warm_up(settings: Settings, futures: list[Future[float]]) -> None:
    started = time.perf_counter()
    try:
        if settings.ai_provider == "offline":
            from resumate.ai.embeddings import get_local_embedder

            get_local_embedder()
        for future in futures:
            future.result(timeout=max(settings.analysis_timeout, 60.0))
    except Exception as exc:
        log.warning("warm-up failed; the first use will load instead", error=repr(exc)[:300])
        return
    log.info(
        "warm-up done",
        seconds=round(time.perf_counter() - started, 2),
        analysis_processes=len(futures),
    )
