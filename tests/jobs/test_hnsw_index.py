"""The embeddings' HNSW indexes are built with the service's graph parameters: by migration
0014 for the indexes that existed, by ``ensure_index`` for a model's new one; the migration
goes down and up again."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from alembic import command
from sqlalchemy import text

from resumate.core.db import libpq_url
from resumate.core.migrations import alembic_config, upgrade
from resumate.modules.embeddings import service as embedding_service

OPTIONS = [
    f"m={embedding_service.HNSW_M}",
    f"ef_construction={embedding_service.HNSW_EF_CONSTRUCTION}",
]


def hnsw_options(url: str) -> dict[str, list[str] | None]:
    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT c.relname, c.reloptions FROM pg_class c JOIN pg_am a ON a.oid = c.relam "
            "WHERE a.amname = 'hnsw' AND c.relname LIKE 'ix_embeddings_hnsw_%'"
        ).fetchall()
    return {str(name): options for name, options in rows}


def test_migration_sets_the_graph_parameters_and_goes_back(database_url: str) -> None:
    found = hnsw_options(database_url)
    assert "ix_embeddings_hnsw_all_minilm_l6_v2_int8_384" in found
    assert all(options == OPTIONS for options in found.values()), found
    try:
        command.downgrade(alembic_config(database_url), "0018")
        assert all(options is None for options in hnsw_options(database_url).values())
    finally:
        upgrade(database_url)
    assert all(options == OPTIONS for options in hnsw_options(database_url).values())


@pytest.mark.parametrize("dim", [8])
async def test_a_new_models_index_gets_them_too(session: Any, database_url: str, dim: int) -> None:
    model = "test:hnsw-params-ü"
    await embedding_service.ensure_index(session, model=model, dim=dim)
    await session.flush()
    name = embedding_service.index_name(model, dim)
    options = (
        await session.execute(
            text("SELECT reloptions FROM pg_class WHERE relname = :n"), {"n": name}
        )
    ).scalar_one()
    assert options == OPTIONS
