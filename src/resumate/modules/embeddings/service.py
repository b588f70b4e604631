"""Vectors per (resource, model), the embedder chosen by configuration, and per-model HNSW
indexes."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from sqlalchemy import delete, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resumate.ai.embeddings import Embedder
from resumate.config import Settings, get_settings
from resumate.modules.embeddings.models import Embedding

if TYPE_CHECKING:
    from resumate.ai.providers.ollama import OllamaClient

_INDEX_NAME_RE = re.compile(r"[^a-z0-9]+")
# HNSW graph build parameters (pgvector's defaults are m=16, ef_construction=64). With 100,000
# job ads in one account, many of them near-copies, the default graph left the best ad of some
# CVs unreachable (recall@20 0.96 on average, 0.75 for the worst queries); m=32 with
# ef_construction=128 gives 0.99 on average at a lower ef_search, for a 4% larger index and a
# slower build (benchmarks/bench_retrieval.py, benchmarks/RESULTS.md). Migration 0014 rebuilt
# the existing indexes with them.
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 128


# Ollama embedders by (host, model, dim, timeout): each holds one HTTP client (a keep-alive
# connection pool) for the life of the process, closed by ``close_embedders`` at shutdown.
_ollama_embedders: dict[tuple[str, str, int, float], Embedder] = {}
_ollama_clients: list[OllamaClient] = []


def _ollama_embedder(host: str, model: str, dim: int, timeout: float) -> Embedder:
    from resumate.ai.providers.ollama import OllamaClient, OllamaEmbedder

    key = (host, model, dim, timeout)
    embedder = _ollama_embedders.get(key)
    if embedder is None:
        client = OllamaClient(host, timeout=timeout)
        _ollama_clients.append(client)
        embedder = _ollama_embedders[key] = OllamaEmbedder(client, model, dim)
    return embedder


async def close_embedders() -> None:
    """Close the HTTP clients of the Ollama embedders (server and worker shutdown)."""
    clients = list(_ollama_clients)
    _ollama_clients.clear()
    _ollama_embedders.clear()
    for client in clients:
        await client.aclose()


def get_embedder(settings: Settings | None = None) -> Embedder:
    """The configured embedder: local MiniLM by default, Ollama's when the provider is ollama."""
    settings = settings or get_settings()
    if settings.ai_provider == "ollama":
        return _ollama_embedder(
            settings.ollama_host,
            settings.ollama_embed_model,
            settings.ollama_embed_dim,
            settings.ollama_timeout,
        )
    from resumate.ai.embeddings import get_local_embedder

    return get_local_embedder()


def content_digest(text_: str) -> str:
    return hashlib.sha256(text_.encode()).hexdigest()


def index_name(model: str, dim: int) -> str:
    slug = _INDEX_NAME_RE.sub("_", model.lower()).strip("_")[:40]
    return f"ix_embeddings_hnsw_{slug}_{dim}"


async def ensure_index(session: AsyncSession, *, model: str, dim: int) -> None:
    """A partial HNSW index for one model's vectors (cosine distance)."""
    if not 1 <= dim <= 4000:
        raise ValueError("HNSW supports 1 to 4000 dimensions")
    name = index_name(model, dim)
    literal = model.replace("'", "''")
    await session.execute(
        text(
            f"CREATE INDEX IF NOT EXISTS {name} ON embeddings USING hnsw "
            f"((embedding::vector({dim})) vector_cosine_ops) "
            f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION}) "
            f"WHERE model = '{literal}'"
        )
    )


async def store(
    session: AsyncSession,
    *,
    owner_id: uuid.UUID,
    resource_type: str,
    resource_id: uuid.UUID,
    model: str,
    vector: list[float],
    content_sha256: str,
) -> None:
    stmt = insert(Embedding).values(
        id=uuid.uuid4(),
        owner_id=owner_id,
        resource_type=resource_type,
        resource_id=resource_id,
        model=model,
        dim=len(vector),
        embedding=vector,
        content_sha256=content_sha256,
    )
    stmt = stmt.on_conflict_do_update(
        constraint="uq_embeddings_resource_model",
        set_={
            "embedding": stmt.excluded.embedding,
            "dim": stmt.excluded.dim,
            "content_sha256": stmt.excluded.content_sha256,
            "created_at": text("now()"),
        },
    )
    await session.execute(stmt)


async def get_vector(
    session: AsyncSession, *, resource_type: str, resource_id: uuid.UUID, model: str
) -> list[float] | None:
    row = (
        await session.execute(
            select(Embedding.embedding).where(
                Embedding.resource_type == resource_type,
                Embedding.resource_id == resource_id,
                Embedding.model == model,
            )
        )
    ).scalar_one_or_none()
    return [float(x) for x in row] if row is not None else None


async def delete_for(session: AsyncSession, *, resource_type: str, resource_id: uuid.UUID) -> None:
    await session.execute(
        delete(Embedding).where(
            Embedding.resource_type == resource_type, Embedding.resource_id == resource_id
        )
    )


# Sources of text to embed, by resource type: async (session, after_id, limit) -> rows of
# (id, owner_id, text). Features register theirs (CVs, jobs).
TextSource = Callable[
    [AsyncSession, uuid.UUID | None, int], Awaitable[list[tuple[uuid.UUID, uuid.UUID, str]]]
]
_sources: dict[str, TextSource] = {}


def register_text_source(resource_type: str, source: TextSource) -> None:
    _sources[resource_type] = source


async def backfill(
    sessionmaker: async_sessionmaker[AsyncSession],
    embedder: Embedder,
    *,
    force: bool = False,
    batch: int = 16,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, int]:
    """Embed every registered resource whose vector for ``embedder.model`` is missing or stale
    (its text changed). Returns how many vectors were written per resource type."""
    async with sessionmaker() as session, session.begin():
        await ensure_index(session, model=embedder.model, dim=embedder.dim)
    written: dict[str, int] = {}
    for resource_type, source in sorted(_sources.items()):
        written[resource_type] = 0
        seen = 0
        after: uuid.UUID | None = None
        while True:
            async with sessionmaker() as session:
                rows = await source(session, after, batch)
                if not rows:
                    break
                after = rows[-1][0]
                existing = dict(
                    (
                        await session.execute(
                            select(Embedding.resource_id, Embedding.content_sha256).where(
                                Embedding.resource_type == resource_type,
                                Embedding.model == embedder.model,
                                Embedding.resource_id.in_([r[0] for r in rows]),
                            )
                        )
                    ).all()
                )
            todo = [
                row
                for row in rows
                if row[2].strip() and (force or existing.get(row[0]) != content_digest(row[2]))
            ]
            if todo:
                vectors = await embedder.embed([row[2] for row in todo])
                async with sessionmaker() as session, session.begin():
                    for (resource_id, owner_id, text_), vector in zip(todo, vectors, strict=True):
                        await store(
                            session,
                            owner_id=owner_id,
                            resource_type=resource_type,
                            resource_id=resource_id,
                            model=embedder.model,
                            vector=vector,
                            content_sha256=content_digest(text_),
                        )
                written[resource_type] += len(todo)
            seen += len(rows)
            if progress:
                progress(resource_type, seen, written[resource_type])
    return written
