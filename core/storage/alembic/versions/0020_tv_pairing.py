"""TVs signed in by a household's phone: pairings, and which sessions are a TV's.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-12 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, nullable: the table is not copied.
    op.add_column("sessions", sa.Column("device", sa.String(8)))
    op.create_table(
        "tv_pairings",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("secret_digest", sa.String(64), nullable=False),
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("approved_profile_id", sa.String(32)),
        sa.Column("approved_at", sa.DateTime()),
        sa.Column("qr_image", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_profile_id"],
            ["profiles.id"],
            name=op.f("fk_tv_pairings_approved_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tv_pairings")),
        sa.UniqueConstraint("secret_digest", name=op.f("uq_tv_pairings_secret_digest")),
    )
    op.create_index(op.f("ix_tv_pairings_code"), "tv_pairings", ["code"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_tv_pairings_code"), table_name="tv_pairings")
    op.drop_table("tv_pairings")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("device")
