"""cvs and embeddings: uploaded CVs with their analysis, vectors per model with HNSW

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from pgvector.sqlalchemy import Vector
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cvs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("storage_key", sa.String(300), nullable=False),
        sa.Column("file_kind", sa.String(10), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="pending"),
        sa.Column("error", sa.Text()),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column(
            "uploaded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("processing_started_at", sa.DateTime(timezone=True)),
        sa.Column("analyzed_at", sa.DateTime(timezone=True)),
        sa.Column("parsed_content", postgresql.JSONB()),
        sa.Column("summary", sa.Text()),
        sa.Column("quality_score", sa.Integer()),
        sa.Column("quality_breakdown", postgresql.JSONB()),
        sa.Column("ats_compatibility_feedback", postgresql.JSONB()),
        sa.Column("extracted_skills", postgresql.ARRAY(sa.String(100))),
        sa.Column("skills_detail", postgresql.JSONB()),
        sa.Column("total_experience_years", sa.Numeric(4, 1)),
        sa.Column("sections", postgresql.ARRAY(sa.String(40))),
        sa.Column("contact", postgresql.JSONB()),
        sa.Column("language", sa.String(10)),
        sa.Column("provider", sa.String(40)),
        sa.Column("model", sa.String(100)),
        sa.Column("warnings", postgresql.JSONB()),
        sa.Column("text_content", sa.Text()),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed("to_tsvector('simple', coalesce(text_content, ''))", persisted=True),
        ),
        sa.PrimaryKeyConstraint("id", name="pk_cvs"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], ondelete="CASCADE", name="fk_cvs_user_id_users"
        ),
        sa.CheckConstraint("status IN ('pending', 'processing', 'ready', 'failed')", name="status"),
    )
    op.create_index("ix_cvs_user_id", "cvs", ["user_id"])
    op.create_index(
        "ix_cvs_status",
        "cvs",
        ["status"],
        postgresql_where=sa.text("status IN ('pending', 'processing')"),
    )
    op.create_index("ix_cvs_search_vector", "cvs", ["search_vector"], postgresql_using="gin")

    op.create_table(
        "embeddings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("resource_type", sa.String(20), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("model", sa.String(100), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("embedding", Vector(), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name="pk_embeddings"),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], ondelete="CASCADE", name="fk_embeddings_owner_id_users"
        ),
        sa.UniqueConstraint(
            "resource_type", "resource_id", "model", name="uq_embeddings_resource_model"
        ),
        sa.CheckConstraint("vector_dims(embedding) = dim", name="dim"),
    )
    op.create_index("ix_embeddings_owner_id", "embeddings", ["owner_id"])
    op.create_index("ix_embeddings_resource", "embeddings", ["resource_type", "resource_id"])
    # One partial HNSW index per model (cosine distance); `resumate reembed` adds others.
    for name, model, dim in (
        ("ix_embeddings_hnsw_all_minilm_l6_v2_int8_384", "all-MiniLM-L6-v2-int8", 384),
        ("ix_embeddings_hnsw_ollama_nomic_embed_text_768", "ollama:nomic-embed-text", 768),
    ):
        op.execute(
            f"CREATE INDEX {name} ON embeddings USING hnsw "
            f"((embedding::vector({dim})) vector_cosine_ops) WHERE model = '{model}'"
        )


def downgrade() -> None:
    op.drop_table("embeddings")
    op.drop_table("cvs")
