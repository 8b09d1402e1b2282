"""News, works notices, deals and partners' services keep the language they were written
in and their versions in the other languages.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-07 09:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLES = ("news", "works_notices", "deals", "partners")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            # What was published before was written in French.
            batch.add_column(
                sa.Column("language", sa.String(2), nullable=False, server_default="fr")
            )
            batch.add_column(sa.Column("versions", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("versions")
            batch.drop_column("language")
