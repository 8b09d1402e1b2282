"""Community life: local shops' deals, partners' services, and requests for help.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ID = sa.String(32)
# Shown on tenants' pages: reused pages must know when they change (migration 0002).
WATCHED = ("deals", "partners", "help_requests")
OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "deals",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "publisher_id",
            ID,
            sa.ForeignKey("publishers.id", name="fk_deals_publisher_id_publishers"),
            nullable=False,
        ),
        sa.Column("title", sa.String(140), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("photo_id", ID, sa.ForeignKey("photos.id", name="fk_deals_photo_id_photos")),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_deals_valid_until", "deals", ["valid_until"])
    op.create_table(
        "deal_residences",
        sa.Column(
            "deal_id",
            ID,
            sa.ForeignKey("deals.id", name="fk_deal_residences_deal_id_deals"),
            primary_key=True,
        ),
        sa.Column(
            "residence_id",
            ID,
            sa.ForeignKey("residences.id", name="fk_deal_residences_residence_id_residences"),
            primary_key=True,
        ),
    )
    op.create_table(
        "partners",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name", sa.String(140), nullable=False),
        sa.Column("category", sa.String(30), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("address", sa.String(200), nullable=False, server_default=""),
        sa.Column("phone", sa.String(40), nullable=False, server_default=""),
        sa.Column("opening_hours", sa.Text(), nullable=False, server_default=""),
        sa.Column("scope_kind", sa.String(20), nullable=False),
        sa.Column("scope_ref", sa.String(120), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_partners_scope", "partners", ["scope_kind", "scope_ref"])
    op.create_table(
        "help_requests",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "profile_id",
            ID,
            sa.ForeignKey("profiles.id", name="fk_help_requests_profile_id_profiles"),
        ),
        sa.Column(
            "building_id",
            ID,
            sa.ForeignKey("buildings.id", name="fk_help_requests_building_id_buildings"),
            nullable=False,
        ),
        sa.Column("topic", sa.String(20), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("how", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime()),
        sa.Column("answer", sa.Text()),
        sa.Column(
            "answered_by", ID, sa.ForeignKey("staff.id", name="fk_help_requests_answered_by_staff")
        ),
    )
    op.create_index("ix_help_requests_profile_id", "help_requests", ["profile_id"])
    if op.get_bind().dialect.name == "sqlite":
        for table in WATCHED:
            for operation in OPERATIONS:
                op.execute(
                    f"CREATE TRIGGER {table}_{operation.lower()}_bumps_content_version "
                    f"AFTER {operation} ON {table} "
                    "BEGIN UPDATE content_version SET version = version + 1 WHERE id = 1; END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in WATCHED:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER {table}_{operation.lower()}_bumps_content_version")
    for table in ("help_requests", "partners", "deal_residences", "deals"):
        op.drop_table(table)
