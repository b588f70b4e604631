"""CPU and wall time of `render_pdf` in process for a resume whose summary changed (what the
server renders after an edit), per built-in template: p50 CPU, p50 and p95 wall.

    .venv/bin/python benchmarks/render_changed_summary.py [--renders 60] [template ...]

For a before/after comparison, run it alternately with another checkout's code first on the
path, e.g. `git archive <commit> src/resumate | tar -x -C /tmp/before` and then
`PYTHONPATH=/tmp/before/src .venv/bin/python benchmarks/render_changed_summary.py`.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time

from resumate.rendering import load_builtin_template, render_pdf, sample_resume

TEMPLATES = ("classic", "modern", "compact", "academic")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=60)
    parser.add_argument("templates", nargs="*", default=list(TEMPLATES))
    args = parser.parse_args()
    summary = sample_resume()["basics"]["summary"]
    for slug in args.templates:
        template = load_builtin_template(slug)
        document = copy.deepcopy(sample_resume())
        for i in range(5):
            document["basics"]["summary"] = f"Warm-up {i}. {summary}"
            render_pdf(document, template)
        cpu, wall = [], []
        for i in range(args.renders):
            document["basics"]["summary"] = f"Revision {i}. {summary}"
            started_cpu, started = time.process_time(), time.perf_counter()
            render_pdf(document, template)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        wall.sort()
        p95 = wall[min(len(wall) - 1, round(0.95 * (len(wall) - 1)))]
        print(
            f"{slug:9s} changed summary: CPU p50 {statistics.median(cpu):.2f} ms, "
            f"wall p50 {statistics.median(wall):.2f} ms, p95 {p95:.2f} ms"
        )


if __name__ == "__main__":
    main()
