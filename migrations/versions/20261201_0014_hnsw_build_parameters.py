"""HNSW indexes of embeddings rebuilt with m=32, ef_construction=128

Revision ID: 0014
Revises: 0018
Create Date: 2026-12-01

With pgvector's default graph (m=16, ef_construction=64) and 100,000 job ads in one account,
the nearest ad of some CVs was unreachable from where the search entered the graph: mean
recall@20 0.96, 0.75 for the worst queries, whatever ef_search. A denser graph fixes most of
it (benchmarks/RESULTS.md, issue 13). Every per-model index (``ix_embeddings_hnsw_*``, made by
migration 0004 or by ``embeddings.service.ensure_index``) gets the new parameters and is
rebuilt; writes to ``embeddings`` wait while it is (about 2-3 minutes per 100,000 vectors on two
cores).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

M = 32
EF_CONSTRUCTION = 128


def _hnsw_indexes() -> list[str]:
    rows = op.get_bind().execute(
        sa.text(
            "SELECT c.relname FROM pg_class c JOIN pg_am a ON a.oid = c.relam "
            "JOIN pg_index i ON i.indexrelid = c.oid "
            "WHERE a.amname = 'hnsw' AND i.indrelid = 'embeddings'::regclass "
            "AND c.relname LIKE 'ix\\_embeddings\\_hnsw\\_%' ORDER BY c.relname"
        )
    )
    return [row[0] for row in rows]


def upgrade() -> None:
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for name in _hnsw_indexes():
        op.execute(f'ALTER INDEX "{name}" SET (m = {M}, ef_construction = {EF_CONSTRUCTION})')
        op.execute(f'REINDEX INDEX "{name}"')


def downgrade() -> None:
    for name in _hnsw_indexes():
        op.execute(f'ALTER INDEX "{name}" RESET (m, ef_construction)')
        op.execute(f'REINDEX INDEX "{name}"')
