"""A realistic mix of Resumate traffic for locust (``benchmarks/bench_locust.py`` runs it).

Each simulated user signs up once (the sign-up's access token is its first bearer token, as a
browser is signed in by its sign-up), then, with a pause of 1-3 s between actions: lists and reads
resumes, edits them (with If-Match), creates new ones, renders PDFs (a real Typst render when the
data changed, the stored one otherwise), uploads CVs (real PDFs) and reads their analysis and job
matches, and signs in again now and then (``POST /auth/token``). Any 5xx, connection error or timeout is a failure.
"""

from __future__ import annotations

import json
import random
import uuid
from typing import Any

from locust import HttpUser, between, task
from locust.exception import StopUser

PASSWORD = "correct horse battery staple"  # noqa: S105 - a throwaway load-test account
TIMEOUT = 120

NURSE_JOB = (
    "Our intensive care unit is looking for a registered nurse. What you bring: at least three "
    "years of ICU or emergency nursing experience, ACLS and BLS certification, experience with "
    "electronic health records and patient triage. Desirable: wound care experience."
)


def _make_cv_pdf() -> bytes:
    import typst

    source = (
        '#set page(paper: "a4")\n= Ana Ñúñez\nana\\@example.org · +34 612 345 678 · Madrid\n\n'
        "== Experience\n*Senior ICU Nurse*, Hospital La Paz (2019 – present)\n"
        "- Led a team of 12 nurses; ACLS and BLS certified\n\n"
        "*Emergency Nurse*, Hospital San Carlos (2015 – 2019)\n- Patient triage, wound care\n\n"
        "== Education\nBSc Nursing, Universidad Complutense (2011 – 2015)\n\n"
        "== Skills\nIntensive care, triage, electronic health records, Spanish, English\n"
    )
    return bytes(typst.compile(source.encode()))


CV_PDF = _make_cv_pdf()


def _resume(name: str) -> dict[str, Any]:
    return {
        "basics": {"name": name, "email": "someone@example.org", "summary": "Nurse. 看護師."},
        "work": [
            {
                "name": "Hospital La Paz",
                "position": "ICU Nurse",
                "startDate": "2019-03-01",
                "highlights": ["Led a team of 12 nurses", "Cut medication errors by 30%"],
            }
        ],
        "skills": [{"name": "Intensive care"}, {"name": "Triage"}],
    }


class ResumateUser(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.email = f"load-{uuid.uuid4().hex[:12]}@example.com"
        made = self.client.post(
            "/api/v1/auth/register",
            json={"email": self.email, "password": PASSWORD},
            name="POST /auth/register",
            timeout=TIMEOUT,
        )
        if made.status_code != 201:
            raise StopUser()
        # A sign-up is signed in: its access token (the cookie) is the first bearer token, as a
        # browser would use it, rather than a second password hash right after the first.
        self.auth = {"Authorization": f"Bearer {made.cookies.get('access_token', '')}"}
        self.client.cookies.clear()
        if not made.cookies.get("access_token"):
            self.sign_in()
        self.resumes: list[str] = []
        self.cvs: list[str] = []
        self.create_resume()
        self.client.post(
            "/api/v1/jobs",
            json={"title": "ICU Nurse", "description": NURSE_JOB, "location_type": "on-site"},
            headers=self.auth,
            name="POST /jobs",
            timeout=TIMEOUT,
        )

    def sign_in(self) -> None:
        token = self.client.post(
            "/api/v1/auth/token",
            data={"username": self.email, "password": PASSWORD},
            name="POST /auth/token",
            timeout=TIMEOUT,
        )
        if token.status_code == 200:
            self.auth = {"Authorization": f"Bearer {token.json()['access_token']}"}

    @task(1)
    def sign_in_again(self) -> None:
        self.sign_in()

    @task(10)
    def list_resumes(self) -> None:
        self.client.get("/api/v1/resumes", headers=self.auth, name="GET /resumes", timeout=TIMEOUT)

    @task(5)
    def read_resume(self) -> None:
        if self.resumes:
            self.client.get(
                f"/api/v1/resumes/{random.choice(self.resumes)}",
                headers=self.auth,
                name="GET /resumes/{id}",
                timeout=TIMEOUT,
            )

    @task(1)
    def create_resume(self) -> None:
        made = self.client.post(
            "/api/v1/resumes",
            json={"title": "My resume", "data": _resume("Ana Ñúñez")},
            headers=self.auth,
            name="POST /resumes",
            timeout=TIMEOUT,
        )
        if made.status_code == 201:
            self.resumes.append(made.json()["data"]["id"])

    @task(4)
    def edit_resume(self) -> None:
        if not self.resumes:
            return
        resume_id = random.choice(self.resumes)
        got = self.client.get(
            f"/api/v1/resumes/{resume_id}",
            headers=self.auth,
            name="GET /resumes/{id}",
            timeout=TIMEOUT,
        )
        if got.status_code != 200:
            return
        data = got.json()["data"]["data"]
        data["basics"]["summary"] = f"Nurse, edit {random.randint(0, 10**6)}"
        with self.client.patch(
            f"/api/v1/resumes/{resume_id}",
            data=json.dumps({"data": data}),
            headers={
                **self.auth,
                "Content-Type": "application/json",
                "If-Match": got.headers.get("ETag", "*"),
            },
            name="PATCH /resumes/{id}",
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            if response.status_code == 412:  # another tab of the same user won: expected
                response.success()

    @task(2)
    def render_pdf(self) -> None:
        if self.resumes:
            self.client.post(
                f"/api/v1/resumes/{random.choice(self.resumes)}/pdf",
                headers=self.auth,
                name="POST /resumes/{id}/pdf",
                timeout=TIMEOUT,
            )

    @task(1)
    def upload_cv(self) -> None:
        made = self.client.post(
            "/api/v1/cvs",
            files={"file": ("cv.pdf", CV_PDF, "application/pdf")},
            headers=self.auth,
            name="POST /cvs",
            timeout=TIMEOUT,
        )
        if made.status_code == 201:
            self.cvs.append(made.json()["data"]["id"])

    @task(3)
    def read_cv(self) -> None:
        if self.cvs:
            self.client.get(
                f"/api/v1/cvs/{random.choice(self.cvs)}",
                headers=self.auth,
                name="GET /cvs/{id}",
                timeout=TIMEOUT,
            )

    @task(3)
    def read_matches(self) -> None:
        if not self.cvs:
            return
        with self.client.get(
            f"/api/v1/cvs/{random.choice(self.cvs)}/matches",
            headers=self.auth,
            name="GET /cvs/{id}/matches",
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            if response.status_code == 422:  # not analysed yet: the client tries later
                response.success()
