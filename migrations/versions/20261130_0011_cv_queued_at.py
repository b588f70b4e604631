"""cvs.queued_at: when the current analysis was asked for (the analysis deadline counts from it)

Revision ID: 0011
Revises: 0006
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "cvs",
        sa.Column(
            "queued_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.execute("UPDATE cvs SET queued_at = uploaded_at")
    op.create_index(
        "ix_cvs_unfinished_queued_at",
        "cvs",
        ["queued_at"],
        postgresql_where=sa.text("status IN ('pending', 'processing')"),
    )


def downgrade() -> None:
    op.drop_index("ix_cvs_unfinished_queued_at", table_name="cvs")
    op.drop_column("cvs", "queued_at")
