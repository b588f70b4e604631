"""Before/after of the authenticated GETs (issue 12), interleaved in one run: server CPU per request.

Two real `resumate serve` processes, each on its own embedded PostgreSQL (as `bench_pdf_ab.py`):
"before" runs the `src` directory given with --before, "after" this checkout's (or --after's).
Each account has 50 resumes. Rounds alternate which server goes first; in each round each
server gets --per requests of each route, sequential, on one keep-alive connection:

- list: `GET /api/v1/resumes` (bearer, page of 20 of 50);
- one: `GET /api/v1/resumes/{id}`;
- preview (with --preview): `GET /api/v1/resumes/{id}/preview` (a render each time).

Reported per server and route: wall p50/p95, and CPU per request of the server process (its
threads' scheduler counters, read around each route's batch) and of the PostgreSQL cluster.
On a loaded machine the wall times say little; CPU per request is the figure to compare.

Usage: .venv/bin/python benchmarks/bench_get_ab.py --before /path/to/main/src [--rounds 6 --per 100]
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
from bench_pdf_ab import _cpu, _postgres_cpu
from bench_speed import BENCH_ENV, PASSWORD, pct
from resumate.rendering.pdf import sample_resume


class Side:
    def __init__(self, name: str, server: Server, data_dir: Path, routes: list[str]) -> None:
        self.name, self.server, self.data_dir = name, server, data_dir
        self.proc = psutil.Process(server.process.pid)
        self.client = httpx.Client(base_url=server.base, timeout=60)
        self.walls: dict[str, list[float]] = {route: [] for route in routes}
        self.cpu: dict[str, float] = dict.fromkeys(routes, 0.0)
        self.pg: dict[str, float] = dict.fromkeys(routes, 0.0)

    def prepare(self) -> None:
        email = f"get-ab-{self.name}@example.com"
        self.client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
        self.client.cookies.clear()
        token = self.client.post(
            "/api/v1/auth/token", data={"username": email, "password": PASSWORD}
        ).json()["access_token"]
        self.headers = {"Authorization": f"Bearer {token}"}
        document = copy.deepcopy(sample_resume())
        for i in range(50):
            made = self.client.post(
                "/api/v1/resumes",
                json={"title": f"Resume {i:02d}", "data": document},
                headers=self.headers,
            )
            assert made.status_code == 201, made.text
        self.paths = {
            "list": "/api/v1/resumes",
            "one": f"/api/v1/resumes/{made.json()['data']['id']}",
            "preview": f"/api/v1/resumes/{made.json()['data']['id']}/preview",
        }
        listed = self.client.get(self.paths["list"], headers=self.headers).json()
        assert listed["meta"]["pagination"]["total"] == 50, listed["meta"]
        for route in self.walls:  # warm-up, not counted
            for _ in range(10):
                self.get(route)

    def get(self, route: str) -> float:
        started = time.perf_counter()
        response = self.client.get(self.paths[route], headers=self.headers)
        wall = time.perf_counter() - started
        assert response.status_code == 200, response.text
        return wall

    def batch(self, route: str, count: int) -> None:
        cpu0, pg0 = _cpu(self.proc), _postgres_cpu(self.data_dir)
        walls = [self.get(route) for _ in range(count)]
        self.cpu[route] += _cpu(self.proc) - cpu0
        self.pg[route] += _postgres_cpu(self.data_dir) - pg0
        self.walls[route].extend(walls)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True, help="the src directory of the 'before' code")
    parser.add_argument("--after", help="the src directory of the 'after' code (default: this one)")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--per", type=int, default=100)
    parser.add_argument("--preview", action="store_true", help="also time GET .../preview")
    args = parser.parse_args()
    routes = ["list", "one"] + (["preview"] if args.preview else [])
    print("load average at the start: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="resumate-get-ab-") as tmp:
        work = Path(tmp)
        sides: list[Side] = []
        try:
            for name, src in (("before", args.before), ("after", args.after)):
                env = dict(BENCH_ENV)
                if src:
                    env["PYTHONPATH"] = str(Path(src).resolve())
                data_dir = work / name
                server = start_resumate(data_dir, work, env=env)
                sides.append(Side(name, server, data_dir, routes))
            for side in sides:
                side.server.wait_for("/health/ready")
                side.server.wait_idle()  # its warm-up done: measure an idle server
                side.prepare()
            for round_ in range(args.rounds):
                order = sides if round_ % 2 == 0 else sides[::-1]
                for route in routes:
                    per = args.per if route != "preview" else max(1, args.per // 5)
                    for side in order:
                        side.batch(route, per)
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
        "| route | side | requests | wall p50 / p95 ms | server CPU ms/request | "
        "PostgreSQL CPU ms/request |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for route in routes:
        for side in sides:
            walls = side.walls[route]
            n = max(1, len(walls))
            print(
                f"| {route} | {side.name} | {len(walls)} | {statistics.median(walls) * 1000:.2f} / "
                f"{pct(walls, 95) * 1000:.2f} | {side.cpu[route] / n * 1000:.3f} | "
                f"{side.pg[route] / n * 1000:.3f} |"
            )


if __name__ == "__main__":
    main()
