"""Render in worker processes, for servers.

The Typst binding holds the GIL while it compiles, so a render in a thread still stalls the
event loop for its duration (about 5-15 ms for a typical resume, more for long ones) and two
threads render no faster than one. Worker processes avoid both. They are spawned, never forked:
a fork after Typst has started its threads can deadlock the child.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from resumate.rendering.pdf import (
    RenderedPdf,
    TemplateSource,
    load_builtin_template,
    render_pdf,
    render_png,
    sample_resume,
)

__all__ = ["RenderPool"]


def _warm_up() -> None:
    # Build the font set and this worker's compiler before the first real request.
    render_pdf(sample_resume(), load_builtin_template("classic"))


class RenderPool:
    """A pool of rendering processes with async `render_pdf` and `render_png`.

    Exceptions (`ResumeValidationError`, `TemplateError`, `PageOutOfRange`) reach the caller
    unchanged. Call `close()` on shutdown.
    """

    def __init__(self, workers: int = 2, *, warm: bool = True) -> None:
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_warm_up if warm else None,
        )

    async def render_pdf(self, data: dict[str, Any], template: TemplateSource) -> RenderedPdf:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, render_pdf, data, template)

    async def render_png(
        self, data: dict[str, Any], template: TemplateSource, *, page: int = 1, ppi: int = 110
    ) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, _png, data, template, page, ppi)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def _png(data: dict[str, Any], template: TemplateSource, page: int, ppi: int) -> bytes:
    return render_png(data, template, page=page, ppi=ppi)
