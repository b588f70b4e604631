"""Time from launching ``resumate serve`` to ``/health/ready`` = 200, on a new data dir
(initdb, first PostgreSQL start, migrations, generated secret) and on an existing one (the
same data dir, server stopped in between), with the embedded default and the data dir in a
temp folder. Each run is a fresh process; the table gives median, min and max.

    .venv/bin/python benchmarks/bench_startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _serve import fmt_table, start_resumate, wait_postgres_stopped


def one_start(data_dir: Path, workdir: Path) -> tuple[float, float]:
    """(seconds to ready, seconds to stop) of one ``resumate serve``."""
    launched = time.perf_counter()
    server = start_resumate(data_dir, workdir)
    try:
        server.wait_for("/health/ready", timeout=180)
        ready = time.perf_counter() - launched
    finally:
        stopping = time.perf_counter()
        server.stop()
        wait_postgres_stopped(data_dir / "pg")
        stopped = time.perf_counter() - stopping
    if server.process.returncode != 0:
        raise RuntimeError(f"serve exited with {server.process.returncode}:\n{server.tail()}")
    return ready, stopped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="starts per scenario")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="resumate-bench-startup-"))
    new: list[tuple[float, float]] = []
    existing: list[tuple[float, float]] = []
    try:
        for run in range(args.runs):
            new.append(one_start(workdir / f"new-{run}", workdir))
        kept = workdir / "new-0"  # already initialised and migrated by the first run
        for _ in range(args.runs):
            existing.append(one_start(kept, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    def row(name: str, values: list[tuple[float, float]]) -> list[str]:
        ready = [value[0] for value in values]
        stop = [value[1] for value in values]
        return [
            name,
            str(len(values)),
            f"{statistics.median(ready):.2f}",
            f"{min(ready):.2f}",
            f"{max(ready):.2f}",
            f"{statistics.median(stop):.2f}",
        ]

    print("resumate serve -> GET /health/ready 200 (embedded PostgreSQL, data dir in a temp dir)\n")
    print(
        fmt_table(
            ["data dir", "runs", "median s", "min s", "max s", "stop (SIGTERM) median s"],
            [row("new", new), row("existing", existing)],
        )
    )


if __name__ == "__main__":
    main()
