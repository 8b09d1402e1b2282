"""Boxes are not trusted: what the hub received under each number, second copies that
differ from the first (conflicts, kept for an operator), which box a message kept aside
came from, and a box's downlink brought up to date when its cursor shows a gap.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "received",
        sa.Column("peer_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("kept_aside", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("peer_id", "seq", name=op.f("pk_received")),
    )
    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("peer_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision", sa.String(20), nullable=True),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflicts")),
        sa.UniqueConstraint("peer_id", "seq", "fingerprint", name=op.f("uq_conflicts_peer_id")),
    )
    with op.batch_alter_table("quarantine") as batch:
        batch.add_column(sa.Column("box_id", sa.String(64), nullable=True))
    op.create_index("ix_quarantine_box_id", "quarantine", ["box_id"])
    with op.batch_alter_table("peers") as batch:
        batch.add_column(sa.Column("gap_seen_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("resume_from", sa.Integer(), nullable=True))
    with op.batch_alter_table("boxes") as batch:
        batch.add_column(sa.Column("brought_up_to_date_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("boxes") as batch:
        batch.drop_column("brought_up_to_date_at")
    with op.batch_alter_table("peers") as batch:
        batch.drop_column("resume_from")
        batch.drop_column("gap_seen_at")
    op.drop_index("ix_quarantine_box_id", "quarantine")
    with op.batch_alter_table("quarantine") as batch:
        batch.drop_column("box_id")
    op.drop_table("conflicts")
    op.drop_table("received")
