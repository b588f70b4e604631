"""The CPU part of a CV analysis (text extraction and the offline analyzer) in child processes.

A file can make a parser crash the process (PDFium and lxml are C code), eat memory, or make a
regular expression run for hours. In a thread none of that can be stopped: a timed-out thread
keeps its core busy forever and a crash takes the server down with it. Here the work runs in a
small pool of spawned processes, each limited in memory and killed with its parent; when an
analysis passes its time limit the pool's processes are killed and the pool replaced, and a
process that dies is reported (``AnalysisCrashed``) instead of shared.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from resumate.ai.documents import DocumentError, ExtractedText
from resumate.ai.schemas import CVAnalysis
from resumate.core.children import die_with_parent

__all__ = [
    "AnalysisCrashed",
    "AnalysisTimeout",
    "analyze_isolated",
    "close_analysis_pool",
    "warm_analysis_pool",
]

# A CV analysis that needs more than this much memory is not a CV.
MEMORY_LIMIT_BYTES = 2 * 1024**3
POOL_PROCESSES = 2


class AnalysisTimeout(Exception):
    """The analysis ran past its time limit and its process was killed."""


class AnalysisCrashed(Exception):
    """The analysis process died or failed unexpectedly (``.detail`` says how)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class _Pool:
    def __init__(self, memory_limit: int) -> None:
        self.memory_limit = memory_limit
        self.executor = ProcessPoolExecutor(
            max_workers=POOL_PROCESSES,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_child_init,
            initargs=(os.getpid(), memory_limit),
        )

    def kill(self) -> None:
        processes = list(getattr(self.executor, "_processes", {}).values())
        for process in processes:
            with contextlib.suppress(Exception):
                process.kill()
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(5)


_pool: _Pool | None = None
_pool_lock = threading.Lock()


def _get_pool(memory_limit: int) -> _Pool:
    global _pool
    with _pool_lock:
        if _pool is not None and _pool.memory_limit != memory_limit:
            _pool.kill()
            _pool = None
        if _pool is None:
            _pool = _Pool(memory_limit)
        return _pool


def _discard(pool: _Pool) -> None:
    global _pool
    with _pool_lock:
        if _pool is pool:
            _pool = None
    pool.kill()


def close_analysis_pool() -> None:
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.executor.shutdown(wait=True, cancel_futures=True)


def warm_analysis_pool(memory_limit: int = MEMORY_LIMIT_BYTES) -> list[Future[float]]:
    """Start the analysis processes now and load the analyzer in each (imports, the skill
    taxonomy, compiled patterns): without this the first CV after a start waits for all of it.
    Returns the warm-up futures (each gives the seconds its process took)."""
    pool = _get_pool(memory_limit)
    try:
        # Submitted together, each finds no idle process and so starts one of its own.
        return [pool.executor.submit(_warm) for _ in range(POOL_PROCESSES)]
    except (BrokenProcessPool, RuntimeError):
        _discard(pool)
        return []


def _warm() -> float:
    import time

    started = time.perf_counter()
    from resumate.ai import analyzer

    analyzer.analyze_text(ExtractedText.from_plain_text(_WARM_UP_TEXT))
    return time.perf_counter() - started


# A few lines that take the analyzer through contact, sections, dates, entries and skills.
_WARM_UP_TEXT = """Ada Example
ada@example.org | +44 20 7946 0000 | London, United Kingdom

Experience
Software Engineer, Example Ltd
Jan 2020 - Present
Built services in Python and PostgreSQL.

Education
BSc Computer Science, Example University, 2016 - 2019

Skills
Python, SQL, Docker
"""


async def analyze_isolated(
    data: bytes, kind: str, *, timeout: float, memory_limit: int = MEMORY_LIMIT_BYTES
) -> tuple[CVAnalysis, ExtractedText]:
    """(analysis, extracted text) computed in a child process, killed after ``timeout`` s and
    limited to ``memory_limit`` bytes of address space. Raises ``DocumentError`` (unreadable
    file), ``AnalysisTimeout`` or ``AnalysisCrashed``."""
    pool = _get_pool(memory_limit)
    loop = asyncio.get_running_loop()
    try:
        future = loop.run_in_executor(pool.executor, _analyze, data, kind)
    except (BrokenProcessPool, RuntimeError):
        _discard(pool)
        pool = _get_pool(memory_limit)
        future = loop.run_in_executor(pool.executor, _analyze, data, kind)
    try:
        result = await asyncio.wait_for(future, timeout)
    except TimeoutError:
        _discard(pool)
        raise AnalysisTimeout(f"no result after {timeout:g} s") from None
    except BrokenProcessPool:
        _discard(pool)
        raise AnalysisCrashed("the analysis process died") from None
    if result[0] == "ok":
        return result[1], result[2]
    if result[0] == "document":
        raise DocumentError(result[1])
    raise AnalysisCrashed(result[1])


def _analyze(data: bytes, kind: str) -> tuple[Any, ...]:
    from resumate.ai import analyzer
    from resumate.ai.documents import extract_text

    try:
        extracted = extract_text(data, kind)
        return ("ok", analyzer.analyze_text(extracted), extracted)
    except DocumentError as exc:
        return ("document", exc.message)
    except MemoryError:
        return ("error", "the analysis needed more memory than allowed")
    except Exception as exc:
        return ("error", f"{type(exc).__name__}: {str(exc)[:300]}")


def _limit_memory(limit: int) -> None:
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _child_init(parent: int, memory_limit: int) -> None:
    # The parent decides when to stop us; Ctrl-C in a terminal goes to the parent only.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    _limit_memory(memory_limit)
