"""Personal data: a profile's owner warned before an unused profile is anonymised, and
when a profile was erased.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(sa.Column("inactive_warned_at", sa.DateTime()))
        batch.add_column(sa.Column("erased_at", sa.DateTime()))


def downgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("erased_at")
        batch.drop_column("inactive_warned_at")
