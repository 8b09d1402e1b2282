"""Draft photos counted per household: who sent each photo for a form.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 01:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("photos") as batch:
        batch.add_column(sa.Column("draft_of", sa.String(32), nullable=True))
    op.create_index("ix_photos_draft_of", "photos", ["draft_of"])


def downgrade() -> None:
    op.drop_index("ix_photos_draft_of", table_name="photos")
    with op.batch_alter_table("photos") as batch:
        batch.drop_column("draft_of")
