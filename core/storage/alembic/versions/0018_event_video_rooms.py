"""Events held also in a video room of the box.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-10 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN with a default, as 0017: the table is not copied.
    op.add_column(
        "events", sa.Column("video_room", sa.Boolean(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("video_room")
