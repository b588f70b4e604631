"""Resume rendering benchmark (issue 4): Typst templates against headless Chromium.

    .venv/bin/python benchmarks/bench_render.py [--iterations 200] [--chromium-runs 12]

Prints one table. Rows:
- cold: the first `render_pdf` in a fresh Python process (font set, compiler, template parse),
  median of three processes per template; imports are not counted.
- warm, same doc: p50/p95 of `render_pdf` re-rendering the sample resume, one thread, after
  warm-up. Typst memoises its work, so this mostly measures its cache.
- warm, new doc: the same, but every render gets a document Typst has not seen (the sample with
  another name and highlight). This is what a server does: an unchanged document is served from
  the stored PDF, so every real render is of new data.
- new docs/s on 2 cores: two spawned worker processes rendering new documents (and two
  threads, to show that the Typst binding holds the GIL).
- chromium process: `chromium --headless --print-to-pdf` once per PDF on the same resume as
  HTML (`render_resume_html`), the way Puppeteer-based builders work.
- chromium page: a kept-open Playwright page, `set_content` + `page.pdf` per PDF.
Chromium is Debian's (`apt-get install -y chromium`); a missing Chromium or Playwright is
reported and its rows skipped.
"""

from __future__ import annotations

import argparse
import copy
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from resumate.rendering import load_builtin_template, render_pdf, render_png, sample_resume
from resumate.rendering.html import render_resume_html

TEMPLATES = ("classic", "modern", "compact", "academic")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
GOALS = {"warm_p50_ms": 15.0, "vs_page": 5.0, "vs_process": 50.0}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


_SEQUENCE = [0]


def variant(i: int | None = None) -> dict[str, Any]:
    """The sample resume with a different name and first highlight: a new document.

    A server stores each PDF and re-renders only changed documents, so every real render sees
    data Typst has not memoised; rendering the same data again measures its cache instead.
    """
    if i is None:
        _SEQUENCE[0] += 1
        i = _SEQUENCE[0]
    data = copy.deepcopy(sample_resume())
    data["basics"]["name"] = f"Amélie Laurent-Østergaard {os.getpid()}-{i}"
    data["work"][0]["highlights"][0] += f" (revision {i})"
    return data


COLD_SNIPPET = """
import json, sys, time
from resumate.rendering import load_builtin_template, render_pdf, sample_resume
data = sample_resume()
template = load_builtin_template(sys.argv[1])
start = time.perf_counter()
render_pdf(data, template)
first = (time.perf_counter() - start) * 1000
start = time.perf_counter()
render_pdf(data, template)
second = (time.perf_counter() - start) * 1000
print(json.dumps({"first": first, "second": second}))
"""


def cold_ms(slug: str, processes: int = 3) -> float:
    firsts = []
    for _ in range(processes):
        out = subprocess.run(
            [sys.executable, "-c", COLD_SNIPPET, slug], check=True, capture_output=True, text=True
        ).stdout
        firsts.append(json.loads(out)["first"])
    return statistics.median(firsts)


_worker_template: Any = None


def _init_worker(slug: str) -> None:
    global _worker_template
    _worker_template = load_builtin_template(slug)
    render_pdf(sample_resume(), _worker_template)


def _render_one(i: int) -> int:
    return render_pdf(variant(i), _worker_template).size_bytes


def processes_per_second(slug: str, count: int, workers: int = 2) -> float:
    # Spawned, not forked: a fork after Typst has started its threads can deadlock the child.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(slug,)
    ) as pool:
        list(pool.map(_render_one, range(workers * 4)))
        start = time.perf_counter()
        list(pool.map(_render_one, range(count), chunksize=4))
        return count / (time.perf_counter() - start)


def threads_per_second(slug: str, count: int, workers: int = 2) -> float:
    template = load_builtin_template(slug)
    per_thread = count // workers

    def work(offset: int) -> None:
        for i in range(per_thread):
            render_pdf(variant(offset + i), template)

    threads = [threading.Thread(target=work, args=(k * per_thread,)) for k in range(workers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return per_thread * workers / (time.perf_counter() - start)


def _print_with_chromium(html_path: Path, out: Path) -> None:
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            *CHROMIUM_ARGS,
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            html_path.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    if not out.read_bytes().startswith(b"%PDF"):
        raise RuntimeError("chromium did not write a PDF")


def chromium_process_ms(html_path: Path, runs: int) -> tuple[list[float], float] | None:
    """Latencies of one Chromium process per PDF, and PDFs/s with two running at once."""
    if not Path(CHROMIUM).exists():
        print(f"! {CHROMIUM} not found (apt-get install -y chromium): Chromium rows skipped")
        return None
    out = html_path.with_suffix(".pdf")
    _print_with_chromium(html_path, out)  # the first launch fills the OS page cache
    times = timed(lambda: _print_with_chromium(html_path, out), runs)
    outs = [html_path.with_name(f"out-{i}.pdf") for i in range(runs)]
    start = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda o: _print_with_chromium(html_path, o), outs))
    return times, runs / (time.perf_counter() - start)


