"""Each building's caretaker and digital mediator, as tenants can reach them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "building_contacts",
        sa.Column("building_id", sa.String(32), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("place", sa.String(140), nullable=False, server_default=""),
        sa.Column("hours", sa.String(300), nullable=False, server_default=""),
        sa.Column("phone", sa.String(40), nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["buildings.id"],
            name=op.f("fk_building_contacts_building_id_buildings"),
        ),
        sa.PrimaryKeyConstraint("building_id", "role", name=op.f("pk_building_contacts")),
    )


def downgrade() -> None:
    op.drop_table("building_contacts")
