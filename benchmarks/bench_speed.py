"""Where users feel speed (issue 12), against a real `resumate serve` on loopback, in one run:

- PDF end to end: `POST /resumes/{id}/pdf` right after the resume's data changed (the PATCH is
  not timed), p50/p95, side by side with a warm Chromium page (Playwright, Debian's Chromium)
  loading the same resume's public HTML page (`/r/{slug}`) and printing it to PDF, the way
  browser-based builders make a PDF;
- request overhead: authenticated `GET /api/v1/resumes` (bearer token) p50/p95 with 50 resumes;
- rendering throughput: 1, 2 and 4 clients, each editing its own resume and asking for its PDF
  in a loop (PATCH untimed, POST timed): p50/p95 per PDF and PDFs per second;
- CV upload -> `ready` on an idle server (text PDF made by the renderer).

Usage: .venv/bin/python benchmarks/bench_speed.py [--pdfs 60] [--lists 400] [--cvs 10]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _serve import cpu_seconds, fmt_table, start_resumate
from resumate.rendering.pdf import load_builtin_template, render_pdf, sample_resume

PASSWORD = "benchmark passphrase 2026"  # noqa: S105 - a throwaway benchmark account
CHROMIUM = "/usr/bin/chromium"
BENCH_ENV = {
    "RESUMATE_RATE_LOGIN_IP": "1000000/60",
    "RESUMATE_RATE_LOGIN_ACCOUNT": "1000000/60",
    "RESUMATE_RATE_REGISTER_IP": "1000000/60",
    "RESUMATE_LOG_LEVEL": "WARNING",
}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def ms(value: float) -> str:
    return f"{value * 1000:.1f}"


async def ok(response: httpx.Response) -> httpx.Response:
    if response.status_code >= 400:
        raise RuntimeError(f"{response.request.url}: {response.status_code} {response.text[:300]}")
    return response


async def timed(client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> float:
    started = time.perf_counter()
    await ok(await client.request(method, url, **kwargs))
    return time.perf_counter() - started


def chromium_page_pdf(url: str, runs: int) -> list[float] | None:
    """Seconds for a kept-open Chromium page to load `url` and print it; None without Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(CHROMIUM).exists():
        return None
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        for i in range(runs + 2):
            started = time.perf_counter()
            page.goto(url, wait_until="load")
            page.pdf(format="A4", print_background=True)
            if i >= 2:
                times.append(time.perf_counter() - started)
        browser.close()
    return times


