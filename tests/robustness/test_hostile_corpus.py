"""The hostile-text corpus through every text field of every endpoint (walking the OpenAPI
document, as ``tests/ownership.py`` does), then real files with such text through upload,
analysis, rendering and download. Any status but a 5xx is fine for a field: cleaned or refused
is decided per field (docs/text-hygiene.md); a 2xx must come back as valid JSON."""

from __future__ import annotations

import copy
import io
import re
import uuid
from typing import Any

import httpx
import pytest
from docx import Document
from fastapi import FastAPI

from resumate.rendering.pdf import sample_resume
from tests import ownership

# The ownership factories make one resource of each kind (they register on import).
from tests.cvs import test_router as _cvs  # noqa: F401
from tests.factories import new_user_headers, run_pending_jobs
from tests.jobs import test_router as _jobs  # noqa: F401
from tests.resumes import test_router as _resumes  # noqa: F401
from tests.robustness.hostile import HOSTILE, send_json, with_deep_member

# Operations that would end the user's own session or account in the middle of the walk.
SKIPPED = {("POST", "/api/v1/auth/logout"), ("DELETE", "/api/v1/users/me")}


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        target: Any = doc
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = target
    options = [_resolve(doc, o) for o in schema.get("anyOf", []) if o.get("type") != "null"]
    return options[0] if options and "type" not in schema else schema


def sample(doc: dict[str, Any], schema: dict[str, Any], name: str = "") -> Any:
    """A small valid value for ``schema`` (enough for the request to reach its field)."""
    schema = _resolve(doc, schema)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if name == "data":
            return copy.deepcopy(sample_resume())
        required = set(schema.get("required", []))
        return {
            key: sample(doc, sub, key)
            for key, sub in schema.get("properties", {}).items()
            if key in required
        }
    if kind == "array":
        return []
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return max(float(schema.get("minimum", 1)), 1.0)
    if kind == "boolean":
        return True
    if schema.get("format") == "email" or "email" in name:
        return f"corpus-{uuid.uuid4().hex[:8]}@example.com"
    if schema.get("format") == "uuid":
        return str(uuid.uuid4())
    text = "A perfectly ordinary value for this field, long enough for any minimum."
    return text[: schema.get("maxLength", len(text))]


def string_fields(doc: dict[str, Any], schema: dict[str, Any], path: tuple = ()) -> list[tuple]:
    """Paths (tuples of keys) of the string fields of an object schema, one level of nesting
    and list items included."""
    schema = _resolve(doc, schema)
    found: list[tuple] = []
    if schema.get("type") == "string" and "enum" not in schema and "format" not in schema:
        return [path]
    if schema.get("type") == "array" and len(path) < 3:
        return string_fields(doc, schema.get("items", {}), (*path, 0))
    if len(path) < 2:
        for key, sub in schema.get("properties", {}).items():
            found += string_fields(doc, sub, (*path, key))
    return found


def put(body: Any, path: tuple, value: str) -> Any:
    body = copy.deepcopy(body)
    target = body
    for index, key in enumerate(path[:-1]):
        empty: Any = [] if isinstance(path[index + 1], int) else {}
        if isinstance(key, int):
            while len(target) <= key:
                target.append(empty)
        elif not isinstance(target.get(key), list | dict):
            target[key] = empty
        target = target[key]
    if isinstance(path[-1], int):
        target[:] = [value]
    else:
        target[path[-1]] = value
    return body


def operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, items in app.openapi()["paths"].items():
        for method, operation in items.items():
            if (method.upper(), path) not in SKIPPED:
                found.append((method.upper(), path, operation))
    return found


async def url_for(client: httpx.AsyncClient, headers: dict[str, str], path: str) -> str | None:
    if "{" not in path:
        return path
    found = ownership.factory_for(path)
    if found is None:
        return None
    resource_id = await found[1](client, headers)
    return re.sub(r"\{[^}]+\}", resource_id, path, count=1)


def assert_answered(response: httpx.Response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code} {response.text[:500]}"
    if 200 <= response.status_code < 300 and "json" in response.headers.get("content-type", ""):
        response.json()


