"""Render in worker processes, for servers.

The Typst binding holds the GIL while it compiles, so a render in a thread still stalls the
event loop for its duration and two threads render no faster than one. Worker processes avoid
both. They are spawned, never forked: a fork after Typst has started its threads can deadlock
the child.

The pool is a set of lanes, one process each:
- **Affinity.** A render names a key (the resume's id); the same key goes to the same lane while
  that lane is not busier than another, because Typst memoises the layout of what did not
  change: the next render of an edited resume in the process that rendered it last reuses most
  of the work (about 5 ms instead of 12-20 ms for a new document).
- **Warm.** `start()` spawns every lane and builds its font set and compiler at once, so the
  first request does not pay for it.
- **Recycled.** A lane's process is replaced after `max_tasks` renders, or as soon as its
  resident memory passes `max_rss_mb`; a replacement is warmed before it takes work.
- **Bounded.** At most `max_pending` renders wait or run at once; one more raises `RenderBusy`
  at once (the API answers 503 with `Retry-After`) instead of queueing without end.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import zlib
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, TypeVar

from resumate.core.children import die_with_parent
from resumate.rendering.pdf import (
    RenderedPdf,
    TemplateSource,
    load_builtin_template,
    render_pdf,
    render_png,
    sample_resume,
)

__all__ = ["RenderBusy", "RenderPool", "default_workers"]

T = TypeVar("T")


class RenderBusy(Exception):
    """Every lane is busy and the pool's queue is full: try again shortly."""


def default_workers() -> int:
    """One render process per core, at least one and at most four."""
    return max(1, min(4, os.cpu_count() or 1))


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return 0.0


def _warm_up() -> tuple[int, float]:
    # Builds the font set and this process's compiler before the first real request.
    render_pdf(sample_resume(), load_builtin_template("classic"))
    return os.getpid(), _rss_mb()


def _pdf(data: dict[str, Any] | str, template: TemplateSource) -> tuple[RenderedPdf, float]:
    document = json.loads(data) if isinstance(data, str) else data
    return render_pdf(document, template), _rss_mb()


def _png(
    data: dict[str, Any] | str, template: TemplateSource, page: int, ppi: int
) -> tuple[bytes, float]:
    document = json.loads(data) if isinstance(data, str) else data
    return render_png(document, template, page=page, ppi=ppi), _rss_mb()


@dataclass(eq=False)
class _Lane:
    executor: ProcessPoolExecutor
    tasks: int = 0
    in_flight: int = 0
    warming: Future[Any] | None = field(default=None)


class RenderPool:
    """Worker processes with async `render_pdf` and `render_png`.

    Exceptions (`ResumeValidationError`, `TemplateError`, `PageOutOfRange`) reach the caller
    unchanged. Call `close()` on shutdown.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        warm: bool = True,
        max_tasks: int = 1000,
        max_rss_mb: float = 600.0,
        max_pending: int | None = None,
    ) -> None:
        self.workers = workers or default_workers()
        self._warm = warm
        self.max_tasks = max_tasks
        self.max_rss_mb = max_rss_mb
        self.max_pending = max_pending or self.workers * 16
        self.recycled = 0
        self._context = multiprocessing.get_context("spawn")
        self._lanes = [self._new_lane() for _ in range(self.workers)]
        self._closed = False

    # --- lanes ------------------------------------------------------------------------------

    def _new_lane(self) -> _Lane:
        lane = _Lane(
            ProcessPoolExecutor(
                max_workers=1,
                mp_context=self._context,
                initializer=die_with_parent,
                initargs=(os.getpid(),),
            )
        )
        if self._warm:
            lane.warming = lane.executor.submit(_warm_up)
        return lane

    def _recycle(self, index: int) -> None:
        old = self._lanes[index]
        self._lanes[index] = self._new_lane()
        self.recycled += 1
        # Renders already submitted to the old process finish there; then it exits.
        old.executor.shutdown(wait=False)

    def _pick(self, key: str | None) -> int:
        loads = [lane.in_flight for lane in self._lanes]
        least = min(range(len(loads)), key=loads.__getitem__)
        if key is None:
            return least
        preferred = zlib.crc32(key.encode()) % len(self._lanes)
        # Keep the memoised lane unless it has a queue while another lane has none.
        return preferred if loads[preferred] <= loads[least] + 1 else least

    @property
    def pending(self) -> int:
        return sum(lane.in_flight for lane in self._lanes)

    def pids(self) -> list[int | None]:
        """The process id of each lane (None before its process started)."""
        pids: list[int | None] = []
        for lane in self._lanes:
            processes = getattr(lane.executor, "_processes", None) or {}
            pids.append(next(iter(processes), None))
        return pids

    async def start(self) -> None:
        """Spawn and warm every lane; returns when all are ready."""
        warming = []
        for lane in self._lanes:
            if lane.warming is None:
                lane.warming = lane.executor.submit(_warm_up)
            warming.append(asyncio.wrap_future(lane.warming))
        await asyncio.gather(*warming)

    async def _run(self, key: str | None, fn: Any, *args: Any) -> Any:
        if self._closed:
            raise RuntimeError("the render pool is closed")
        if self.pending >= self.max_pending:
            raise RenderBusy(f"{self.pending} renders are waiting")
        index = self._pick(key)
        lane = self._lanes[index]
        lane.in_flight += 1
        lane.tasks += 1
        try:
            future = lane.executor.submit(fn, *args)
            result, rss = await asyncio.wrap_future(future)
        except BrokenProcessPool:
            # The process died (killed, out of memory): the next render gets a new one.
            if self._lanes[index] is lane:
                self._recycle(index)
            raise
        finally:
            lane.in_flight -= 1
        if self._lanes[index] is lane and (lane.tasks >= self.max_tasks or rss > self.max_rss_mb):
            self._recycle(index)
        return result

    # --- public -----------------------------------------------------------------------------

    async def render_pdf(
        self, data: dict[str, Any] | str, template: TemplateSource, *, key: str | None = None
    ) -> RenderedPdf:
        """``data``: the document, or its JSON text (decoded in the render process, so the
        caller neither decodes nor pickles it: a server can read it from the database as
        text)."""
        result: RenderedPdf = await self._run(key, _pdf, data, template)
        return result

    async def render_png(
        self,
        data: dict[str, Any] | str,
        template: TemplateSource,
        *,
        page: int = 1,
        ppi: int = 110,
        key: str | None = None,
    ) -> bytes:
        result: bytes = await self._run(key, _png, data, template, page, ppi)
        return result

    def close(self) -> None:
        self._closed = True
        for lane in self._lanes:
            lane.executor.shutdown(wait=True, cancel_futures=True)
