"""Load test: locust (headless) against a real ``resumate serve`` on loopback, with the
realistic mix of ``benchmarks/locustfile.py``.

    python benchmarks/bench_locust.py                  # 200 users, 60 s, worker in the server
    python benchmarks/bench_locust.py --split          # the same, worker as its own process
    python benchmarks/bench_locust.py --users 50 --seconds 30

Needs the ``bench`` extra (``pip install -e '.[bench]'``: locust). Prints p50/p95/p99 per endpoint,
throughput and the error count (any 5xx, connection error or timeout is an error), with the
machine load (``uptime``) before and after, as a Markdown table for RESULTS.md; then what the
server's connection pool saw (its ``/metrics``: checkout waits, timeouts, how long each route
held a connection) and samples of ``pg_stat_activity`` taken every second during the run.

The server's (and the split worker's) log, locust's CSV files, the pool figures and the
``pg_stat_activity`` samples are kept in the run's directory (printed at the end; ``--out``
chooses it); only the database is removed.
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from _serve import BENCH_DIR, RESUMATE, clean_env, start_resumate

LIMITS = {
    "RESUMATE_RATE_REGISTER_IP": "1000000/3600",
    "RESUMATE_RATE_LOGIN_IP": "1000000/300",
    "RESUMATE_RATE_LOGIN_ACCOUNT": "1000000/900",
    "RESUMATE_RATE_REFRESH_IP": "1000000/60",
}


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _metrics(base: str) -> str:
    with urllib.request.urlopen(base + "/metrics", timeout=30) as response:  # noqa: S310
        return str(response.read().decode())


_SAMPLE = re.compile(r"^(?P<name>[a-z_]+)(?:\{(?P<labels>.*)\})? (?P<value>[-+0-9.eE]+|NaN)$")


def pool_summary(text: str) -> list[str]:
    """The server's connection-pool figures, from its Prometheus exposition."""
    values: dict[tuple[str, str], float] = {}
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if match:
            values[(match["name"], match["labels"] or "")] = float(match["value"])
    waits = values.get(("resumate_db_pool_wait_seconds_count", ""), 0.0)
    total_wait = values.get(("resumate_db_pool_wait_seconds_sum", ""), 0.0)
    lines = [
        f"checkouts: {waits:.0f}, mean wait {1000 * total_wait / max(waits, 1):.1f} ms, "
        f"timeouts (503): {values.get(('resumate_db_pool_timeouts_total', ''), 0.0):.0f}"
    ]
    for bound in ("0.1", "1.0", "5.0", "10.0"):
        within = values.get(("resumate_db_pool_wait_seconds_bucket", f'le="{bound}"'), 0.0)
        lines.append(f"  waits over {bound} s: {waits - within:.0f}")
    holds = []
    for (name, labels), count in values.items():
        if name == "resumate_db_connection_hold_seconds_count" and count:
            holder = labels.removeprefix('holder="').removesuffix('"')
            seconds = values.get(("resumate_db_connection_hold_seconds_sum", labels), 0.0)
            over_1 = count - values.get(
                ("resumate_db_connection_hold_seconds_bucket", f'{labels},le="1.0"'), count
            )
            holds.append((seconds, holder, count, over_1))
    lines.append("| holder | checkouts | mean hold ms | held > 1 s | total s held |")
    lines.append("| --- | ---: | ---: | ---: | ---: |")
    for seconds, holder, count, over_1 in sorted(holds, reverse=True):
        lines.append(
            f"| {holder} | {count:.0f} | {1000 * seconds / count:.0f} | {over_1:.0f} | "
            f"{seconds:.1f} |"
        )
    return lines


