"""mail outbox: rendered messages wait here for their send_email job

Revision ID: 0018
Revises: 0007
Create Date: 2026-12-01

The send_email job used to carry the whole message (subject, text, html) in its arguments,
which procrastinate keeps in ``procrastinate_jobs`` after the job has finished: one-time links
(password reset, email verification) stayed readable there. The job now carries the id of a
``mail_outbox`` row, deleted once the message is delivered.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0018"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("headers", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    op.create_index("ix_mail_outbox_created_at", "mail_outbox", ["created_at"])
    # Finished mail jobs keep their arguments; drop the message bodies (one-time links) from
    # the ones already done. Jobs still waiting keep theirs and are sent as before.
    op.execute(
        "UPDATE procrastinate_jobs SET args = args - 'subject' - 'text' - 'html' - 'headers' "
        "WHERE task_name = 'send_email' AND status IN ('succeeded', 'failed', 'cancelled', 'aborted')"
    )


def downgrade() -> None:
    op.drop_index("ix_mail_outbox_created_at", table_name="mail_outbox")
    op.drop_table("mail_outbox")
