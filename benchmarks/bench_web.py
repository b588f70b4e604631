"""Server time of every web page (p50/p95), read from the access log of a real ``resumate
serve`` (embedded PostgreSQL, in-process worker), for a user with a full resume, an analysed
CV and 20 jobs. The preview PNG and the PDF are listed too (they are images and files, not pages,
and their time is the renderer's).

    .venv/bin/python benchmarks/bench_web.py [--rounds 60]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from tests.cvs.files import make_docx  # noqa: E402

from _serve import fmt_table, start_resumate, wait_postgres_stopped  # noqa: E402
from resumate.rendering.pdf import sample_resume  # noqa: E402

PASSWORD = "correct horse battery staple"  # noqa: S105 - a throwaway benchmark account


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:300]
    return match.group(1)


def prepare(client: httpx.Client) -> dict[str, str]:
    token = csrf(client.get("/signup").text)
    response = client.post(
        "/signup",
        data={"csrf_token": token, "email": "bench@example.com", "password": PASSWORD},
    )
    assert response.status_code == 303, response.text[:300]
    token = client.cookies["csrf_token"]
    document = json.dumps(sample_resume()).encode()
    response = client.post(
        "/app/resumes/import",
        data={"csrf_token": token},
        files={"file": ("resume.json", document, "application/json")},
    )
    resume_url = response.headers["location"]
    response = client.post(
        "/app/cvs",
        data={"csrf_token": token},
        files={"file": ("cv.docx", make_docx(), "application/octet-stream")},
    )
    cv_url = response.headers["location"]
    deadline = time.monotonic() + 120
    while 'data-testid="cv-score"' not in client.get(cv_url).text:
        if time.monotonic() > deadline:
            raise RuntimeError("the CV was not analysed in 2 minutes")
        time.sleep(0.5)
    job_url = ""
    for n in range(20):
        response = client.post(
            "/app/jobs",
            data={
                "csrf_token": token,
                "title": f"Nurse {n}",
                "description": "Registered nurse for intensive care: patient care, ACLS, "
                f"triage, medication administration, {n + 1}+ years.",
                "location_type": "on-site",
            },
        )
        job_url = response.headers["location"]
    cv_id = cv_url.rsplit("/", 1)[1]
    job_id = job_url.rsplit("/", 1)[1]
    return {
        "token": token,
        "resume": resume_url,
        "cv": cv_url,
        "job": job_url,
        "match": f"/app/match?cv={cv_id}&job={job_id}",
        "cv_id": cv_id,
        "job_id": job_id,
    }


def run(rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        work = Path(tmp)
        server = start_resumate(work / "data", work, env={"RESUMATE_LOG_LEVEL": "info"})
        try:
            server.wait_for("/health/ready")
            server.wait_idle()  # its warm-up done: measure an idle server
            client = httpx.Client(base_url=server.base, timeout=60)
            urls = prepare(client)
            client.get(urls["resume"] + "/pdf")
            editor = client.get(urls["resume"]).text
            etag = re.search(r'name="etag" value="([^"]+)"', editor)
            assert etag
            pages = [
                "/",
                "/forgot-password",
                "/app",
                "/app/resumes",
                urls["resume"],
                "/app/cvs",
                urls["cv"],
                "/app/jobs",
                urls["job"],
                urls["match"],
                "/app/notifications",
                "/app/plan",
                "/app/settings",
                "/docs",
            ]
            started = server.log.stat().st_size
            for n in range(rounds):
                for url in pages:
                    assert client.get(url).status_code == 200, url
                response = client.post(
                    urls["resume"] + "/autosave",
                    data={
                        "csrf_token": urls["token"],
                        "etag": etag.group(1).replace("&#34;", '"'),
                        "title": "Bench",
                        "basics.name": f"Bench {n}",
                    },
                    headers={"HX-Request": "true"},
                )
                assert response.status_code == 200, response.text[:300]
                report = client.post(
                    "/app/match",
                    data={
                        "csrf_token": urls["token"],
                        "cv_id": urls["cv_id"],
                        "job_id": urls["job_id"],
                    },
                )
                assert report.status_code == 200, report.text[:300]
                found = re.search(r'id="etag" name="etag" value="([^"]+)"', response.text)
                assert found
                etag = found
                client.get(urls["resume"] + f"/preview.png?v={n}")
                client.get(urls["resume"] + "/pdf")
            # The compare form shares its route with the GET report: measured on its own.
            time.sleep(0.5)
            form_started = server.log.stat().st_size
            for _ in range(rounds):
                assert client.get("/app/match").status_code == 200
            client.close()
            time.sleep(0.5)
            with server.log.open("rb") as handle:
                handle.seek(started)
                lines = handle.read(form_started - started).decode(errors="replace").splitlines()
                form_lines = handle.read().decode(errors="replace").splitlines()
        finally:
            server.stop()
            wait_postgres_stopped(work / "data" / "pg")
    durations: dict[str, list[float]] = {}
    for suffix, chunk in (("", lines), (" (compare form)", form_lines)):
        for line in chunk:
            if not line.startswith("{"):
                continue
            entry = json.loads(line)
            if entry.get("event") == "request":
                key = f"{entry['method']} {entry['route']}{suffix}"
                durations.setdefault(key, []).append(float(entry["duration_ms"]))
    rows = []
    for key, values in sorted(durations.items()):
        values.sort()
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        rows.append([key, str(len(values)), f"{statistics.median(values):.1f}", f"{p95:.1f}"])
    print(fmt_table(["route", "n", "p50 ms", "p95 ms"], rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=60)
    run(parser.parse_args().rounds)
