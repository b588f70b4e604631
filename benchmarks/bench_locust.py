"""Load test: locust (headless) against a real ``resumate serve`` on loopback, with the
realistic mix of ``benchmarks/locustfile.py``.

    python benchmarks/bench_locust.py                  # 200 users, 60 s, worker in the server
    python benchmarks/bench_locust.py --split          # the same, worker as its own process
    python benchmarks/bench_locust.py --users 50 --seconds 30

Needs the ``bench`` extra (``pip install -e '.[bench]'``: locust). Prints p50/p95/p99 per endpoint,
throughput and the error count (any 5xx, connection error or timeout is an error), with the
machine load (``uptime``) before and after, as a Markdown table for RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--split", action="store_true", help="run the worker as its own process")
    args = parser.parse_args()
    locust = Path(sys.executable).parent / "locust"
    if not locust.exists():
        print("locust is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="resumate-locust-"))
    data_dir = workdir / "data"
    env = dict(LIMITS)
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
    if run.returncode not in (0, 1):
        print(run.stderr[-3000:], file=sys.stderr)
    shutil.rmtree(workdir, ignore_errors=True)
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
