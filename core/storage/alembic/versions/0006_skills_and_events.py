"""Community life: the skills exchange, and the estate's events with their replies.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ID = sa.String(32)
# Shown on tenants' pages: reused pages must know when they change (migration 0002).
WATCHED = ("skills", "events", "event_rsvps")
OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "skills",
        sa.Column("id", ID, primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("title", sa.String(140), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "profile_id",
            ID,
            sa.ForeignKey("profiles.id", name="fk_skills_profile_id_profiles"),
            nullable=False,
        ),
        sa.Column(
            "residence_id",
            ID,
            sa.ForeignKey("residences.id", name="fk_skills_residence_id_residences"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime()),
    )
    op.create_index("ix_skills_profile_id", "skills", ["profile_id"])
    op.create_table(
        "events",
        sa.Column("id", ID, primary_key=True),
        sa.Column("scope", sa.String(20), nullable=False),
        sa.Column(
            "residence_id",
            ID,
            sa.ForeignKey("residences.id", name="fk_events_residence_id_residences"),
            nullable=False,
        ),
        sa.Column(
            "building_id",
            ID,
            sa.ForeignKey("buildings.id", name="fk_events_building_id_buildings"),
            nullable=False,
        ),
        sa.Column("title", sa.String(140), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("place", sa.String(140), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("organiser", sa.String(120), nullable=False),
        sa.Column(
            "organiser_profile_id",
            ID,
            sa.ForeignKey("profiles.id", name="fk_events_organiser_profile_id_profiles"),
        ),
        sa.Column(
            "organiser_staff_id",
            ID,
            sa.ForeignKey("staff.id", name="fk_events_organiser_staff_id_staff"),
        ),
        sa.Column("capacity", sa.Integer()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime()),
    )
    op.create_index("ix_events_starts_at", "events", ["starts_at"])
    op.create_table(
        "event_rsvps",
        sa.Column(
            "event_id",
            ID,
            sa.ForeignKey("events.id", name="fk_event_rsvps_event_id_events"),
            primary_key=True,
        ),
        sa.Column(
            "profile_id",
            ID,
            sa.ForeignKey("profiles.id", name="fk_event_rsvps_profile_id_profiles"),
            primary_key=True,
        ),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_event_rsvps_profile_id", "event_rsvps", ["profile_id"])
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
    for table in ("event_rsvps", "events", "skills"):
        op.drop_table(table)
