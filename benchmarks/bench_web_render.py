"""Template time of the resume editor page alone (no database, no HTTP): ``editor.html``
rendered for the sample resume (27 entries, ~130 fields), as ``page()`` does for a request.

    .venv/bin/python benchmarks/bench_web_render.py [--renders 300]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import types
import uuid
from datetime import date, timedelta

from starlette.requests import Request

from resumate.rendering.pdf import sample_resume
from resumate.web import editor
from resumate.web.core import page


def _request() -> Request:
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/app/resumes/x",
        "headers": [(b"cookie", b"csrf_token=bench")],
        "query_string": b"",
        "state": {},
    }
    return Request(scope)


def run(renders: int) -> None:
    rng = random.Random(1)
    ids = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(8)]
    document = sample_resume()
    resume = types.SimpleNamespace(
        id=ids[0],
        title="Sample",
        template_id=ids[1],
        version=3,
        share_enabled=False,
        share_slug=None,
        data=document,
    )
    templates = [types.SimpleNamespace(id=ids[2 + i], name=f"T{i}") for i in range(6)]
    today = date.today()
    days = [{"date": today - timedelta(days=d), "views": 0, "downloads": 0} for d in range(30)]
    context = {
        "title": "Sample",
        "resume": resume,
        "doc": document,
        "etag": 'W/"3"',
        "editor": editor,
        "sections": editor.SECTIONS,
        "templates": templates,
        "stats": {"views": 0, "downloads": 0, "by_day": days},
        "public_url": None,
        "oob": False,
        "preview_page": 1,
        "focus": None,
    }
    size = len(page(_request(), "editor.html", **context).body)
    times = []
    for _ in range(renders):
        started = time.perf_counter()
        page(_request(), "editor.html", **context)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(
        f"editor.html: {size} bytes, median {statistics.median(times):.2f} ms, "
        f"p95 {times[round(0.95 * (len(times) - 1))]:.2f} ms over {renders} renders"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--renders", type=int, default=300)
    run(parser.parse_args().renders)
