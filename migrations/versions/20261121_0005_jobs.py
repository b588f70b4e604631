"""jobs: job descriptions with full-text search, and cached match results

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_descriptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("company", sa.String(200)),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("location_type", sa.String(10), nullable=False),
        sa.Column("salary_min", sa.Integer()),
        sa.Column("salary_max", sa.Integer()),
        sa.Column(
            "required_skills", postgresql.ARRAY(sa.String(100)), nullable=False, server_default="{}"
        ),
        sa.Column(
            "nice_to_have_skills",
            postgresql.ARRAY(sa.String(100)),
            nullable=False,
            server_default="{}",
        ),
        sa.Column("min_experience_years", sa.Numeric(4, 1)),
        sa.Column(
            "extracted_fields", postgresql.ARRAY(sa.String(40)), nullable=False, server_default="{}"
        ),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
                "setweight(to_tsvector('simple', coalesce(description, '')), 'B')",
                persisted=True,
            ),
        ),
        sa.PrimaryKeyConstraint("id", name="pk_job_descriptions"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], ondelete="CASCADE", name="fk_job_descriptions_user_id_users"
        ),
        sa.CheckConstraint(
            "location_type IN ('remote', 'hybrid', 'on-site')", name="location_type"
        ),
        sa.CheckConstraint(
            "salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max",
            name="salary_order",
        ),
    )
    op.create_index("ix_job_descriptions_user_id", "job_descriptions", ["user_id"])
    op.create_index(
        "ix_job_descriptions_search_vector",
        "job_descriptions",
        ["search_vector"],
        postgresql_using="gin",
    )
    op.create_table(
        "match_results",
        sa.Column("cv_id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("result", postgresql.JSONB(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("cv_id", "job_id", name="pk_match_results"),
        sa.ForeignKeyConstraint(
            ["cv_id"], ["cvs.id"], ondelete="CASCADE", name="fk_match_results_cv_id_cvs"
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["job_descriptions.id"],
            ondelete="CASCADE",
            name="fk_match_results_job_id_job_descriptions",
        ),
    )
    op.create_index("ix_match_results_job_id", "match_results", ["job_id"])


def downgrade() -> None:
    op.drop_table("match_results")
    op.drop_table("job_descriptions")