def chromium_page_ms(htmls: list[str], runs: int) -> list[float] | None:
    if not Path(CHROMIUM).exists():
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("! playwright is not installed (pip install -e '.[dev]'): page row skipped")
        return None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()

            counter = iter(range(10**9))

            def once() -> None:
                page.set_content(htmls[next(counter) % len(htmls)])
                pdf = page.pdf(format="A4", print_background=True)
                if not pdf.startswith(b"%PDF"):
                    raise RuntimeError("playwright did not return a PDF")

            for _ in range(3):
                once()
            return timed(once, runs)
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=200, help="warm renders per template")
    parser.add_argument("--chromium-runs", type=int, default=12, help="PDFs per Chromium mode")
    parser.add_argument("--throughput", type=int, default=400, help="PDFs per 2-core run")
    args = parser.parse_args()

    data = sample_resume()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load}")
    rows: list[tuple[str, ...]] = []
    same_p50: dict[str, float] = {}
    new_p50: dict[str, float] = {}
    for slug in TEMPLATES:
        template = load_builtin_template(slug)
        cold = cold_ms(slug)
        for _ in range(10):
            render_pdf(variant(), template)
        same = timed(lambda t=template: render_pdf(data, t), args.iterations)
        docs = [variant() for _ in range(args.iterations)]
        fresh, fresh_cpu = [], []
        for document in docs:
            start, start_cpu = time.perf_counter(), time.thread_time()
            render_pdf(document, template)
            fresh.append((time.perf_counter() - start) * 1000)
            fresh_cpu.append((time.thread_time() - start_cpu) * 1000)
        same_p50[slug] = statistics.median(same)
        new_p50[slug] = statistics.median(fresh)
        pages = render_pdf(data, template).pages
        png = timed(lambda t=template: render_png(variant(), t, page=1, ppi=110), 20)
        procs = processes_per_second(slug, args.throughput)
        thr = threads_per_second(slug, args.throughput // 2)
        rows.append(
            (
                f"typst {slug} ({pages} p.)",
                f"{cold:.0f}",
                f"{same_p50[slug]:.1f} / {percentile(same, 95):.1f}",
                f"{new_p50[slug]:.1f} / {percentile(fresh, 95):.1f}",
                f"{statistics.median(fresh_cpu):.1f}",
                f"{procs:.0f} (threads {thr:.0f})",
                f"PNG of page 1: {statistics.median(png):.0f} ms",
            )
        )

    htmls = [render_resume_html(variant(), title="Résumé", pdf_url=None) for _ in range(200)]
    with tempfile.TemporaryDirectory() as tmp:
        html_path = Path(tmp) / "resume.html"
        html_path.write_text(htmls[0], encoding="utf-8")
        process = chromium_process_ms(html_path, args.chromium_runs)
        page = chromium_page_ms(htmls, args.chromium_runs * 3)
    if process is not None:
        process_times, process_rate = process
        p50, p95 = statistics.median(process_times), percentile(process_times, 95)
        rows.append(
            (
                "chromium process per PDF",
                "-",
                f"{p50:.0f} / {p95:.0f}",
                f"{p50:.0f} / {p95:.0f}",
                "-",
                f"{process_rate:.1f} (2 at once)",
                "same resume as HTML",
            )
        )
    if page is not None:
        p50, p95 = statistics.median(page), percentile(page, 95)
        rows.append(
            (
                "chromium kept-open page",
                "-",
                f"{p50:.0f} / {p95:.0f}",
                f"{p50:.0f} / {p95:.0f}",
                "-",
                f"{1000 / p50:.1f} (one page)",
                "same resume as HTML, new each time",
            )
        )

    header = (
        "renderer",
        "cold first ms",
        "warm, same doc p50/p95 ms",
        "warm, new doc p50/p95 ms",
        "new doc CPU p50 ms",
        "new docs/s on 2 cores",
        "notes",
    )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    print(line)
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))

    for label, figures in (("same document", same_p50), ("new document", new_p50)):
        slowest = max(figures.values())
        print(f"\nwarm, {label} each render: slowest template p50 {slowest:.1f} ms", end="")
        print(f" (goal < {GOALS['warm_p50_ms']:.0f} ms)")
        if page is not None:
            ratio = statistics.median(page) / slowest
            print(
                f"  vs a warm Chromium page: {ratio:.1f}x faster (goal >= {GOALS['vs_page']:.0f}x)"
            )
        if process is not None:
            ratio = statistics.median(process[0]) / slowest
            print(
                f"  vs a Chromium process: {ratio:.0f}x faster (goal >= {GOALS['vs_process']:.0f}x)"
            )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {rss:.0f} MB")
    print("load average at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
