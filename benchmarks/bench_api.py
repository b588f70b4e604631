"""End-to-end API figures against a real `resumate serve` (uvicorn, one process, embedded
PostgreSQL) on loopback:

- issue 3: login latency p50/p95 and logins/s on 2 cores; GET /health p99 idle and while 50
  logins run concurrently (goal: within 2x of idle);
- issue 4: POST /resumes/{id}/pdf end to end, fresh render (data changed each time) and reuse
  (unchanged data), p50/p95 (goal: fresh p50 < 60 ms).

Usage: .venv/bin/python benchmarks/bench_api.py [--logins 200] [--pdfs 60]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _serve import fmt_table, start_resumate
from resumate.rendering.pdf import sample_resume

PASSWORD = "benchmark passphrase 2026"  # noqa: S105 - a throwaway benchmark account
# Rate limits out of the way: this measures the work, not the limiter.
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


async def timed(client: httpx.AsyncClient, method: str, url: str, **kwargs: object) -> float:
    started = time.perf_counter()
    response = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    if response.status_code >= 400:
        raise RuntimeError(f"{method} {url}: {response.status_code} {response.text[:200]}")
    return elapsed


async def health_latencies(
    client: httpx.AsyncClient, count: int, concurrency: int = 4
) -> list[float]:
    out: list[float] = []

    async def worker(n: int) -> None:
        for _ in range(n):
            out.append(await timed(client, "GET", "/health"))

    await asyncio.gather(*(worker(count // concurrency) for _ in range(concurrency)))
    return out


async def run(base: str, logins: int, pdfs: int) -> None:
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        emails = [f"bench{i}@example.com" for i in range(50)]
        for email in emails:
            response = await client.post(
                "/api/v1/auth/register", json={"email": email, "password": PASSWORD}
            )
            if response.status_code not in (201, 409):
                raise RuntimeError(response.text)
        client.cookies.clear()

        # -- login latency, one at a time
        sequential = []
        for i in range(min(logins, 100)):
            sequential.append(
                await timed(
                    client,
                    "POST",
                    "/api/v1/auth/login",
                    json={"email": emails[i % 50], "password": PASSWORD},
                )
            )
            client.cookies.clear()

        # -- logins/s with 50 concurrent clients, and /health while they run
        idle = await health_latencies(client, 800)
        done = 0
        stop = asyncio.Event()

        async def login_loop(email: str) -> None:
            nonlocal done
            async with httpx.AsyncClient(base_url=base, timeout=60) as own:
                while not stop.is_set():
                    await timed(
                        own,
                        "POST",
                        "/api/v1/auth/login",
                        json={"email": email, "password": PASSWORD},
                    )
                    own.cookies.clear()
                    done += 1

        started = time.perf_counter()
        tasks = [asyncio.create_task(login_loop(email)) for email in emails]
        await asyncio.sleep(1.0)
        busy = await health_latencies(client, 400)
        while done < logins:
            await asyncio.sleep(0.1)
        stop.set()
        await asyncio.gather(*tasks)
        rate = done / (time.perf_counter() - started)

        print("\n## Auth (issue 3)\n")
        print(
            fmt_table(
                ["measure", "value"],
                [
                    ["login p50 (sequential)", f"{ms(statistics.median(sequential))} ms"],
                    ["login p95 (sequential)", f"{ms(pct(sequential, 95))} ms"],
                    ["logins/s (50 concurrent clients)", f"{rate:.1f}"],
                    ["GET /health p99 idle", f"{ms(pct(idle, 99))} ms"],
                    ["GET /health p99 during 50 concurrent logins", f"{ms(pct(busy, 99))} ms"],
                    ["ratio busy/idle p99", f"{pct(busy, 99) / pct(idle, 99):.2f}x (goal <= 2x)"],
                ],
            )
        )

        # -- PDF end to end
        token = (
            await client.post(
                "/api/v1/auth/token", data={"username": emails[0], "password": PASSWORD}
            )
        ).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        document = copy.deepcopy(sample_resume())
        created = await client.post(
            "/api/v1/resumes", json={"title": "Bench", "data": document}, headers=headers
        )
        resume_id = created.json()["data"]["id"]
        url = f"/api/v1/resumes/{resume_id}"
        cold = await timed(client, "POST", f"{url}/pdf", headers=headers)
        fresh, reuse = [], []
        for i in range(pdfs):
            document["basics"]["summary"] = f"Revision {i}: " + sample_resume()["basics"].get(
                "summary", ""
            )
            await client.patch(url, json={"data": document}, headers=headers)
            fresh.append(await timed(client, "POST", f"{url}/pdf", headers=headers))
            reuse.append(await timed(client, "POST", f"{url}/pdf", headers=headers))
        print("\n## PDF end to end (issue 4)\n")
        print(
            fmt_table(
                ["POST /resumes/{id}/pdf", "p50 ms", "p95 ms"],
                [
                    ["first render in the process (cold)", ms(cold), "-"],
                    [
                        "fresh render (data changed)",
                        ms(statistics.median(fresh)),
                        ms(pct(fresh, 95)),
                    ],
                    ["reuse (unchanged data)", ms(statistics.median(reuse)), ms(pct(reuse, 95))],
                ],
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--logins", type=int, default=300)
    parser.add_argument("--pdfs", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="resumate-bench-") as tmp:
        work = Path(tmp)
        server = start_resumate(work / "data", work, env=BENCH_ENV)
        try:
            server.wait_for("/health/ready")
            server.wait_idle()  # its warm-up done: measure an idle server
            asyncio.run(run(server.base, args.logins, args.pdfs))
        except Exception:
            print(server.tail(), file=sys.stderr)
            raise
        finally:
            server.stop()


if __name__ == "__main__":
    main()
