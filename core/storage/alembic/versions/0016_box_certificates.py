"""Boxes get public names and certificates an authority signed, obtained by the hub.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "box_certificates",
        sa.Column("box_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(253), nullable=False),
        sa.Column("request", sa.Text()),
        sa.Column("requested_at", sa.DateTime()),
        sa.Column("wanted", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("chain", sa.Text()),
        sa.Column("issuer", sa.String(200)),
        sa.Column("not_after", sa.DateTime()),
        sa.Column("issued_at", sa.DateTime()),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.String(300)),
        sa.Column("failed_at", sa.DateTime()),
        sa.Column("retry_at", sa.DateTime()),
        sa.Column("refusal", sa.String(200)),
        sa.Column("refused_at", sa.DateTime()),
        sa.PrimaryKeyConstraint("box_id", name=op.f("pk_box_certificates")),
        sa.UniqueConstraint("name", name=op.f("uq_box_certificates_name")),
    )


def downgrade() -> None:
    op.drop_table("box_certificates")
