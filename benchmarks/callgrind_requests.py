"""Instructions per request of a real `resumate serve`, counted by callgrind (issue 12).

Load-independent, unlike wall or CPU time: the server runs under
`valgrind --tool=callgrind --instr-atstart=no` (its PostgreSQL and render processes are not
instrumented), an account with 50 resumes is made, each route is warmed up, then counting is
switched on (`callgrind_control -i on`) for an idle window and for N sequential requests of
each route on one keep-alive connection, each dumped on its own. The event loop's background
work while idle (Ir per second) is subtracted from each route's count in proportion to its
duration (under valgrind a request takes ~50x longer, so that background is a visible share).

Usage (from the repository root; `--src` runs another checkout's `src`, e.g. main's unpacked
with `git archive main src migrations | tar -x -C /tmp/before`):

    .venv/bin/python benchmarks/callgrind_requests.py [--src /tmp/before/src] [--requests 200]
        [--routes list,one,pdf]

Routes: list (`GET /api/v1/resumes`, page of 20 of 50), one (`GET /api/v1/resumes/{id}`),
pdf (`POST /api/v1/resumes/{id}/pdf` after an untimed PATCH that changes the data; the PATCHes
run with counting off), health (`GET /health`).
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _serve import RESUMATE, clean_env, free_port
from bench_speed import BENCH_ENV, PASSWORD
from resumate.rendering.pdf import sample_resume

# A dump's "totals" line; its "summary" line can be garbage (2**64 - n) in a dump written
# while instrumentation was toggled off and on (the pdf route's case).
TOTALS = re.compile(rb"^totals:\s+(\d+)", re.MULTILINE)


def control(*args: str) -> None:
    subprocess.run(["callgrind_control", *args], check=True, capture_output=True)


def dumped_ir(out_dir: Path, before: set[Path]) -> int:
    """Ir of the dump files written since ``before`` (waits for callgrind to write them)."""
    for _ in range(600):
        new = set(out_dir.glob("cg.*")) - before
        if new:
            time.sleep(0.5)
            total = 0
            for path in new:
                match = TOTALS.search(path.read_bytes())
                total += int(match.group(1)) if match else 0
            before.update(new)
            return total
        time.sleep(0.1)
    raise RuntimeError("callgrind wrote no dump")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--src", help="the src directory to run (default: this checkout's)")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--routes", default="list,one")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of the idle window")
    args = parser.parse_args()
    routes = args.routes.split(",")
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed")
    with tempfile.TemporaryDirectory(prefix="resumate-cg-") as tmp:
        work = Path(tmp)
        out_dir = work / "out"
        out_dir.mkdir()
        # No job worker in the server process: its polling would be background in every count.
        env = clean_env(
            RESUMATE_DATA_DIR=str(work / "data"),
            RESUMATE_RUN_WORKER_IN_PROCESS="false",
            # Under valgrind on a loaded machine a run can outlast the default 15 minutes.
            RESUMATE_ACCESS_TOKEN_MINUTES="240",  # noqa: S106 - a lifetime, not a secret
            **BENCH_ENV,
        )
        if args.src:
            env["PYTHONPATH"] = str(Path(args.src).resolve())
        port = free_port()
        log = (work / "server.log").open("wb")
        process = subprocess.Popen(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={out_dir}/cg.%p",
                sys.executable,
                str(RESUMATE),
                "serve",
                "--port",
                str(port),
            ],
            cwd=work,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        pid = str(process.pid)
        try:
            client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600)
            deadline = time.monotonic() + 900
            while True:
                try:
                    if client.get("/health/ready").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((work / "server.log").read_text(errors="replace")[-3000:])
                time.sleep(1)
            email = "callgrind@example.com"
            client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
            client.cookies.clear()
            token = client.post(
                "/api/v1/auth/token", data={"username": email, "password": PASSWORD}
            ).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            document = copy.deepcopy(sample_resume())
            for i in range(50):
                made = client.post(
                    "/api/v1/resumes",
                    json={"title": f"Resume {i:02d}", "data": document},
                    headers=headers,
                )
                assert made.status_code == 201, made.text
            url = f"/api/v1/resumes/{made.json()['data']['id']}"
            revision = 0

            def request(route: str) -> None:
                nonlocal revision
                if route == "list":
                    response = client.get("/api/v1/resumes", headers=headers)
                elif route == "one":
                    response = client.get(url, headers=headers)
                elif route == "health":
                    response = client.get("/health")
                else:
                    response = client.post(f"{url}/pdf", headers=headers)
                    assert response.status_code == 201, response.text
                    assert response.json()["data"]["reused"] is False, response.text
                assert response.status_code in (200, 201), response.text

            def change() -> None:
                nonlocal revision
                revision += 1
                document["basics"]["summary"] = f"Revision {revision}."
                patched = client.patch(url, json={"data": document}, headers=headers)
                assert patched.status_code == 200, patched.text

            for route in routes:  # warm-up
                for _ in range(20):
                    if route == "pdf":
                        change()
                    request(route)
            seen: set[Path] = set(out_dir.glob("cg.*"))
            control("-i", "on", pid)
            started = time.monotonic()
            time.sleep(args.idle)
            idle_seconds = time.monotonic() - started
            control("-d", pid)
            idle_ir = dumped_ir(out_dir, seen)
            rate = idle_ir / idle_seconds
            print(f"idle: {idle_ir / 1e6:.1f}M Ir in {idle_seconds:.1f} s ({rate / 1e3:.0f}k Ir/s)")
            for route in routes:
                elapsed = 0.0
                if route == "pdf":
                    control("-i", "off", pid)
                    for _ in range(args.requests):
                        change()
                        control("-i", "on", pid)
                        started = time.monotonic()
                        request(route)
                        elapsed += time.monotonic() - started
                        control("-i", "off", pid)
                    control("-i", "on", pid)
                else:
                    started = time.monotonic()
                    for _ in range(args.requests):
                        request(route)
                    elapsed = time.monotonic() - started
                control("-d", pid)
                ir = dumped_ir(out_dir, seen)
                per = ir / args.requests
                net = (ir - rate * elapsed) / args.requests
                print(
                    f"{route}: {args.requests} requests, {ir / 1e6:.1f}M Ir in {elapsed:.1f} s: "
                    f"{per / 1e3:.0f}k Ir per request, {net / 1e3:.0f}k without the idle background"
                )
        finally:
            process.terminate()
            try:
                process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()


if __name__ == "__main__":
    main()
