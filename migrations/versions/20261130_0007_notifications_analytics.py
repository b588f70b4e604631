"""notifications (in-app, live, mail settings) and analytics rollups

Revision ID: 0007
Revises: 0011
Create Date: 2026-11-30

Notifications carry a global sequence number: it is the Server-Sent Events id, so a client that
reconnects with ``Last-Event-ID`` gets everything after it. An insert trigger announces each new
notification with ``pg_notify`` (delivered at commit, never for a rolled-back one); a trigger on
``auth_sessions`` announces revoked or deleted sessions so their open streams end.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOTIFY_FUNCTIONS = """
CREATE FUNCTION resumate_notification_created() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('resumate_notifications', NEW.user_id::text || ':' || NEW.seq::text);
    RETURN NULL;
END $$;

CREATE TRIGGER notifications_announce AFTER INSERT ON notifications
    FOR EACH ROW EXECUTE FUNCTION resumate_notification_created();

CREATE FUNCTION resumate_session_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('resumate_sessions', OLD.id::text);
    RETURN NULL;
END $$;

CREATE TRIGGER auth_sessions_revoked AFTER UPDATE OF revoked_at ON auth_sessions
    FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
    EXECUTE FUNCTION resumate_session_ended();

CREATE TRIGGER auth_sessions_deleted AFTER DELETE ON auth_sessions
    FOR EACH ROW EXECUTE FUNCTION resumate_session_ended();
"""


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(500)),
        sa.Column(
            "data", postgresql.JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")
        ),
        sa.Column("dedupe_key", sa.String(200)),
        sa.Column("read_at", sa.DateTime(timezone=True)),
        sa.Column("email_state", sa.String(10), nullable=False, server_default="none"),
        sa.Column("emailed_at", sa.DateTime(timezone=True)),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.UniqueConstraint("seq", name="uq_notifications_seq"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], ondelete="CASCADE", name="fk_notifications_user_id_users"
        ),
    )
    op.create_index("ix_notifications_user_seq", "notifications", ["user_id", "seq"])
    op.create_index(
        "ix_notifications_unread",
        "notifications",
        ["user_id"],
        postgresql_where=sa.text("read_at IS NULL"),
    )
    op.create_index(
        "uq_notifications_dedupe",
        "notifications",
        ["user_id", "dedupe_key"],
        unique=True,
        postgresql_where=sa.text("dedupe_key IS NOT NULL"),
    )
    op.create_index(
        "ix_notifications_mail",
        "notifications",
        ["user_id", "kind", "emailed_at"],
        postgresql_where=sa.text("email_state <> 'none'"),
    )

    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("language", sa.String(10), nullable=False, server_default="en"),
        sa.Column(
            "email", postgresql.JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("user_id", name="pk_notification_settings"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            ondelete="CASCADE",
            name="fk_notification_settings_user_id_users",
        ),
    )

    # Analytics: raw events are pruned after the retention period; these rollups stay.
    op.execute(
        "UPDATE analytics_events SET event = 'share_' || event || 'ed' "
        "WHERE resource_type = 'resume' AND event IN ('view', 'download')"
    )
    op.create_index("ix_analytics_events_created_at", "analytics_events", ["created_at"])
    op.create_index("ix_analytics_events_event", "analytics_events", ["event", "created_at"])
    op.create_table(
        "analytics_daily",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("event", sa.String(30), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "day", "event", name="pk_analytics_daily"),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], ondelete="CASCADE", name="fk_analytics_daily_owner_id_users"
        ),
    )
    op.create_table(
        "analytics_resource_daily",
        sa.Column("resource_type", sa.String(30), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("event", sa.String(30), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "resource_type", "resource_id", "event", "day", name="pk_analytics_resource_daily"
        ),
    )
    op.create_table(
        "analytics_platform_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("event", sa.String(30), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("users", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "event", name="pk_analytics_platform_daily"),
    )
    op.create_table(
        "analytics_rollup_state",
        sa.Column("id", sa.Integer(), nullable=False),
        # Days before this one are in the rollups; raw events from it on are read directly.
        sa.Column("rolled_until", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_analytics_rollup_state"),
        sa.CheckConstraint("id = 1", name="ck_analytics_rollup_state_single"),
    )
    op.execute(
        "INSERT INTO analytics_rollup_state (id, rolled_until) "
        "SELECT 1, coalesce(min(created_at AT TIME ZONE 'UTC')::date, current_date) "
        "FROM analytics_events"
    )
    op.execute(NOTIFY_FUNCTIONS)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS auth_sessions_deleted ON auth_sessions")
    op.execute("DROP TRIGGER IF EXISTS auth_sessions_revoked ON auth_sessions")
    op.execute("DROP FUNCTION IF EXISTS resumate_session_ended()")
    op.drop_table("analytics_rollup_state")
    op.drop_table("analytics_platform_daily")
    op.drop_table("analytics_resource_daily")
    op.drop_table("analytics_daily")
    op.drop_index("ix_analytics_events_event", table_name="analytics_events")
    op.drop_index("ix_analytics_events_created_at", table_name="analytics_events")
    op.drop_table("notification_settings")
    op.drop_table("notifications")
    op.execute("DROP FUNCTION IF EXISTS resumate_notification_created()")