class ActivitySampler(threading.Thread):
    """Samples ``pg_stat_activity`` every second: how many client connections are active
    (PostgreSQL working), idle in a transaction (held by Resumate between queries) or idle."""

    QUERY = """
        SELECT count(*) FILTER (WHERE state = 'active'),
               count(*) FILTER (WHERE state = 'idle in transaction'),
               count(*) FILTER (WHERE state = 'idle'),
               coalesce(extract(epoch FROM max(now() - xact_start)
                        FILTER (WHERE state <> 'idle')), 0),
               count(*) FILTER (WHERE wait_event_type = 'Lock')
        FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
    """

    def __init__(self, pgdata: Path, out: Path) -> None:
        super().__init__(daemon=True)
        self.pgdata, self.out = pgdata, out
        self.stop = threading.Event()
        self.rows: list[tuple[float, ...]] = []

    def run(self) -> None:
        import psycopg

        lines = (self.pgdata / "postmaster.pid").read_text().splitlines()
        conninfo = f"host={lines[4]} port={lines[3]} user=postgres dbname=postgres"
        started = time.monotonic()
        with psycopg.connect(conninfo, autocommit=True) as conn:
            while not self.stop.wait(1.0):
                row = conn.execute(self.QUERY).fetchone()
                if row is not None:
                    self.rows.append((round(time.monotonic() - started, 1), *map(float, row)))
        with self.out.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                ["t", "active", "idle_in_transaction", "idle", "oldest_xact_s", "lock_waits"]
            )
            writer.writerows(self.rows)

    def summary(self) -> str:
        if not self.rows:
            return "no samples"
        peak = [max(row[i] for row in self.rows) for i in range(1, 6)]
        mean = [sum(row[i] for row in self.rows) / len(self.rows) for i in range(1, 3)]
        return (
            f"{len(self.rows)} samples: active mean {mean[0]:.1f} / peak {peak[0]:.0f}; idle in "
            f"transaction mean {mean[1]:.1f} / peak {peak[1]:.0f}; connections peak "
            f"{max(r[1] + r[2] + r[3] for r in self.rows):.0f}; oldest transaction "
            f"{peak[3]:.1f} s; lock waits peak {peak[4]:.0f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--split", action="store_true", help="run the worker as its own process")
    parser.add_argument("--out", type=Path, help="keep logs and figures here (default: a temp dir)")
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="extra server setting"
    )
    args = parser.parse_args()
    locust = Path(sys.executable).parent / "locust"
    if not locust.exists():
        print("locust is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2

    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
    workdir = args.out or Path(tempfile.mkdtemp(prefix="resumate-locust-"))
    data_dir = workdir / "data"
    env = dict(LIMITS)
    env.update(item.split("=", 1) for item in args.env)
    if args.split:
        env["RESUMATE_RUN_WORKER_IN_PROCESS"] = "false"
    server = start_resumate(data_dir, workdir, env=env)
    worker = None
    try:
        server.wait_for("/health/ready", timeout=300)
        if args.split:
            log = (workdir / "worker.log").open("wb")
            worker = subprocess.Popen(
                [str(RESUMATE), "worker", "--concurrency", "2"],
                cwd=workdir,
                env=clean_env(RESUMATE_DATA_DIR=str(data_dir), **env),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        sampler = ActivitySampler(data_dir / "pg", workdir / "pg_stat_activity.csv")
        sampler.start()
        before = uptime()
        prefix = workdir / "locust"
        run = subprocess.run(
            [
                str(locust),
                "-f",
                str(BENCH_DIR / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.seconds}s",
                "--host",
                server.base,
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "30",
            ],
            capture_output=True,
            text=True,
        )
        after = uptime()
        sampler.stop.set()
        sampler.join(30)
        pool = pool_summary(_metrics(server.base))
        (workdir / "pool.md").write_text("\n".join(pool) + "\n")
        rows = list(csv.DictReader((workdir / "locust_stats.csv").open()))
        failures = list(csv.DictReader((workdir / "locust_failures.csv").open()))
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(60)
        server.stop(60)
    mode = "worker split out" if args.split else "worker in the server"
    print(
        f"## {args.users} users, {args.seconds} s, {mode}\n\nload before: `{before}`\n"
        f"load after: `{after}`\n"
    )
    print("| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | req/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        name = "**all**" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        name = name.replace("POST POST ", "POST ").replace("GET GET ", "GET ")
        name = name.replace("PATCH PATCH ", "PATCH ")
        print(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | "
            f"{row['50%']} | {row['95%']} | {row['99%']} | {float(row['Requests/s']):.1f} |"
        )
    if failures:
        print("\nErrors:")
        for failure in failures:
            print(
                f"- {failure['Method']} {failure['Name']}: {failure['Error']} x{failure['Occurrences']}"
            )
    print("\nConnection pool (server):\n")
    print("\n".join(pool))
    print(f"\npg_stat_activity: {sampler.summary()}")
    (workdir / "locust.stderr").write_text(run.stderr)
    if run.returncode not in (0, 1):
        print(run.stderr[-3000:], file=sys.stderr)
    shutil.rmtree(data_dir, ignore_errors=True)
    print(f"\nlogs and figures kept in {workdir} (server log {server.log.name})")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
