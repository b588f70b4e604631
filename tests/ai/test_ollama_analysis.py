"""CV analysis through Ollama: merging with the offline analysis, grounding, and fallbacks."""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Iterator
from datetime import date
from typing import Any

import docx
import pytest
from tests.fakes.ollama import FakeOllama

from resumate.ai.analyzer import analyze_text
from resumate.ai.documents import ExtractedText
from resumate.ai.providers.llm_analysis import (
    FALLBACK_SUFFIX,
    LlmCVExtraction,
    analyze_cv,
    analyze_with_ollama,
    build_extraction_messages,
)
from resumate.ai.providers.ollama import OllamaClient
from resumate.ai.schemas import CVAnalysis

MODEL = "llama3.1:8b"

CV = """\
Maria Lopez
maria.lopez@example.com | +34 612 345 678 | Madrid, Spain

Summary
Registered nurse with seven years of intensive care experience.

Experience
Senior Nurse, Hospital Universitario La Paz, Madrid
03/2019 - Present
- Led a team of 6 nurses on the ICU night shift
- Administered IV therapy and monitored ventilated patients
- Provided tracheostomy care and telemetry monitoring
Staff Nurse, Clinica Ruber, Madrid
09/2016 - 02/2019
- Phlebotomy, wound care and patient education

Education
BSc Nursing, Universidad Complutense de Madrid, 2012 - 2016

Skills
Patient care, IV therapy, Epic EHR, BLS, ACLS

Languages
Spanish (native), English (C1)
"""

LLM_SUMMARY = (
    "Registered ICU nurse with about nine years of hospital experience in Madrid, currently a "
    "senior nurse leading night shifts. Strong in IV therapy, critical care and life support."
)


def llm_reply(**overrides: Any) -> str:
    reply: dict[str, Any] = {
        "summary": LLM_SUMMARY,
        "work": [
            {
                "title": "Senior Nurse",
                "company": "Hospital Universitario La Paz",
                "location": "Madrid",
                # Wrong on purpose: the deterministic 2019-03 must win.
                "start_date": "2017-01",
                "end_date": "Present",
                "highlights": ["Led a team of 6 nurses on the ICU night shift"],
            },
            {
                "title": "Staff Nurse",
                "company": "Clinica Ruber",
                "start_date": "2016-09",
                "end_date": "2019-02",
                "highlights": ["Phlebotomy, wound care and patient education"],
            },
            # Not in the CV: must be dropped.
            {
                "title": "Nurse Manager",
                "company": "Mayo Clinic",
                "start_date": "2010-01",
                "end_date": "2012-06",
                "highlights": ["Managed 40 staff"],
            },
        ],
        "education": [
            {
                "institution": "Universidad Complutense de Madrid",
                "degree": "BSc",
                "field_of_study": "Nursing",
                "start_date": "2012",
                "end_date": "2016",
            },
            {"institution": "Harvard Medical School", "degree": "MD"},
        ],
        # "bls" and "EPIC EHR" are aliases of skills the offline analyzer already found;
        # "Telemetry monitoring" is in the CV but not in the taxonomy; "Neurosurgery" is made up.
        "skills": ["bls", "EPIC EHR", "Telemetry monitoring", "Neurosurgery"],
        "languages": [{"language": "Spanish", "fluency": "native"}],
        "certifications": [{"name": "ACLS", "issuer": "American Heart Association"}],
    }
    reply.update(overrides)
    return json.dumps(reply)


@pytest.fixture
def offline() -> CVAnalysis:
    return analyze_text(ExtractedText.from_plain_text(CV), today=date(2025, 6, 1))


@pytest.fixture
def fake() -> Iterator[FakeOllama]:
    with FakeOllama(models=[MODEL]) as server:
        yield server


def make_client(url: str, *, timeout: float = 5.0) -> OllamaClient:
    return OllamaClient(url, timeout=timeout, retries=1, backoff=0.01)


def make_docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def unused_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


