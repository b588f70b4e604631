"""`resumate reembed`: backfill of missing or stale vectors, per model, without losing others."""

from __future__ import annotations

import httpx
from sqlalchemy import text

from resumate.ai.embeddings import get_local_embedder
from resumate.modules.embeddings import service as embedding_service
from tests.cvs.files import make_pdf
from tests.cvs.test_router import analyse, upload
from tests.factories import new_user_headers


class FakeModel:
    """A second 'model' (deterministic vectors) to show vectors of several models coexist."""

    model = "test-hash-8"
    dim = 8

    async def embed(self, texts: list[str]) -> list[list[float]]:
        return [[float((hash(t) >> i) & 1) + 0.1 for i in range(8)] for t in texts]


async def test_backfill_per_model(client: httpx.AsyncClient, session, database) -> None:  # type: ignore[no-untyped-def]
    import resumate.modules.cvs.service  # noqa: F401 - registers the CV text source

    _, headers = await new_user_headers(client)
    cv_id = (await upload(client, headers, make_pdf())).json()["data"]["id"]
    await analyse(client, session, headers, cv_id)
    local = get_local_embedder()
    await session.execute(text("DELETE FROM embeddings WHERE resource_id = :id"), {"id": cv_id})

    written = await embedding_service.backfill(database.sessionmaker, local)
    assert written["cv"] >= 1
    again = await embedding_service.backfill(database.sessionmaker, local)
    assert again["cv"] == 0  # nothing stale: nothing recomputed
    other = await embedding_service.backfill(database.sessionmaker, FakeModel())
    assert other["cv"] >= 1
    models = set(
        (
            await session.execute(
                text("SELECT model FROM embeddings WHERE resource_id = :id"), {"id": cv_id}
            )
        ).scalars()
    )
    assert models == {local.model, "test-hash-8"}
    index = (
        await session.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = :n"),
            {"n": embedding_service.index_name("test-hash-8", 8)},
        )
    ).scalar_one()
    assert "hnsw" in index and "vector(8)" in index
