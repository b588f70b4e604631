"""Before/after of `POST /resumes/{id}/pdf` after a change, interleaved in one run (issue 12).

Two real `resumate serve` processes, each on its own embedded PostgreSQL: "before" runs the
`src` directory given with --before (e.g. `git archive main src migrations` unpacked), "after"
this checkout's (or --after's).
Rounds alternate which server goes first; in each round each server gets --per PATCH + POST
pairs (PATCH untimed). Reported per server: wall p50/p95 of the POSTs, and CPU per POST of the
server process and of its render processes (psutil, read around the POSTs only), plus the
PostgreSQL backends' CPU per POST (the whole cluster, read around the POSTs).

Usage: .venv/bin/python benchmarks/bench_pdf_ab.py --before /path/to/main/src [--rounds 6 --per 20]
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _serve import Server, start_resumate
from bench_speed import BENCH_ENV, PASSWORD, pct
from resumate.rendering.pdf import sample_resume


def _cpu(proc: psutil.Process) -> float:
    """CPU seconds of ``proc``'s live threads, from the scheduler's nanosecond counters
    (``/proc/<pid>/task/<tid>/schedstat``; psutil's figures move in 10 ms ticks)."""
    total = 0
    try:
        tids = os.listdir(f"/proc/{proc.pid}/task")
    except FileNotFoundError:
        return 0.0
    for tid in tids:
        try:
            with open(f"/proc/{proc.pid}/task/{tid}/schedstat") as handle:
                total += int(handle.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / 1e9


def _children_cpu(proc: psutil.Process, name_has: str | None = None) -> float:
    total = 0.0
    for child in proc.children(recursive=True):
        try:
            if name_has is not None and name_has not in child.name():
                continue
            total += _cpu(child)
        except psutil.NoSuchProcess:
            pass
    return total


def _postgres_cpu(data_dir: Path) -> float:
    """CPU of every process of the embedded cluster whose data dir is ``data_dir``."""
    pid_file = next(data_dir.rglob("postmaster.pid"))
    postmaster = psutil.Process(int(pid_file.read_text().splitlines()[0]))
    return _cpu(postmaster) + _children_cpu(postmaster)


class Side:
    def __init__(self, name: str, server: Server, data_dir: Path) -> None:
        self.name, self.server, self.data_dir = name, server, data_dir
        self.proc = psutil.Process(server.process.pid)
        self.client = httpx.Client(base_url=server.base, timeout=60)
        self.walls: list[float] = []
        self.cpu_server = self.cpu_render = self.cpu_pg = 0.0
        self.posts = 0
        self.rounds: list[float] = []  # wall p50 of each round

    def prepare(self) -> None:
        email = f"ab-{self.name}@example.com"
        self.client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
        self.client.cookies.clear()
        token = self.client.post(
            "/api/v1/auth/token", data={"username": email, "password": PASSWORD}
        ).json()["access_token"]
        self.headers = {"Authorization": f"Bearer {token}"}
        self.document = copy.deepcopy(sample_resume())
        made = self.client.post(
            "/api/v1/resumes", json={"title": "AB", "data": self.document}, headers=self.headers
        )
        assert made.status_code == 201, made.text
        self.url = f"/api/v1/resumes/{made.json()['data']['id']}"
        self.revision = 0
        for _ in range(5):  # warm-up, not counted
            self.one(record=False)

    def one(self, *, record: bool = True) -> None:
        self.revision += 1
        self.document["basics"]["summary"] = f"Revision {self.name} {self.revision}."
        patched = self.client.patch(self.url, json={"data": self.document}, headers=self.headers)
        assert patched.status_code == 200, patched.text
        cpu0, render0, pg0 = (
            _cpu(self.proc),
            _children_cpu(self.proc),
            _postgres_cpu(self.data_dir),
        )
        started = time.perf_counter()
        made = self.client.post(f"{self.url}/pdf", headers=self.headers)
        wall = time.perf_counter() - started
        assert made.status_code == 201, made.text
        assert made.json()["data"]["reused"] is False, made.text
        if record:
            self.walls.append(wall)
            self.cpu_server += _cpu(self.proc) - cpu0
            self.cpu_render += _children_cpu(self.proc) - render0
            self.cpu_pg += _postgres_cpu(self.data_dir) - pg0
            self.posts += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True, help="the src directory of the 'before' code")
    parser.add_argument("--after", help="the src directory of the 'after' code (default: this one)")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--per", type=int, default=20)
    args = parser.parse_args()
    print("load average at the start: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="resumate-ab-") as tmp:
        work = Path(tmp)
        sides: list[Side] = []
        try:
            for name, src in (("before", args.before), ("after", args.after)):
                env = dict(BENCH_ENV)
                if src:
                    env["PYTHONPATH"] = str(Path(src).resolve())
                data_dir = work / name
                server = start_resumate(data_dir, work, env=env)
                sides.append(Side(name, server, data_dir))
            for side in sides:
                side.server.wait_for("/health/ready")
                side.server.wait_idle()  # its warm-up done: measure an idle server
                side.prepare()
            for round_ in range(args.rounds):
                order = sides if round_ % 2 == 0 else sides[::-1]
                for side in order:
                    start = len(side.walls)
                    for _ in range(args.per):
                        side.one()
                    side.rounds.append(statistics.median(side.walls[start:]))
        except Exception:
            for side in sides:
                print(side.server.tail(), file=sys.stderr)
            raise
        finally:
            for side in sides:
                side.client.close()
                side.server.stop()
    print("load average at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(
        "| side | POSTs | wall p50 / p95 ms | server CPU ms/POST | render CPU ms/POST | "
        "PostgreSQL CPU ms/POST |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for side in sides:
        n = max(1, side.posts)
        print(
            f"| {side.name} | {side.posts} | {statistics.median(side.walls) * 1000:.1f} / "
            f"{pct(side.walls, 95) * 1000:.1f} | {side.cpu_server / n * 1000:.2f} | "
            f"{side.cpu_render / n * 1000:.2f} | {side.cpu_pg / n * 1000:.2f} |"
        )
    before, after = sides
    ratios = [a / b for a, b in zip(after.rounds, before.rounds, strict=True)]
    print(
        "after / before, wall p50 of each round: "
        + ", ".join(f"{r:.2f}" for r in ratios)
        + f"; median {statistics.median(ratios):.2f}"
    )


if __name__ == "__main__":
    main()