async def test_merges_llm_output_and_keeps_deterministic_facts(
    fake: FakeOllama, offline: CVAnalysis
) -> None:
    fake.chat_replies.append(llm_reply())
    async with make_client(fake.url) as client:
        result = await analyze_with_ollama(CV, offline, client, MODEL)

    assert result.provider == "ollama" and result.model == MODEL
    assert result.summary == LLM_SUMMARY
    # Deterministic: contact, experience years, dates, score and ATS findings.
    assert result.contact == offline.contact
    assert result.total_experience_years == offline.total_experience_years == pytest.approx(8.8)
    assert result.quality_score == offline.quality_score
    assert result.ats_feedback == offline.ats_feedback
    work = result.parsed_content["work"]
    assert [(w["position"], w["name"]) for w in work] == [
        ("Senior Nurse", "Hospital Universitario La Paz"),
        ("Staff Nurse", "Clinica Ruber"),
    ]
    assert work[0]["startDate"] == "2019-03" and "endDate" not in work[0]
    assert (work[1]["startDate"], work[1]["endDate"]) == ("2016-09", "2019-02")
    # Invented entries are not shown, and that is recorded.
    institutions = [e["institution"] for e in result.parsed_content["education"]]
    assert institutions == ["Universidad Complutense de Madrid"]
    assert any("ignored 2 entries" in w for w in result.warnings)
    assert result.parsed_content["basics"]["email"] == "maria.lopez@example.com"


async def test_llm_skills_are_canonicalised_and_grounded(
    fake: FakeOllama, offline: CVAnalysis
) -> None:
    fake.chat_replies.append(llm_reply())
    async with make_client(fake.url) as client:
        result = await analyze_with_ollama(CV, offline, client, MODEL)

    names = [s.name for s in result.skills]
    offline_names = [s.name for s in offline.skills]
    # Aliases map onto the taxonomy's names, so nothing is duplicated.
    assert "Basic Life Support" in offline_names and "Epic Systems" in offline_names
    assert "bls" not in names and "EPIC EHR" not in names
    assert names.count("Basic Life Support") == 1 and names.count("Epic Systems") == 1
    # Offline skills all stay, in their order; grounded unknown skills are added after them.
    assert names[: len(offline_names)] == offline_names
    added = result.skills[len(offline_names) :]
    assert [(s.name, s.category, s.evidence) for s in added] == [
        ("Telemetry monitoring", "Other", "other")
    ]
    assert "Neurosurgery" not in names
    groups = {g["name"]: g["keywords"] for g in result.parsed_content["skills"]}
    assert "Telemetry monitoring" in groups["Other"]


async def test_ambiguous_skill_found_by_the_llm_gets_the_canonical_name(
    fake: FakeOllama,
) -> None:
    text = (
        "Alex Kim\nalex@example.org\n\nExperience\nBackend Engineer, Acme Ltd\n2020 - 2023\n"
        "- Wrote backend services in go and deployed them on k8s\n"
    )
    offline = analyze_text(ExtractedText.from_plain_text(text), today=date(2025, 6, 1))
    assert "Go" not in [s.name for s in offline.skills]
    fake.chat_replies.append(llm_reply(summary="Backend engineer.", skills=["golang", "K8s"]))
    async with make_client(fake.url) as client:
        result = await analyze_with_ollama(text, offline, client, MODEL)
    go = [s for s in result.skills if s.name == "Go"]
    assert len(go) == 1 and go[0].category == "Programming languages"
    assert [s.name for s in result.skills].count("Kubernetes") == 1
    # Too short to be a useful summary: the offline one stays.
    assert result.summary == offline.summary


async def test_sends_schema_and_the_cv_text(fake: FakeOllama, offline: CVAnalysis) -> None:
    fake.chat_replies.append(llm_reply())
    async with make_client(fake.url) as client:
        await analyze_with_ollama(CV, offline, client, MODEL)
    [request] = fake.requests_to("/api/chat")
    assert request["stream"] is False
    assert set(request["format"]["properties"]) == set(LlmCVExtraction.model_fields)
    assert request["options"]["num_ctx"] >= 8192
    assert "Hospital Universitario La Paz" in request["messages"][-1]["content"]


