"""The CV pipeline with RESUMATE_AI_PROVIDER=ollama, against a server speaking Ollama's wire
format: the analysis and the embedding come from it, and a dead Ollama falls back offline."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text

from resumate import config
from resumate.modules.embeddings import service as embedding_service
from tests.cvs.files import CV_TEXT, make_pdf
from tests.cvs.test_router import analyse, upload
from tests.factories import new_user_headers
from tests.fakes.ollama import FakeOllama


@pytest.fixture
async def ollama(settings) -> AsyncIterator[FakeOllama]:  # type: ignore[no-untyped-def]
    with FakeOllama() as fake:
        config.set_settings(
            settings.model_copy(
                update={"ai_provider": "ollama", "ollama_host": fake.url, "ollama_timeout": 5.0}
            )
        )
        await embedding_service.close_embedders()
        try:
            yield fake
        finally:
            config.set_settings(settings)
            await embedding_service.close_embedders()


async def test_ollama_embedder_clients_are_closed_at_shutdown(ollama: FakeOllama) -> None:
    embedder = embedding_service.get_embedder()
    assert embedding_service.get_embedder() is embedder  # one client for the process
    assert len((await embedder.embed(["a nurse"]))[0]) == embedder.dim
    http = embedder.client._http  # type: ignore[attr-defined]
    assert not http.is_closed
    await embedding_service.close_embedders()
    assert http.is_closed
    assert embedding_service.get_embedder() is not embedder  # a new one after a restart


async def test_analysis_and_vectors_from_ollama(
    client: httpx.AsyncClient, session, ollama: FakeOllama
) -> None:  # type: ignore[no-untyped-def]
    ollama.chat_replies.append(
        json.dumps(
            {
                "summary": "An intensive care nurse with a decade of hospital experience and advanced life support training.",
                "work": [
                    {
                        "title": "Senior ICU Nurse",
                        "company": "Hospital Universitario La Paz",
                        "start_date": "2019-03",
                        "end_date": None,
                        "highlights": ["Led a team of 12 nurses across night shifts"],
                    }
                ],
                "education": [],
                "skills": ["Triage", "ACLS"],
                "languages": [],
                "certifications": [],
            }
        )
    )
    _, headers = await new_user_headers(client)
    cv_id = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    cv = await analyse(client, session, headers, cv_id)
    assert cv["status"] == "ready"
    assert cv["provider"] == "ollama" and cv["model"] == "llama3.1:8b"
    assert cv["summary"].startswith("An intensive care nurse")
    assert cv["contact"]["email"] == CV_TEXT["email"]  # contact stays deterministic
    assert ollama.requests_to("/api/chat") and ollama.requests_to("/api/embed")
    model = (
        await session.execute(
            text("SELECT model, dim FROM embeddings WHERE resource_id = :id"), {"id": cv_id}
        )
    ).one()
    assert tuple(model) == ("ollama:nomic-embed-text", 768)


async def test_dead_ollama_falls_back_offline(
    client: httpx.AsyncClient, session, ollama: FakeOllama
) -> None:  # type: ignore[no-untyped-def]
    ollama.fail_next = 100
    _, headers = await new_user_headers(client)
    cv_id = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    cv = await analyse(client, session, headers, cv_id)
    assert cv["status"] == "ready" and cv["provider"] == "offline"
    assert any("fell back to the offline analyzer" in w for w in cv["warnings"])
    models = set(
        (
            await session.execute(
                text("SELECT model FROM embeddings WHERE resource_id = :id"), {"id": cv_id}
            )
        ).scalars()
    )
    assert models == {"all-MiniLM-L6-v2-int8"}  # the local model stood in for the embedding
