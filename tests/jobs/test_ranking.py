"""Ranking on the labelled matching set (benchmarks/match_data), through the API.

A few professions of the set: each CV is uploaded as a real PDF (its text typeset with Typst),
analysed by the CV analysis job run inline, and every job ad labelled for those CVs is saved
along with ads of other professions as distractors. For each CV the labelled best-fitting job
must be in the top 3 of ``GET /cvs/{id}/matches``, and every result's explanation fields must
agree with its score. The full set and the figures are in benchmarks/match_eval.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import typst
import yaml

from tests.factories import new_user_headers, run_pending_jobs

API = "/api/v1"
DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "match_data"
PROFESSIONS = {"backend", "nursing", "accounting", "teaching", "logistics"}
DISTRACTORS = [
    "job-sales-ae",
    "job-gd-brand",
    "job-civ-site",
    "job-law-paralegal",
    "job-mkt-social",
    "job-ds-data-analyst",
    "job-ph-tech",
]

# The CV's lines as typeset text: name larger and bold, blank lines as vertical space.
TYPST_PLAIN_CV = """
#let d = json(bytes(sys.inputs.data))
#set page(paper: "a4", margin: 1.8cm)
#set text(size: 10pt)
#set par(spacing: 0.45em)
#for (i, line) in d.lines.enumerate() {
  if line.trim() == "" { v(0.5em) }
  else if i == 0 { text(size: 15pt, weight: "bold", line.trim()); parbreak() }
  else { line.trim(); parbreak() }
}
"""


def load_subset() -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    cvs = [c for f in sorted((DATA / "cvs").glob("*.yaml")) for c in yaml.safe_load(f.open())]
    jobs = [j for f in sorted((DATA / "jobs").glob("*.yaml")) for j in yaml.safe_load(f.open())]
    labels = yaml.safe_load((DATA / "labels.yaml").open())
    chosen = [c for c in cvs if c["profession"] in PROFESSIONS]
    wanted = {j for c in chosen for j in labels[c["id"]]["relevance"]} | set(DISTRACTORS)
    return chosen, [j for j in jobs if j["id"] in wanted], labels


def cv_pdf(text: str) -> bytes:
    payload = json.dumps({"lines": text.splitlines()})
    return bytes(typst.compile(TYPST_PLAIN_CV.encode(), format="pdf", sys_inputs={"data": payload}))


def consistency_problems(match: dict[str, Any], cv_years: float | None) -> list[str]:
    job = match["job"]
    required = {s.lower() for s in job["required_skills"]}
    matched = {s.lower() for s in match["matched_skills"]}
    missing = {s.lower() for s in match["missing_skills"]}
    problems = []
    if not missing <= required:
        problems.append(f"missing skills not required by the job: {missing - required}")
    if not matched <= required:
        problems.append(f"matched skills not required by the job: {matched - required}")
    if matched & missing:
        problems.append(f"skills both matched and missing: {matched & missing}")
    if not 0 <= match["score"] <= 100 or not 0 <= match["semantic_similarity"] <= 1:
        problems.append("score or similarity out of range")
    if abs(sum(part["points"] for part in match["breakdown"]) - match["score"]) > 1:
        problems.append("breakdown does not add up to the score")
    minimum = job["min_experience_years"]
    if minimum:
        gap = max(0.0, minimum - (cv_years or 0.0))
        if abs(match["experience_gap_years"] - gap) > 0.11:
            problems.append(f"experience gap {match['experience_gap_years']} != {gap:.1f}")
    elif match["experience_gap_years"] != 0:
        problems.append("an experience gap without a stated minimum")
    if f"({match['score']}/100)" not in match["explanation"]:
        problems.append("the explanation does not state the score")
    return [f"{job['title']}: {p}" for p in problems]


async def test_best_job_in_top_3_with_consistent_explanations(
    client: httpx.AsyncClient, session: Any
) -> None:
    cvs, jobs, labels = load_subset()
    assert len({c["profession"] for c in cvs}) == len(PROFESSIONS) and len(cvs) >= 10
    _, headers = await new_user_headers(client)

    job_ids: dict[str, str] = {}
    for job in jobs:
        response = await client.post(
            f"{API}/jobs",
            json={
                "title": job["title"],
                "description": job["description"],
                "company": job["company"],
                "location_type": job["location_type"],
            },
            headers=headers,
        )
        assert response.status_code == 201, response.text
        job_ids[response.json()["data"]["id"]] = job["id"]

    cv_ids: dict[str, str] = {}
    for cv in cvs:
        response = await client.post(
            f"{API}/cvs",
            files={"file": (f"{cv['id']}.pdf", cv_pdf(cv["text"]), "application/pdf")},
            headers=headers,
        )
        assert response.status_code == 201, response.text
        cv_ids[cv["id"]] = response.json()["data"]["id"]
    assert await run_pending_jobs(session, "analyze_cv") == len(cvs)

    misses: list[str] = []
    problems: list[str] = []
    for name, cv_id in cv_ids.items():
        cv = (await client.get(f"{API}/cvs/{cv_id}", headers=headers)).json()["data"]
        assert cv["status"] == "ready", cv
        response = await client.get(f"{API}/cvs/{cv_id}/matches?limit=100", headers=headers)
        assert response.status_code == 200, response.text
        matches = response.json()["data"]
        assert len(matches) == len(jobs)  # a small account: every active job is a candidate
        ranked = [job_ids[m["job"]["id"]] for m in matches]
        best = labels[name]["best"]
        if best not in ranked[:3]:
            misses.append(f"{name}: {best} ranked {ranked.index(best) + 1}, top 3 {ranked[:3]}")
        scores = [m["score"] for m in matches]
        assert scores == sorted(scores, reverse=True)
        for match in matches:
            problems += consistency_problems(match, cv["total_experience_years"])

    assert not misses, "\n".join(misses)
    assert not problems, "\n".join(problems[:20])