def test_prompt_is_bounded() -> None:
    messages = build_extraction_messages("line of text\n" * 10_000, max_chars=5_000)
    assert len(messages[-1]["content"]) < 5_200
    assert "cut" in messages[-1]["content"]


async def test_falls_back_when_ollama_is_down(offline: CVAnalysis) -> None:
    async with make_client(unused_url()) as client:
        result = await analyze_with_ollama(CV, offline, client, MODEL)
    assert result.provider == "offline"
    assert result.warnings[-1].startswith("ollama unavailable: cannot reach")
    assert result.warnings[-1].endswith(FALLBACK_SUFFIX)
    assert result.model_dump(exclude={"warnings"}) == offline.model_dump(exclude={"warnings"})


async def test_falls_back_on_timeout(fake: FakeOllama, offline: CVAnalysis) -> None:
    fake.delay = 1.5
    async with make_client(fake.url, timeout=0.3) as client:
        result = await analyze_with_ollama(CV, offline, client, MODEL)
    assert result.provider == "offline"
    assert "did not answer within 0.3s" in result.warnings[-1]


async def test_invalid_llm_json_is_retried_then_falls_back(
    fake: FakeOllama, offline: CVAnalysis
) -> None:
    fake.chat_replies.extend(['{"summary": 42, "work": "none"}', "Sure! Here is the CV:"])
    async with make_client(fake.url) as client:
        result = await analyze_with_ollama(CV, offline, client, MODEL)
    assert len(fake.requests_to("/api/chat")) == 2
    assert result.provider == "offline" and result.summary == offline.summary
    assert "invalid structured output" in result.warnings[-1]
    assert result.warnings[-1].endswith(FALLBACK_SUFFIX)


async def test_invalid_then_valid_json_succeeds(fake: FakeOllama, offline: CVAnalysis) -> None:
    fake.chat_replies.extend(["{not json", llm_reply()])
    async with make_client(fake.url) as client:
        result = await analyze_with_ollama(CV, offline, client, MODEL)
    assert result.provider == "ollama" and result.summary == LLM_SUMMARY


async def test_missing_model_falls_back(fake: FakeOllama, offline: CVAnalysis) -> None:
    async with make_client(fake.url) as client:
        result = await analyze_with_ollama(CV, offline, client, "mistral:7b")
    assert result.provider == "offline"
    assert 'model "mistral:7b" not found' in result.warnings[-1]


async def test_analyze_cv_with_ollama_on_a_real_docx(fake: FakeOllama) -> None:
    fake.chat_replies.append(llm_reply())
    async with make_client(fake.url) as client:
        result = await analyze_cv(
            make_docx(CV), "docx", provider="ollama", client=client, chat_model=MODEL
        )
    assert result.provider == "ollama" and result.model == MODEL
    assert result.summary == LLM_SUMMARY
    assert result.contact.email == "maria.lopez@example.com"
    assert result.contact.phone_e164 == "+34612345678"
    assert "Clinica Ruber" in fake.requests_to("/api/chat")[0]["messages"][-1]["content"]


async def test_analyze_cv_offline_does_not_call_ollama(fake: FakeOllama) -> None:
    async with make_client(fake.url) as client:
        result = await analyze_cv(
            make_docx(CV), "docx", provider="offline", client=client, chat_model=MODEL
        )
    assert result.provider == "offline" and result.model == "resumate-offline-1"
    assert result.warnings == []
    assert fake.requests == []


async def test_analyze_cv_records_the_fallback(fake: FakeOllama) -> None:
    fake.fail_next = 10
    async with make_client(fake.url) as client:
        result = await analyze_cv(
            make_docx(CV), "docx", provider="ollama", client=client, chat_model=MODEL
        )
    assert result.provider == "offline"
    assert result.warnings[-1].startswith("ollama unavailable: ")
    assert "500" in result.warnings[-1]
    assert result.total_experience_years > 8

    no_client = await analyze_cv(
        make_docx(CV), "docx", provider="ollama", client=None, chat_model=None
    )
    assert no_client.provider == "offline"
    assert "no Ollama client" in no_client.warnings[-1]
