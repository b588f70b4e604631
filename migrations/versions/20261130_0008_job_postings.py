"""jobs: facts read from the ad (languages, salary currency and period, location, seniority,
language, parts, duty skills), skill ids in an integer array, and a narrow table of the active
ads' skill ids with a GIN index for the keyword stage of matching

Revision ID: 0008
Revises: 0005
Create Date: 2026-11-30
"""

import re
import zlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _skill_id(name: str) -> int:
    # Same as resumate.ai.jobs.skill_id without the alias lookup: existing rows hold
    # canonical names already.
    key = re.sub(r"\s+", " ", name.strip().lower())
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) & 0x7FFFFFFF


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS intarray")
    op.add_column(
        "job_descriptions",
        sa.Column(
            "required_languages",
            postgresql.ARRAY(sa.String(60)),
            nullable=False,
            server_default="{}",
        ),
    )
    op.add_column(
        "job_descriptions",
        sa.Column(
            "duty_skills", postgresql.ARRAY(sa.String(100)), nullable=False, server_default="{}"
        ),
    )
    op.add_column("job_descriptions", sa.Column("salary_currency", sa.String(3)))
    op.add_column("job_descriptions", sa.Column("salary_period", sa.String(5)))
    op.add_column("job_descriptions", sa.Column("location", sa.String(200)))
    op.add_column("job_descriptions", sa.Column("seniority", sa.String(10)))
    op.add_column("job_descriptions", sa.Column("language", sa.String(5)))
    op.add_column(
        "job_descriptions",
        sa.Column("posting_parts", postgresql.JSONB(), nullable=False, server_default="[]"),
    )
    op.add_column(
        "job_descriptions",
        sa.Column("skill_ids", postgresql.ARRAY(sa.Integer()), nullable=False, server_default="{}"),
    )
    op.create_check_constraint(
        op.f("ck_job_descriptions_salary_period"),
        "job_descriptions",
        "salary_period IS NULL OR salary_period IN ('year', 'month', 'hour')",
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, required_skills, nice_to_have_skills FROM job_descriptions")
    ).fetchall()
    for row in rows:
        ids = sorted({_skill_id(n) for n in [*(row[1] or []), *(row[2] or [])] if n.strip()})
        bind.execute(
            sa.text("UPDATE job_descriptions SET skill_ids = :ids WHERE id = :id"),
            {"ids": ids, "id": row[0]},
        )
    # The keyword stage of matching reads this narrow copy of the active ads' skill ids: an
    # overlap count over the thousands of ads sharing a skill with a CV stays in a few MB
    # instead of touching the wide job rows (text, tsvector) one page each.
    op.create_table(
        "job_skill_sets",
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("skill_ids", postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.PrimaryKeyConstraint("job_id", name="pk_job_skill_sets"),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["job_descriptions.id"],
            ondelete="CASCADE",
            name="fk_job_skill_sets_job_id_job_descriptions",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], ondelete="CASCADE", name="fk_job_skill_sets_user_id_users"
        ),
    )
    op.execute(
        "INSERT INTO job_skill_sets (job_id, user_id, skill_ids) "
        "SELECT id, user_id, skill_ids FROM job_descriptions WHERE is_active"
    )
    op.execute(
        "CREATE INDEX ix_job_skill_sets_skill_ids ON job_skill_sets "
        "USING gin (skill_ids gin__int_ops)"
    )


def downgrade() -> None:
    op.drop_table("job_skill_sets")
    op.drop_constraint("ck_job_descriptions_salary_period", "job_descriptions", type_="check")
    for column in (
        "skill_ids",
        "posting_parts",
        "language",
        "seniority",
        "location",
        "salary_period",
        "salary_currency",
        "required_languages",
        "duty_skills",
    ):
        op.drop_column("job_descriptions", column)
