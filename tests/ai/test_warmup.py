"""Start-up warm-up: the CV analysis processes and the embedding model load before first use."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog

from resumate.ai import isolated
from resumate.ai.warmup import start_warm_up
from resumate.config import Settings
from resumate.rendering.pdf import load_builtin_template, render_pdf, sample_resume

PDF = render_pdf(sample_resume(), load_builtin_template("classic")).pdf


@pytest.fixture
def fresh_pool() -> Iterator[None]:
    isolated.close_analysis_pool()
    yield
    isolated.close_analysis_pool()


def pool_pids() -> set[int]:
    pool = isolated._pool
    assert pool is not None
    return {p.pid for p in pool.executor._processes.values() if p.pid is not None}  # type: ignore[attr-defined]


def settings(tmp_path: Path, **overrides: object) -> Settings:
    return Settings(data_dir=tmp_path, **overrides)  # type: ignore[arg-type]


def test_warm_pool_starts_every_process_and_serves_the_first_cv(fresh_pool: None) -> None:
    futures = isolated.warm_analysis_pool()
    seconds = [f.result(timeout=120) for f in futures]
    assert len(seconds) == isolated.POOL_PROCESSES
    assert all(s > 0 for s in seconds)
    warm = pool_pids()
    assert len(warm) == isolated.POOL_PROCESSES

    analysis, extracted = asyncio.run(isolated.analyze_isolated(PDF, "pdf", timeout=120))
    assert analysis.contact.email and extracted.text
    # The analysis ran in a warmed process: none was started for it.
    assert pool_pids() == warm


def test_warm_up_thread_loads_the_embedder_and_the_pool(tmp_path: Path, fresh_pool: None) -> None:
    from resumate.ai.embeddings import _load_local_embedder

    _load_local_embedder.cache_clear()
    thread = start_warm_up(settings(tmp_path), analysis=True)
    assert thread is not None
    thread.join(180)
    assert not thread.is_alive()
    assert _load_local_embedder.cache_info().currsize == 1
    warm = pool_pids()
    assert len(warm) == isolated.POOL_PROCESSES
    # The processes outlive the warm-up thread (the kernel kills a child when the thread that
    # started it ends, so they must be started from the caller's thread) and serve the next CV.
    for _ in range(2):
        analysis, _text = asyncio.run(isolated.analyze_isolated(PDF, "pdf", timeout=120))
        assert analysis.contact.email
    assert pool_pids() == warm


def test_no_analysis_processes_where_jobs_do_not_run(tmp_path: Path, fresh_pool: None) -> None:
    thread = start_warm_up(settings(tmp_path), analysis=False)
    assert thread is not None
    thread.join(180)
    assert isolated._pool is None


def test_warm_up_off(tmp_path: Path, fresh_pool: None) -> None:
    assert start_warm_up(settings(tmp_path, warm_up=False), analysis=True) is None
    assert isolated._pool is None


def test_a_failed_warm_up_is_logged_not_raised(
    tmp_path: Path, fresh_pool: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise OSError("model file unreadable")

    monkeypatch.setattr("resumate.ai.embeddings.get_local_embedder", broken)
    with structlog.testing.capture_logs() as logs:
        thread = start_warm_up(settings(tmp_path), analysis=False)
        assert thread is not None
        thread.join(60)
    failed = [e for e in logs if e["event"].startswith("warm-up failed")]
    assert failed and "model file unreadable" in failed[0]["error"]
