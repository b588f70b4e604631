"""``GET /health`` throughput and p99 of ``resumate serve`` next to a bare FastAPI app.

Both are served by uvicorn, one process, with the same settings (``_bare_app.py`` repeats the
keyword arguments of ``resumate serve``), and loaded in the same run, in alternating rounds, with
``wrk`` (Debian package ``wrk``) or, when it is missing, a Python asyncio load generator.
Resumate runs as deployed by default: embedded PostgreSQL, in-process worker, JSON access log
(to a file), metrics, request ids, security headers. The figure is the ratio of requests/s.

    .venv/bin/python benchmarks/bench_health.py [--duration 5] [--connections 64] [--rounds 6]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _serve import (
    Server,
    fmt_table,
    start_bare,
    start_resumate,
    wait_postgres_stopped,
)


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    cpu_us: float = 0.0  # server CPU time (user + system) per request


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unparsable wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def run_wrk(url: str, connections: int, duration: float, threads: int) -> Load:
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(value) for value in match.groups())
    return Load(rps, p50, p99, total, errors)


async def _python_load(host: str, port: int, path: str, connections: int, duration: float) -> Load:
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + duration

    async def one_connection() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))  # type: ignore[union-attr]
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - started)
                if status != 200:
                    errors += 1
        finally:
            writer.close()

    started = time.perf_counter()
    results = await asyncio.gather(
        *(one_connection() for _ in range(connections)), return_exceptions=True
    )
    elapsed = time.perf_counter() - started
    errors += sum(1 for result in results if isinstance(result, BaseException))
    latencies.sort()

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return Load(len(latencies) / elapsed, pct(0.50), pct(0.99), len(latencies), errors)


def run_python(url: str, connections: int, duration: float) -> Load:
    match = re.fullmatch(r"http://([^:/]+):(\d+)(/.*)", url)
    assert match, url
    return asyncio.run(
        _python_load(match.group(1), int(match.group(2)), match.group(3), connections, duration)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=6, help="back-to-back pairs")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--python-load", action="store_true", help="do not use wrk")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for resumate serve (e.g. RESUMATE_LOG_LEVEL=WARNING)",
    )
    args = parser.parse_args()

    use_wrk = shutil.which("wrk") is not None and not args.python_load
    generator = (
        f"wrk -t{args.threads} -c{args.connections}"
        if use_wrk
        else f"python asyncio ({args.connections} keep-alive connections)"
    )

    def load(server: Server, duration: float) -> Load:
        url = server.base + "/health"
        process = psutil.Process(server.process.pid)
        before = process.cpu_times()
        if use_wrk:
            result = run_wrk(url, args.connections, duration, args.threads)
        else:
            result = run_python(url, args.connections, duration)
        after = process.cpu_times()
        used = (after.user - before.user) + (after.system - before.system)
        result.cpu_us = used / max(1, result.requests) * 1e6
        return result

    load_start = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    workdir = Path(tempfile.mkdtemp(prefix="resumate-bench-health-"))
    extra_env = dict(item.split("=", 1) for item in args.set)
    ours = start_resumate(workdir / "data", workdir, env=extra_env)
    bare = start_bare(workdir)
    results: dict[str, list[Load]] = {"resumate": [], "bare FastAPI": []}
    pair_ratios: list[float] = []
    try:
        ours.wait_for("/health/ready")
        ours.wait_idle()  # its warm-up done: measure an idle server
        bare.wait_for("/health")
        for server in (ours, bare):  # warm-up (first connections, caches)
            load(server, 3)
        for round_no in range(args.rounds):
            # Back-to-back pairs, alternating who goes first: the machine's load drifts
            # (other work shares its cores), so each pair is compared with itself.
            order = (ours, bare) if round_no % 2 == 0 else (bare, ours)
            pair = {server.name: load(server, args.duration) for server in order}
            for name, item in pair.items():
                results[name].append(item)
            pair_ratios.append(pair["resumate"].rps / pair["bare FastAPI"].rps)
    finally:
        ours.stop()
        bare.stop()
        wait_postgres_stopped(workdir / "data" / "pg")
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"GET /health, {generator}, {args.duration:g} s x {args.rounds} alternating pairs, "
        f"uvicorn 1 process each{'; resumate with ' + ' '.join(args.set) if args.set else ''}; "
        f"load average {load_start} at the start, "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + " at the end\n"
    )
    rows = []
    for index, ratio in enumerate(pair_ratios):
        for name in ("resumate", "bare FastAPI"):
            item = results[name][index]
            rows.append(
                [
                    str(index + 1),
                    name,
                    f"{item.rps:,.0f}",
                    f"{item.p50_ms:.2f}",
                    f"{item.p99_ms:.2f}",
                    f"{item.cpu_us:.0f}",
                    str(item.errors),
                    f"{ratio:.2f}" if name == "resumate" else "",
                ]
            )
    print(
        fmt_table(
            ["pair", "server", "req/s", "p50 ms", "p99 ms", "CPU us/req", "errors", "ratio"],
            rows,
        )
    )

    def med(name: str, attr: str) -> float:
        return statistics.median(getattr(item, attr) for item in results[name])

    print()
    print(
        fmt_table(
            ["server", "median req/s", "median p99 ms", "median CPU us/req"],
            [
                [
                    name,
                    f"{med(name, 'rps'):,.0f}",
                    f"{med(name, 'p99_ms'):.2f}",
                    f"{med(name, 'cpu_us'):.0f}",
                ]
                for name in ("resumate", "bare FastAPI")
            ],
        )
    )
    cpu_ratio = med("bare FastAPI", "cpu_us") / med("resumate", "cpu_us")
    print(
        f"\nratio resumate / bare, median of the pairs' req/s ratios: "
        f"{statistics.median(pair_ratios):.2f}  (goal >= 0.80)"
        f"\nratio by server CPU time per request (bare / resumate): {cpu_ratio:.2f}"
    )


if __name__ == "__main__":
    main()
