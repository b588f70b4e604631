"""Notifications, analytics and dashboard figures (issue 15), against real `resumate serve`
processes sharing one embedded PostgreSQL:

- summary:   GET /analytics/summary for a year by day, with 1,000,000 events in the log
             (rolled up by the periodic job's code first); p50/p95.
- dashboard: GET /dashboard warm (cache hit) and cold for a user with 100 resumes, 100 analysed
             CVs and 1,000 jobs; in-process cache and Redis.
- sse:       delivery latency from the commit of a notification to its arrival on open streams
             on two server processes; p50/p95/max.
- streams:   N open streams on one server process beside a normal API load: errors, API
             latency, delivery to every stream, server memory per open stream.

Usage: .venv/bin/python benchmarks/bench_notify.py summary|dashboard|sse|streams [options]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _serve import Server, fmt_table, start_resumate
from resumate.core.db import libpq_url
from resumate.core.migrations import upgrade
from resumate.core.pgserver import start_embedded, stop_embedded

PASSWORD = "benchmark passphrase 2026"  # noqa: S105 - a throwaway benchmark account
BENCH_ENV = {
    "RESUMATE_RATE_LOGIN_IP": "1000000/60",
    "RESUMATE_RATE_LOGIN_ACCOUNT": "1000000/60",
    "RESUMATE_RATE_REGISTER_IP": "1000000/60",
    "RESUMATE_LOG_LEVEL": "WARNING",
    "RESUMATE_SECRET_KEY": "bench-secret-" + "z" * 48,
}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def ms(value: float) -> str:
    return f"{value * 1000:.1f}"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


@asynccontextmanager
async def cluster(
    servers: int = 1, worker: bool = False, env: dict[str, str] | None = None
) -> AsyncIterator[tuple[list[Server], str]]:
    """``servers`` resumate processes on one embedded PostgreSQL (the first runs the worker)."""
    with tempfile.TemporaryDirectory(prefix="bench-notify-") as tmp:
        data_dir = Path(tmp) / "data"
        pg = await asyncio.to_thread(start_embedded, data_dir)
        url = pg.url()
        await asyncio.to_thread(upgrade, url)
        started: list[Server] = []
        try:
            for index in range(servers):
                server_env = {
                    **BENCH_ENV,
                    "DATABASE_URL": url,
                    "RESUMATE_RUN_WORKER_IN_PROCESS": "true" if worker and index == 0 else "false",
                    **(env or {}),
                }
                started.append(start_resumate(data_dir, Path(tmp), env=server_env))
            for server in started:
                server.wait_for("/health/ready")
                server.wait_idle()  # its warm-up done: measure an idle server
            yield started, libpq_url(url)
        finally:
            for server in started:
                server.stop()
            stop_embedded(data_dir)


async def new_user(client: httpx.AsyncClient, base: str) -> tuple[str, dict[str, str]]:
    email = f"bench-{uuid.uuid4().hex[:10]}@example.com"
    response = await client.post(
        f"{base}/api/v1/auth/register", json={"email": email, "password": PASSWORD}
    )
    response.raise_for_status()
    client.cookies.clear()
    token = await client.post(
        f"{base}/api/v1/auth/token", data={"username": email, "password": PASSWORD}
    )
    token.raise_for_status()
    user_id = response.json()["data"]["user"]["id"]
    return user_id, {"Authorization": f"Bearer {token.json()['access_token']}"}


async def timed_gets(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], count: int
) -> list[float]:
    out = []
    for _ in range(count):
        started = time.perf_counter()
        response = await client.get(url, headers=headers)
        out.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code} {response.text[:300]}")
    return out


# ---- summary ------------------------------------------------------------------------------


async def bench_summary(args: argparse.Namespace) -> None:
    async with cluster() as (servers, dsn), httpx.AsyncClient(timeout=60) as client:
        base = servers[0].base
        user_id, headers = await new_user(client, base)
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
            started = time.perf_counter()
            await conn.execute(
                "INSERT INTO users (id, email, password_hash, role, is_active, email_verified) "
                "SELECT gen_random_uuid(), 'seed' || n || '@example.com', 'x', 'user', true, true "
                "FROM generate_series(1, %s) n",
                (args.users,),
            )
            # The bench user gets `--mine` events; the rest are spread over the other users,
            # all over the last 365 days, 11 kinds of event.
            await conn.execute(
                """
                INSERT INTO analytics_events (owner_id, resource_type, resource_id, event, meta,
                                              created_at)
                SELECT CASE WHEN n <= %(mine)s THEN %(me)s::uuid ELSE u.ids[1 + n %% %(users)s]
                       END, 'resume',
                       gen_random_uuid(),
                       (ARRAY['login','resume_created','pdf_rendered','cv_uploaded',
                              'cv_analysed','job_created','matches_viewed','share_viewed',
                              'share_downloaded','signup','cv_analysis_failed'])[1 + n %% 11],
                       '{}'::jsonb,
                       now() - (random() * interval '365 days')
                FROM generate_series(1, %(total)s) n,
                     (SELECT array_agg(id) AS ids FROM users WHERE email LIKE 'seed%%') u
                """,
                {"mine": args.mine, "me": user_id, "total": args.events, "users": args.users},
            )
            seeded = time.perf_counter() - started
            await conn.execute(
                "UPDATE analytics_rollup_state SET rolled_until = current_date - 400"
            )
            await conn.execute("ANALYZE analytics_events")
            count = (
                await (await conn.execute("SELECT count(*) FROM analytics_events")).fetchone()
            )[0]  # type: ignore[index]
        # The periodic job's code, in this process, on the same database.
        from resumate.core import db as db_module
        from resumate.modules.analytics import service as analytics_service

        database = db_module.Database(dsn)
        db_module.set_database(database)
        started = time.perf_counter()
        async with database.sessionmaker() as session, session.begin():
            await analytics_service.roll_up(session)
        rolled = time.perf_counter() - started
        await database.dispose()
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
            await conn.execute("ANALYZE analytics_daily")
            rows = (await (await conn.execute("SELECT count(*) FROM analytics_daily")).fetchone())[
                0
            ]  # type: ignore[index]

        today = time.strftime("%Y-%m-%d", time.gmtime())
        year_ago = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 364 * 86400))
        results = []
        for interval in ("day", "week", "month"):
            url = f"{base}/api/v1/analytics/summary?from={year_ago}&to={today}&interval={interval}"
            await timed_gets(client, url, headers, 20)  # warm-up
            values = await timed_gets(client, url, headers, args.requests)
            results.append(
                [interval, str(len(values)), ms(statistics.median(values)), ms(pct(values, 95))]
            )
        print(
            f"{count:,} events ({args.mine:,} of them the measured user's) over 365 days, "
            f"{args.users:,} users; seeded in {seeded:.1f} s; roll-up of 400 days in "
            f"{rolled:.1f} s -> {rows:,} daily rows"
        )
        print(fmt_table(["interval", "requests", "p50 ms", "p95 ms"], results))
        print(load())


# ---- dashboard ----------------------------------------------------------------------------


async def bench_dashboard(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.cvs.files import make_pdf  # real PDFs compiled with Typst

    env = {"REDIS_URL": args.redis} if args.redis else {}
    async with (
        cluster(worker=True, env=env) as (servers, _),
        httpx.AsyncClient(timeout=120) as client,
    ):
        base = servers[0].base
        _, headers = await new_user(client, base)
        started = time.perf_counter()
        sem = asyncio.Semaphore(4)

        async def post(path: str, **kwargs: Any) -> None:
            async with sem:
                response = await client.post(f"{base}/api/v1{path}", headers=headers, **kwargs)
                if response.status_code >= 400:
                    raise RuntimeError(f"{path}: {response.status_code} {response.text[:200]}")

        await asyncio.gather(
            *(
                post("/resumes", json={"title": f"Resume {n}", "data": {"basics": {"name": "A"}}})
                for n in range(args.resumes)
            )
        )
        pdf = make_pdf()
        await asyncio.gather(
            *(
                post("/cvs", files={"file": (f"cv{n}.pdf", pdf, "application/pdf")})
                for n in range(args.cvs)
            )
        )
        await asyncio.gather(
            *(
                post(
                    "/jobs",
                    json={
                        "title": f"ICU nurse {n}",
                        "description": "Registered nurse for intensive care: patient care, "
                        f"ACLS, triage, electronic health records. Ref {n}.",
                        "location_type": ("remote", "hybrid", "on-site")[n % 3],
                    },
                )
                for n in range(args.jobs)
            )
        )
        while True:  # the in-process worker analyses the CVs
            listing = await client.get(
                f"{base}/api/v1/cvs?status=ready&per_page=1", headers=headers
            )
            if listing.json()["meta"]["pagination"]["total"] >= args.cvs:
                break
            await asyncio.sleep(1)
        seeded = time.perf_counter() - started
        url = f"{base}/api/v1/dashboard"
        cold = []
        for n in range(args.cold):
            await post("/notifications/read-all")  # a write: the next dashboard is a miss
            await post("/resumes", json={"title": f"Cold {n}", "data": {"basics": {"name": "B"}}})
            started = time.perf_counter()
            response = await client.get(url, headers=headers)
            cold.append(time.perf_counter() - started)
            assert response.headers["X-Cache"] == "miss", response.headers
        await timed_gets(client, url, headers, 20)
        warm = await timed_gets(client, url, headers, args.requests)
        check = await client.get(url, headers=headers)
        assert check.headers["X-Cache"] == "hit"
        data = check.json()["data"]
        print(
            f"user with {data['resumes']['total']} resumes, {data['cvs']['total']} CVs, "
            f"{data['jobs']['total']} jobs ({len(data['top_matches'])} top matches); "
            f"cache: {'Redis' if args.redis else 'in-process'}; seeded in {seeded:.0f} s"
        )
        print(
            fmt_table(
                ["dashboard", "requests", "p50 ms", "p95 ms"],
                [
                    ["warm (hit)", str(len(warm)), ms(statistics.median(warm)), ms(pct(warm, 95))],
                    ["cold (miss)", str(len(cold)), ms(statistics.median(cold)), ms(pct(cold, 95))],
                ],
            )
        )
        print(load())


# ---- SSE ----------------------------------------------------------------------------------


class RawStream:
    """A minimal SSE client on a plain socket (light enough to hold thousands)."""

    def __init__(self) -> None:
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.received: list[tuple[float, dict[str, Any]]] = []
        self.ended = False
        self.error: str | None = None

    async def open(self, port: int, token: str, track: bool) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", port)
        self.writer.write(
            (
                "GET /api/v1/notifications/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
            ).encode()
        )
        await self.writer.drain()
        status = await self.reader.readline()
        if b" 200 " not in status:
            raise RuntimeError(f"stream refused: {status!r}")
        while (await self.reader.readline()) not in (b"\r\n", b""):
            pass
        self.track = track

    async def read(self) -> None:
        assert self.reader is not None
        data_line = b""
        try:
            while True:
                line = await self.reader.readline()
                if not line:
                    self.ended = True
                    return
                if line.startswith(b"data: {") and b'"seq"' in line:
                    data_line = line
                elif line.strip() == b"" and data_line:
                    now = time.perf_counter()
                    payload = json.loads(data_line[6:]) if self.track else {}
                    self.received.append((now, payload))
                    data_line = b""
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            self.error = repr(exc)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def insert_notification(conn: psycopg.AsyncConnection[Any], user_id: str, n: int) -> float:
    """Insert and commit one notification as a worker would; returns the time of COMMIT."""
    async with conn.transaction() as _:
        await conn.execute(
            "INSERT INTO notifications (id, user_id, kind, title, body, data) "
            "VALUES (gen_random_uuid(), %s, 'cv_analysis_ready', 'Bench', %s, '{}')",
            (user_id, f"notification {n}"),
        )
        committing = time.perf_counter()
    return committing


async def token_of(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


async def bench_sse(args: argparse.Namespace) -> None:
    async with cluster(servers=2) as (servers, dsn), httpx.AsyncClient(timeout=60) as client:
        user_id, headers = await new_user(client, servers[0].base)
        token = await token_of(headers)
        streams = []
        for server in servers:
            stream = RawStream()
            await stream.open(server.port, token, track=True)
            streams.append(stream)
        readers = [asyncio.create_task(s.read()) for s in streams]
        latencies: dict[int, list[float]] = {0: [], 1: []}
        async with await psycopg.AsyncConnection.connect(dsn) as conn:
            for n in range(args.count):
                before = [len(s.received) for s in streams]
                committed = await insert_notification(conn, user_id, n)
                deadline = time.perf_counter() + 5
                while any(len(s.received) == b for s, b in zip(streams, before, strict=True)):
                    if time.perf_counter() > deadline:
                        raise RuntimeError(f"notification {n} not delivered")
                    await asyncio.sleep(0.0005)
                for index, stream in enumerate(streams):
                    latencies[index].append(stream.received[-1][0] - committed)
                await asyncio.sleep(args.gap)
        for task in readers:
            task.cancel()
        for stream in streams:
            stream.close()
        rows = []
        for index, values in latencies.items():
            rows.append(
                [
                    f"server {index + 1}",
                    str(len(values)),
                    ms(statistics.median(values)),
                    ms(pct(values, 95)),
                    ms(max(values)),
                ]
            )
        every = latencies[0] + latencies[1]
        rows.append(
            [
                "both",
                str(len(every)),
                ms(statistics.median(every)),
                ms(pct(every, 95)),
                ms(max(every)),
            ]
        )
        print("worker COMMIT sent -> event parsed by an SSE client, 2 server processes")
        print(fmt_table(["stream on", "events", "p50 ms", "p95 ms", "max ms"], rows))
        print(load())


# ---- many streams -------------------------------------------------------------------------


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def bench_streams(args: argparse.Namespace) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    env = {"RESUMATE_NOTIFICATION_HEARTBEAT_SECONDS": "15"}
    async with cluster(env=env) as (servers, dsn), httpx.AsyncClient(timeout=60) as client:
        server = servers[0]
        users = []
        for _ in range(args.users):
            user_id, headers = await new_user(client, server.base)
            users.append((user_id, headers, await token_of(headers)))
        await timed_gets(client, f"{server.base}/api/v1/users/me", users[0][1], 50)  # warm-up
        baseline = rss_kb(server.process.pid)
        streams: list[RawStream] = []
        errors = 0
        sem = asyncio.Semaphore(50)
        started = time.perf_counter()

        async def open_one(n: int) -> None:
            nonlocal errors
            stream = RawStream()
            async with sem:
                try:
                    await stream.open(server.port, users[n % len(users)][2], track=False)
                    streams.append(stream)
                except Exception:
                    errors += 1

        await asyncio.gather(*(open_one(n) for n in range(args.streams)))
        opened = time.perf_counter() - started
        readers = [asyncio.create_task(s.read()) for s in streams]
        await asyncio.sleep(2)
        held = rss_kb(server.process.pid)

        # Normal API load beside the open streams.
        api: list[float] = []
        api_errors = 0

        async def api_load(seconds: float) -> None:
            nonlocal api_errors
            end = time.perf_counter() + seconds
            n = 0
            while time.perf_counter() < end:
                headers = users[n % len(users)][1]
                path = ("/users/me", "/notifications", "/dashboard")[n % 3]
                t0 = time.perf_counter()
                response = await client.get(f"{server.base}/api/v1{path}", headers=headers)
                api.append(time.perf_counter() - t0)
                if response.status_code != 200:
                    api_errors += 1
                n += 1

        load_task = asyncio.gather(*(api_load(args.seconds) for _ in range(4)))
        # Meanwhile one notification to every user: each of their streams must get it.
        await asyncio.sleep(1)
        async with await psycopg.AsyncConnection.connect(dsn) as conn:
            t0 = time.perf_counter()
            for index, (user_id, _, _) in enumerate(users):
                await insert_notification(conn, user_id, index)
        deadline = time.perf_counter() + 60
        while sum(len(s.received) for s in streams) < len(streams):
            if time.perf_counter() > deadline:
                break
            await asyncio.sleep(0.05)
        fanout = time.perf_counter() - t0
        delivered = sum(1 for s in streams if s.received)
        await load_task
        dropped = sum(1 for s in streams if s.ended or s.error)
        for task in readers:
            task.cancel()
        for stream in streams:
            stream.close()
        per_stream = (held - baseline) / max(1, len(streams))
        print(
            f"{len(streams):,} open streams ({args.users} users) on one server process, opened in "
            f"{opened:.1f} s; {errors} refused, {dropped} dropped"
        )
        print(
            f"server RSS {baseline / 1024:.0f} MB -> {held / 1024:.0f} MB: "
            f"{per_stream:.1f} KB per open stream"
        )
        print(
            f"one notification per user: {delivered:,}/{len(streams):,} streams got theirs "
            f"within {fanout:.2f} s"
        )
        print(
            f"API beside them ({len(api)} requests, /users/me, /notifications, /dashboard): "
            f"{api_errors} errors, p50 {ms(statistics.median(api))} ms, p95 {ms(pct(api, 95))} ms"
        )
        print(load())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    summary = sub.add_parser("summary")
    summary.add_argument("--events", type=int, default=1_000_000)
    summary.add_argument("--mine", type=int, default=100_000)
    summary.add_argument("--users", type=int, default=1_000)
    summary.add_argument("--requests", type=int, default=200)
    dashboard = sub.add_parser("dashboard")
    dashboard.add_argument("--resumes", type=int, default=100)
    dashboard.add_argument("--cvs", type=int, default=100)
    dashboard.add_argument("--jobs", type=int, default=1_000)
    dashboard.add_argument("--requests", type=int, default=300)
    dashboard.add_argument("--cold", type=int, default=20)
    dashboard.add_argument("--redis", default=None, help="e.g. redis://127.0.0.1:6379/13")
    sse = sub.add_parser("sse")
    sse.add_argument("--count", type=int, default=300)
    sse.add_argument("--gap", type=float, default=0.02)
    streams = sub.add_parser("streams")
    streams.add_argument("--streams", type=int, default=10_000)
    streams.add_argument("--users", type=int, default=100)
    streams.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    handler = {
        "summary": bench_summary,
        "dashboard": bench_dashboard,
        "sse": bench_sse,
        "streams": bench_streams,
    }[args.command]
    asyncio.run(handler(args))


if __name__ == "__main__":
    main()
