"""The cases of issue 9, each reproduced through the API: non-ASCII names in downloads, NUL
and surrogates in text fields, JSON Resume keys and values."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from resumate.rendering.pdf import sample_resume
from tests.factories import new_user_headers
from tests.robustness.hostile import send_json

API = "/api/v1"
TITLE = "Ингрид Søgaard-Łukasik – Staff Platform Engineer"
# A Spanish posting copied out of a PDF: NUL, form feed and CRLF included.
JOB_AD = (
    "Buscamos Ingeniera de Plataforma\x00 con experiencia en Kubernetes, Terraform y Python.\r\n"
    "\x0cOfrecemos trabajo remoto y formación continua.\x00"
)


@pytest.fixture
async def headers(client: httpx.AsyncClient) -> dict[str, str]:
    _, headers = await new_user_headers(client)
    return headers


def filename_star(response: httpx.Response) -> str:
    value = response.headers["content-disposition"]
    assert 'filename="' in value
    return unquote(value.split("filename*=UTF-8''", 1)[1])


async def test_non_ascii_title_downloads(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    data = copy.deepcopy(sample_resume())
    created = await send_json(
        client, "POST", f"{API}/resumes", {"title": TITLE, "data": data}, headers
    )
    assert created.status_code == 201, created.text
    rid = created.json()["data"]["id"]

    export = await client.get(f"{API}/resumes/{rid}/export", headers=headers)
    assert export.status_code == 200
    assert filename_star(export) == f"{TITLE}.json"

    assert (await client.post(f"{API}/resumes/{rid}/pdf", headers=headers)).status_code == 201
    pdf = await client.get(f"{API}/resumes/{rid}/pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert filename_star(pdf) == f"{TITLE}.pdf"
    assert pdf.headers["content-disposition"].startswith("attachment;")

    preview = await client.get(f"{API}/resumes/{rid}/preview", headers=headers)
    assert preview.status_code == 200
    assert filename_star(preview) == f"{TITLE}-page1.png"

    shared = await send_json(
        client, "POST", f"{API}/resumes/{rid}/share", {"enabled": True}, headers
    )
    slug = shared.json()["data"]["slug"]
    public = await client.get(f"{API}/public/r/{slug}/pdf")
    assert public.status_code == 200
    assert public.headers["content-disposition"].startswith("inline;")
    assert filename_star(public) == f"{TITLE}.pdf"


async def test_nul_in_job_ad_is_dropped(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    response = await client.post(
        f"{API}/jobs",
        json={"title": "Ingeniera de Plataforma", "description": JOB_AD, "location_type": "remote"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    description = response.json()["data"]["description"]
    assert "\x00" not in description and "\x0c" not in description and "\r" not in description
    assert description.startswith("Buscamos Ingeniera de Plataforma con experiencia")


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({"title": "Título\x00", "description": JOB_AD, "location_type": "remote"}, "$.title"),
        (
            {"title": "ok title", "description": JOB_AD, "location_type": "remote",
             "required_skills": ["Python", "K8s\ud800"]},
            "$.required_skills[1]",
        ),
    ],
)  # fmt: skip
async def test_short_fields_refuse_controls_with_the_path(
    client: httpx.AsyncClient, headers: dict[str, str], payload: dict[str, Any], path: str
) -> None:
    response = await send_json(client, "POST", f"{API}/jobs", payload, headers)
    assert response.status_code == 422, response.text
    errors = response.json()["error"]["details"]["errors"]
    assert errors[0]["path"] == path
    assert "U+" in errors[0]["message"]


async def test_resume_title_and_document_with_nul(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    data = copy.deepcopy(sample_resume())
    created = await send_json(
        client, "POST", f"{API}/resumes", {"title": "Plain", "data": data}, headers
    )
    rid = created.json()["data"]["id"]
    bad_title = await send_json(
        client, "PATCH", f"{API}/resumes/{rid}", {"title": "CV\x00 2026"}, headers
    )
    assert bad_title.status_code == 422
    assert bad_title.json()["error"]["details"]["errors"][0]["path"] == "$.title"

    data["basics"]["name"] = "Ana\x00 María \ud83d"
    data["x-custom\x00key"] = {"nested\x00": ["value\x00", "\udc00"]}
    patched = await send_json(client, "PATCH", f"{API}/resumes/{rid}", {"data": data}, headers)
    assert patched.status_code == 200, patched.text
    stored = patched.json()["data"]["data"]
    assert stored["basics"]["name"] == "Ana María \ufffd"
    assert stored["x-customkey"] == {"nested": ["value", "\ufffd"]}
    preview = await client.get(f"{API}/resumes/{rid}/preview", headers=headers)
    assert preview.status_code == 200

    imported = await send_json(client, "POST", f"{API}/resumes/import", data, headers)
    assert imported.status_code == 201, imported.text
    assert imported.json()["data"]["data"]["basics"]["name"] == "Ana María \ufffd"