async def run(base: str, pdfs: int, lists: int, cvs: int, server_pid: int) -> None:
    server = psutil.Process(server_pid)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await ok(
            await client.post(
                "/api/v1/auth/register", json={"email": "speed@example.com", "password": PASSWORD}
            )
        )
        client.cookies.clear()
        token = (
            await client.post(
                "/api/v1/auth/token",
                data={"username": "speed@example.com", "password": PASSWORD},
            )
        ).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}

        # -- PDF after a change, and the same resume printed by Chromium
        document = copy.deepcopy(sample_resume())
        created = await ok(
            await client.post(
                "/api/v1/resumes", json={"title": "Speed", "data": document}, headers=headers
            )
        )
        resume_id = created.json()["data"]["id"]
        url = f"/api/v1/resumes/{resume_id}"
        cold = await timed(client, "POST", f"{url}/pdf", headers=headers)
        fresh = []
        server_cpu = render_cpu = 0.0
        for i in range(pdfs):
            document["basics"]["summary"] = f"Revision {i}. " + sample_resume()["basics"].get(
                "summary", ""
            )
            await ok(await client.patch(url, json={"data": document}, headers=headers))
            cpu0, render0 = cpu_seconds(server), cpu_seconds(server, children=True)
            fresh.append(await timed(client, "POST", f"{url}/pdf", headers=headers))
            server_cpu += cpu_seconds(server) - cpu0
            render_cpu += cpu_seconds(server, children=True) - render0
        share = await ok(await client.post(f"{url}/share", json={"enabled": True}, headers=headers))
        public = share.json()["data"]["public_url"]
        public_path = public[public.index("/r/") :]
        chromium = await asyncio.to_thread(
            chromium_page_pdf, base + public_path, max(10, pdfs // 3)
        )

        # -- throughput: concurrent clients, each on its own resume
        async def client_loop(rid: str, rounds: int, out: list[float]) -> None:
            doc = copy.deepcopy(sample_resume())
            for i in range(rounds):
                doc["work"][0]["highlights"][0] = f"Edit {rid[:6]} {i}"
                await ok(
                    await client.patch(
                        f"/api/v1/resumes/{rid}", json={"data": doc}, headers=headers
                    )
                )
                out.append(
                    await timed(client, "POST", f"/api/v1/resumes/{rid}/pdf", headers=headers)
                )

        throughput = []
        for clients in (1, 2, 4):
            ids = []
            for c in range(clients):
                made = await ok(
                    await client.post(
                        "/api/v1/resumes",
                        json={"title": f"T{clients}-{c}", "data": sample_resume()},
                        headers=headers,
                    )
                )
                ids.append(made.json()["data"]["id"])
            times: list[float] = []
            started = time.perf_counter()
            await asyncio.gather(*(client_loop(rid, max(5, pdfs // 2), times) for rid in ids))
            elapsed = time.perf_counter() - started
            throughput.append((clients, times, len(times) / elapsed))

        # -- list with 50 resumes
        for i in range(49 - 7):
            await ok(
                await client.post(
                    "/api/v1/resumes",
                    json={"title": f"Resume {i}", "data": sample_resume()},
                    headers=headers,
                )
            )
        listed = []
        for _ in range(lists):
            listed.append(await timed(client, "GET", "/api/v1/resumes", headers=headers))
        count = (await client.get("/api/v1/resumes", headers=headers)).json()["meta"]

        # -- CV upload -> ready
        pdf = render_pdf(sample_resume(), load_builtin_template("classic")).pdf
        ready = []
        for i in range(cvs):
            started = time.perf_counter()
            uploaded = await ok(
                await client.post(
                    "/api/v1/cvs",
                    files={"file": (f"cv{i}.pdf", pdf, "application/pdf")},
                    headers=headers,
                )
            )
            cv_id = uploaded.json()["data"]["id"]
            while True:
                status = (await client.get(f"/api/v1/cvs/{cv_id}", headers=headers)).json()["data"][
                    "status"
                ]
                if status in ("ready", "failed"):
                    break
                await asyncio.sleep(0.005)
            ready.append(time.perf_counter() - started)

    fresh_p50 = statistics.median(fresh)
    rows = [
        ["POST /resumes/{id}/pdf, first in the process", ms(cold), "-"],
        ["POST /resumes/{id}/pdf after a change", ms(fresh_p50), ms(pct(fresh, 95))],
    ]
    if chromium:
        rows.append(
            [
                "warm Chromium page: goto public page + page.pdf",
                ms(statistics.median(chromium)),
                ms(pct(chromium, 95)),
            ]
        )
    rows += [
        [
            f"GET /api/v1/resumes, bearer, {count['pagination']['total']} resumes (page of 20)",
            ms(statistics.median(listed)),
            ms(pct(listed, 95)),
        ],
        [
            "CV upload -> ready (text PDF, idle server)",
            ms(statistics.median(ready)),
            ms(pct(ready, 95)),
        ],
    ]
    print(fmt_table(["measure", "p50 ms", "p95 ms"], rows))
    print(
        f"\nCPU per POST /pdf after a change: server process {server_cpu / pdfs * 1000:.1f} ms, "
        f"render processes {render_cpu / pdfs * 1000:.1f} ms (psutil, read around each POST)"
    )
    if chromium:
        ratio = statistics.median(chromium) / fresh_p50
        print(f"\nChromium page / Resumate, p50: {ratio:.1f}x (goal >= 5x)")
    print("\nRendering throughput (each client edits its own resume; POST /pdf timed):")
    print(
        fmt_table(
            ["clients", "PDFs", "p50 ms", "p95 ms", "PDFs/s"],
            [
                [
                    str(n),
                    str(len(times)),
                    ms(statistics.median(times)),
                    ms(pct(times, 95)),
                    f"{rate:.1f}",
                ]
                for n, times, rate in throughput
            ],
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdfs", type=int, default=60)
    parser.add_argument("--lists", type=int, default=400)
    parser.add_argument("--cvs", type=int, default=10)
    args = parser.parse_args()
    print("load average at the start: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="resumate-bench-") as tmp:
        work = Path(tmp)
        server = start_resumate(work / "data", work, env=BENCH_ENV)
        try:
            server.wait_for("/health/ready")
            print(f"server idle {server.wait_idle():.1f} s after ready (its warm-up done)")
            asyncio.run(run(server.base, args.pdfs, args.lists, args.cvs, server.process.pid))
        except Exception:
            print(server.tail(), file=sys.stderr)
            raise
        finally:
            server.stop()
    print("load average at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