async def test_corpus_through_every_json_text_field(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    doc = app.openapi()
    _, headers = await new_user_headers(client)
    walked = 0
    for method, path, operation in operations(app):
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            continue
        schema = content["application/json"]["schema"]
        base = sample(doc, schema)
        fields = string_fields(doc, schema)
        url = await url_for(client, headers, path)
        if url is None:
            continue
        for field_path in fields:
            for name, text in HOSTILE.items():
                body = put(base, field_path, text)
                response = await send_json(client, method, url, body, headers)
                assert_answered(response, f"{method} {path} {field_path} = {name}")
                walked += 1
                if response.status_code in (200, 201) and method == "DELETE":
                    url = await url_for(client, headers, path) or url
        # Keys and nesting: hostile keys, and a document nested past any sane depth.
        if isinstance(base, dict):
            for name, text in (("nul", "k\x00"), ("surrogate", "k\ud800"), ("rtl", "مفتاح")):
                response = await send_json(client, method, url, {**base, text: "v"}, headers)
                assert_answered(response, f"{method} {path} key {name}")
            response = await client.request(
                method,
                url,
                content=with_deep_member(base, 5000),
                headers={**headers, "Content-Type": "application/json"},
            )
            assert_answered(response, f"{method} {path} nested 5000 deep")
    assert walked > 300


async def test_corpus_through_query_and_path_strings(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    _, headers = await new_user_headers(client)
    doc = app.openapi()
    checked = 0
    for method, path, operation in operations(app):
        for parameter in operation.get("parameters", []):
            schema = _resolve(doc, parameter.get("schema", {}))
            if schema.get("type") != "string" or "enum" in schema or schema.get("format"):
                continue
            for name, full_text in HOSTILE.items():
                # Percent-encode every byte, including ones that are not valid UTF-8 (what a
                # lone surrogate becomes), as a hostile client may; a URL has room for 2000.
                raw = full_text[:2000].encode("utf-8", "surrogatepass").hex()
                encoded = "".join(f"%{raw[i : i + 2]}" for i in range(0, len(raw), 2))
                if parameter["in"] == "query":
                    url = await url_for(client, headers, path)
                    if url is None:
                        break
                    url = f"{url}?{parameter['name']}={encoded}"
                elif parameter["in"] == "path":
                    template = "{" + parameter["name"] + "}"
                    url = path.replace(template, encoded or "%20")
                else:
                    continue
                response = await client.request(method, url, headers=headers)
                assert_answered(response, f"{method} {path} {parameter['name']} = {name}")
                checked += 1
    assert checked > 20


def hostile_docx() -> bytes:
    document = Document()
    document.add_heading("Ингрид Søgaard-Łukasik 👩‍💻", level=0)
    document.add_paragraph("ingrid@example.org · +47 912 34 567 · Oslo")
    document.add_heading("😀 𝐄𝐱𝐩𝐞𝐫𝐢𝐞𝐧𝐜𝐞 · الخبرة · 经验", level=1)
    for text in HOSTILE.values():
        cleaned = "".join(
            ch
            for ch in text[:2000]
            if ch in "\t\n"
            or (
                (ord(ch) >= 0x20 and not 0xD800 <= ord(ch) <= 0xDFFF)
                and ord(ch) not in (0xFFFE, 0xFFFF)
                and not 0x7F <= ord(ch) <= 0x9F
            )
        )
        document.add_paragraph(cleaned)
    document.add_paragraph("Senior Platform Engineer — Nordic Cloud AS, 2019 – 2024")
    document.add_paragraph("Kubernetes, Go, Python, Terraform")
    # Items of a skills list that no taxonomy knows are kept in the CV's own words: hostile ones
    # (emoji, RTL override, Cyrillic, Arabic, CJK, a 100,000-character item) go there too.
    document.add_heading("Skills", level=1)
    document.add_paragraph(
        "🚀 Rocketry, Кириллица, العربية, \u202eevil\u202c, 履歴書, Zoë's 𝐛𝐨𝐥𝐝 tool, "
        + "a" * 100_000
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["docx", "pdf"])
async def test_real_files_with_hostile_text_end_to_end(
    client: httpx.AsyncClient, session, kind: str
) -> None:  # type: ignore[no-untyped-def]
    from tests.robustness.files import emoji_cv_pdf

    _, headers = await new_user_headers(client)
    data = hostile_docx() if kind == "docx" else emoji_cv_pdf()
    media = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
    }[kind]
    uploaded = await client.post(
        "/api/v1/cvs",
        files={"file": (f"Ингрид 履歴書 \u202e.{kind}", data, media)},
        headers=headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    cv_id = uploaded.json()["data"]["id"]
    await run_pending_jobs(session, "analyze_cv")
    cv = (await client.get(f"/api/v1/cvs/{cv_id}", headers=headers)).json()["data"]
    assert cv["status"] == "ready", cv["error"]
    if kind == "docx":
        skills = [k for group in cv["parsed_content"]["skills"] for k in group["keywords"]]
        assert "Kubernetes" in skills and all(len(name) < 1000 for name in skills)
    original = await client.get(f"/api/v1/cvs/{cv_id}/file", headers=headers)
    assert original.status_code == 200 and original.content == data
    resume = await client.post(f"/api/v1/cvs/{cv_id}/to-resume", headers=headers)
    assert resume.status_code == 201, resume.text
    resume_id = resume.json()["data"]["id"]
    for suffix in ("export", "preview"):
        response = await client.get(f"/api/v1/resumes/{resume_id}/{suffix}", headers=headers)
        assert response.status_code == 200, f"{suffix}: {response.text[:300]}"
        response.headers["content-disposition"].encode("latin-1")
    made = await client.post(f"/api/v1/resumes/{resume_id}/pdf", headers=headers)
    assert made.status_code == 201, made.text
    pdf = await client.get(f"/api/v1/resumes/{resume_id}/pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    everything = await client.get("/api/v1/users/me/export", headers=headers)
    assert everything.status_code == 200 and everything.json()
