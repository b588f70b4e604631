"""Rendering in spawned worker processes."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import pickle
import signal
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool

import pytest

from resumate.jsonresume import ResumeValidationError
from resumate.rendering import PageOutOfRange, TemplateError, TemplateSource, load_builtin_template
from resumate.rendering.pool import RenderBusy, RenderPool
from tests.rendering.conftest import COMPLETE, pdf_text


@pytest.fixture(scope="module")
def pool() -> Iterator[RenderPool]:
    render_pool = RenderPool(workers=1, warm=False)
    yield render_pool
    render_pool.close()


async def test_pool_renders_pdf_and_png(pool: RenderPool) -> None:
    template = load_builtin_template("compact")
    result = await pool.render_pdf(COMPLETE, template)
    assert "Zoë Kowalczyk-Ibáñez" in pdf_text(result.pdf)
    png = await pool.render_png(COMPLETE, template, page=1, ppi=30)
    assert png.startswith(b"\x89PNG")


async def test_pool_renders_a_document_given_as_json_text(pool: RenderPool) -> None:
    # The server passes the document as PostgreSQL writes jsonb out (spaces after ':' and
    # ','); the render process decodes it: the same PDF as from the dict, the same errors.
    template = load_builtin_template("compact")
    text = json.dumps(COMPLETE, ensure_ascii=False)
    from_text = await pool.render_pdf(text, template)
    assert from_text.sha256 == (await pool.render_pdf(COMPLETE, template)).sha256
    png = await pool.render_png(text, template, page=1, ppi=30)
    assert png == await pool.render_png(COMPLETE, template, page=1, ppi=30)
    with pytest.raises(ResumeValidationError) as invalid:
        await pool.render_pdf('{"basics": {"name": 1}}', template)
    assert invalid.value.errors[0]["path"] == "$.basics.name"


async def test_pool_errors_keep_their_type_and_details(pool: RenderPool) -> None:
    with pytest.raises(ResumeValidationError) as invalid:
        await pool.render_pdf({"basics": {"name": 1}}, load_builtin_template("classic"))
    assert invalid.value.errors[0]["path"] == "$.basics.name"
    with pytest.raises(PageOutOfRange) as out_of_range:
        await pool.render_png(COMPLETE, load_builtin_template("compact"), page=9)
    assert out_of_range.value.pages == 1
    broken = TemplateSource(slug="broken", version="1", main=b"#let x = (")
    with pytest.raises(TemplateError) as failed:
        await pool.render_pdf({}, broken)
    assert "unclosed delimiter" in failed.value.details


def test_builtin_templates_pickle_as_their_slug() -> None:
    builtin = load_builtin_template("classic")
    pickled = pickle.dumps(builtin)
    assert len(pickled) < 200 and pickle.loads(pickled) is builtin  # noqa: S301 - our own bytes
    # A changed copy, or a template that is not a built-in, travels whole.
    changed = dataclasses.replace(builtin, main=builtin.main + b"\n// changed\n")
    copy = pickle.loads(pickle.dumps(changed))  # noqa: S301 - our own bytes
    assert copy == changed and copy.main.endswith(b"// changed\n") and copy.digest != builtin.digest
    uploaded = TemplateSource(slug="classic", version="1", main=b"= Hello")
    assert pickle.loads(pickle.dumps(uploaded)) == uploaded  # noqa: S301 - our own bytes


def test_errors_pickle() -> None:
    for error in (
        ResumeValidationError([{"path": "$", "message": "m"}]),
        TemplateError("short", details="long"),
        PageOutOfRange(3, 2),
    ):
        copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
        assert type(copy) is type(error) and str(copy) == str(error)
        assert vars(copy) == vars(error)


async def test_start_warms_every_lane_before_the_first_render() -> None:
    pool = RenderPool(workers=2, warm=False)
    try:
        assert pool.pids() == [None, None]
        await pool.start()
        pids = pool.pids()
        assert all(pids) and len(set(pids)) == 2
    finally:
        pool.close()


async def test_same_key_goes_to_the_same_process_and_others_spread() -> None:
    pool = RenderPool(workers=2, warm=False)
    try:
        template = load_builtin_template("compact")
        await pool.start()
        seen = set()
        for _ in range(3):
            await pool.render_pdf(COMPLETE, template, key="resume-a")
            seen.add(pool._pick("resume-a"))
        assert len(seen) == 1
        # Two renders at once with one key: the second goes to the idle lane, not the queue.
        picked = []
        original = pool._pick

        def spy(key: str | None) -> int:
            index = original(key)
            picked.append(index)
            return index

        pool._pick = spy  # type: ignore[method-assign]
        await asyncio.gather(
            pool.render_pdf(COMPLETE, template, key="resume-a"),
            pool.render_pdf(COMPLETE, template, key="resume-a"),
            pool.render_pdf(COMPLETE, template, key="resume-a"),
        )
        assert set(picked) == {0, 1}
    finally:
        pool.close()


async def test_process_is_replaced_after_max_tasks() -> None:
    pool = RenderPool(workers=1, warm=False, max_tasks=2)
    try:
        template = load_builtin_template("compact")
        await pool.start()
        first = pool.pids()[0]
        await pool.render_pdf(COMPLETE, template)
        await pool.render_pdf(COMPLETE, template)
        assert pool.recycled == 1
        result = await pool.render_pdf(COMPLETE, template)
        assert "Zoë Kowalczyk-Ibáñez" in pdf_text(result.pdf)
        assert pool.pids()[0] not in (None, first)
    finally:
        pool.close()


async def test_process_is_replaced_when_its_memory_grows() -> None:
    pool = RenderPool(workers=1, warm=False, max_rss_mb=1.0)
    try:
        template = load_builtin_template("compact")
        await pool.render_pdf(COMPLETE, template)
        assert pool.recycled == 1
        await pool.render_pdf(COMPLETE, template)
        assert pool.recycled == 2
    finally:
        pool.close()


async def test_a_full_queue_refuses_at_once() -> None:
    pool = RenderPool(workers=1, warm=False, max_pending=2)
    try:
        template = load_builtin_template("compact")
        results = await asyncio.gather(
            *(pool.render_pdf(COMPLETE, template) for _ in range(5)), return_exceptions=True
        )
        busy = [r for r in results if isinstance(r, RenderBusy)]
        done = [r for r in results if not isinstance(r, BaseException)]
        assert len(busy) == 3 and len(done) == 2
        assert pool.pending == 0
        await pool.render_pdf(COMPLETE, template)
    finally:
        pool.close()


async def test_a_killed_process_is_replaced() -> None:
    pool = RenderPool(workers=1, warm=False)
    try:
        template = load_builtin_template("compact")
        await pool.start()
        pid = pool.pids()[0]
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        with pytest.raises(BrokenProcessPool):
            await pool.render_pdf(COMPLETE, template)
        result = await pool.render_pdf(COMPLETE, template)
        assert result.pages == 1
        assert pool.pids()[0] != pid
    finally:
        pool.close()


_POOL_IN_A_PROCESS = """
import asyncio, os, sys
from resumate.rendering.pool import RenderPool

async def main():
    pool = RenderPool(2)
    await pool.start()
    print(" ".join(str(pid) for pid in pool.pids()), flush=True)
    await asyncio.sleep(600)

asyncio.run(main())
"""


def test_render_processes_die_with_a_killed_server() -> None:
    """A server killed with SIGKILL (no shutdown code runs) leaves no render process behind."""
    import subprocess
    import sys
    import time

    import psutil

    parent = subprocess.Popen(
        [sys.executable, "-c", _POOL_IN_A_PROCESS], stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        children = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(children) == 2 and all(psutil.pid_exists(pid) for pid in children)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 20
    alive = children
    while alive and time.monotonic() < deadline:
        alive = [
            pid
            for pid in alive
            if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
        ]
        time.sleep(0.1)
    assert not alive, f"render processes outlived their server: {alive}"
