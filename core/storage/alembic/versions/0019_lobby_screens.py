"""Screens in entrance halls showing the lobby page.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-11 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lobby_screens",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("building_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("key_digest", sa.String(64), nullable=False),
        sa.Column("created_by_staff_id", sa.String(32)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime()),
        sa.Column("revoked_at", sa.DateTime()),
        sa.ForeignKeyConstraint(
            ["building_id"], ["buildings.id"], name=op.f("fk_lobby_screens_building_id_buildings")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_staff_id"],
            ["staff.id"],
            name=op.f("fk_lobby_screens_created_by_staff_id_staff"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lobby_screens")),
        sa.UniqueConstraint("key_digest", name=op.f("uq_lobby_screens_key_digest")),
    )
    op.create_index(
        op.f("ix_lobby_screens_building_id"), "lobby_screens", ["building_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_lobby_screens_building_id"), table_name="lobby_screens")
    op.drop_table("lobby_screens")
