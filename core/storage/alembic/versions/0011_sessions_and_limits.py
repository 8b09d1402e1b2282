"""One person cannot stop the box: sessions kept by the server, so that signing out, a
new code or a move-out ends them at once; failed attempts that leak away instead of
counting in fixed windows.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 01:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("profile_id", sa.String(32), nullable=True),
        sa.Column("staff_id", sa.String(32), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_sessions_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_sessions_staff_id_staff"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    op.create_index("ix_sessions_profile_id", "sessions", ["profile_id"])
    op.create_index("ix_sessions_staff_id", "sessions", ["staff_id"])
    op.create_index("ix_sessions_ends_at", "sessions", ["ends_at"])
    # Counts of failures in fixed windows cannot be turned into leaking ones; they last
    # minutes at most, so the table starts empty.
    op.drop_table("rate_limits")
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("clear_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limits")),
    )


def downgrade() -> None:
    op.drop_table("rate_limits")
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("window_start", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limits")),
    )
    op.drop_index("ix_sessions_ends_at", table_name="sessions")
    op.drop_index("ix_sessions_staff_id", table_name="sessions")
    op.drop_index("ix_sessions_profile_id", table_name="sessions")
    op.drop_table("sessions")
