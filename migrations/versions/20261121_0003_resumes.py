"""resumes: templates (built-ins seeded), resumes, rendered PDFs, analytics events

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The built-in templates as shipped when this migration was written; their files live in
# src/resumate/rendering/templates/<slug>. Ids are uuid5(URL, "resumate:template:<slug>").
BUILTINS = [
    ("classic", "Classic", "Single column, refined typography: the safe choice for any field."),
    ("modern", "Modern", "A sidebar with contact details and skills, and an accent colour."),
    ("compact", "Compact", "Dense and tidy: fits a full career on one page."),
    ("academic", "Academic", "A CV for research careers: education first, publications in full."),
]


def _ts() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def upgrade() -> None:
    templates = op.create_table(
        "templates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False, server_default=""),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("is_builtin", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("main_source", sa.LargeBinary()),
        sa.Column("assets_zip", sa.LargeBinary()),
        sa.Column("preview_png", sa.LargeBinary()),
        *_ts(),
        sa.PrimaryKeyConstraint("id", name="pk_templates"),
        sa.UniqueConstraint("slug", name="uq_templates_slug"),
    )
    op.bulk_insert(
        templates,
        [
            {
                "id": uuid.uuid5(uuid.NAMESPACE_URL, f"resumate:template:{slug}"),
                "slug": slug,
                "name": name,
                "description": description,
                "version": 1,
                "is_builtin": True,
                "is_active": True,
            }
            for slug, name, description in BUILTINS
        ],
    )
    op.create_table(
        "resumes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("template_id", sa.Uuid()),
        sa.Column("data", postgresql.JSONB(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("share_slug", sa.String(32)),
        sa.Column("share_enabled", sa.Boolean(), nullable=False, server_default=sa.false()),
        *_ts(),
        sa.PrimaryKeyConstraint("id", name="pk_resumes"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], ondelete="CASCADE", name="fk_resumes_user_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["templates.id"],
            ondelete="SET NULL",
            name="fk_resumes_template_id_templates",
        ),
        sa.UniqueConstraint("share_slug", name="uq_resumes_share_slug"),
    )
    op.create_index("ix_resumes_user_id", "resumes", ["user_id"])
    op.create_table(
        "resume_pdfs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resume_id", sa.Uuid(), nullable=False),
        sa.Column("template_id", sa.Uuid()),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("template_digest", sa.String(64), nullable=False),
        sa.Column("data_sha256", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(300), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name="pk_resume_pdfs"),
        sa.ForeignKeyConstraint(
            ["resume_id"],
            ["resumes.id"],
            ondelete="CASCADE",
            name="fk_resume_pdfs_resume_id_resumes",
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["templates.id"],
            ondelete="SET NULL",
            name="fk_resume_pdfs_template_id_templates",
        ),
        sa.UniqueConstraint(
            "resume_id", "template_digest", "data_sha256", name="uq_resume_pdfs_render_key"
        ),
    )
    op.create_index("ix_resume_pdfs_resume_id", "resume_pdfs", ["resume_id"])
    op.create_table(
        "analytics_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("owner_id", sa.Uuid()),
        sa.Column("resource_type", sa.String(30), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("event", sa.String(30), nullable=False),
        sa.Column(
            "meta", postgresql.JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")
        ),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name="pk_analytics_events"),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            ondelete="CASCADE",
            name="fk_analytics_events_owner_id_users",
        ),
    )
    op.create_index(
        "ix_analytics_events_resource",
        "analytics_events",
        ["resource_type", "resource_id", "event", "created_at"],
    )
    op.create_index("ix_analytics_events_owner", "analytics_events", ["owner_id", "created_at"])


def downgrade() -> None:
    op.drop_table("analytics_events")
    op.drop_table("resume_pdfs")
    op.drop_table("resumes")
    op.drop_table("templates")
