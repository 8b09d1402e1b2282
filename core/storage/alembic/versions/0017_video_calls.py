"""Video calls between tenants: who takes them, and the calls rung.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-09 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite and PostgreSQL both take it with a default): the table is
    # not copied, so its triggers stay as they are.
    op.add_column(
        "profiles", sa.Column("accepts_calls", sa.Boolean(), nullable=False, server_default="0")
    )
    op.create_table(
        "calls",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("caller_profile_id", sa.String(32), nullable=False),
        sa.Column("callee_profile_id", sa.String(32), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime()),
        sa.ForeignKeyConstraint(
            ["caller_profile_id"],
            ["profiles.id"],
            name=op.f("fk_calls_caller_profile_id_profiles"),
        ),
        sa.ForeignKeyConstraint(
            ["callee_profile_id"],
            ["profiles.id"],
            name=op.f("fk_calls_callee_profile_id_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calls")),
    )
    op.create_index(op.f("ix_calls_caller_profile_id"), "calls", ["caller_profile_id"])
    op.create_index(op.f("ix_calls_callee_profile_id"), "calls", ["callee_profile_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_calls_callee_profile_id"), table_name="calls")
    op.drop_index(op.f("ix_calls_caller_profile_id"), table_name="calls")
    op.drop_table("calls")
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("accepts_calls")
