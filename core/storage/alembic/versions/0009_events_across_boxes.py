"""Events across a residence's boxes: an event may come from a building of another box,
and replies from its residents, whose profiles are not on this box. At the hub, the box
each comment, thanks and reply came from.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def _bump_content_version_on(table: str) -> None:
    # SQLite rebuilds the table to drop a constraint, and its triggers go with the old one.
    if op.get_bind().dialect.name != "sqlite":
        return
    for operation in OPERATIONS:
        op.execute(
            f"CREATE TRIGGER {table}_{operation.lower()}_bumps_content_version "
            f"AFTER {operation} ON {table} "
            "BEGIN UPDATE content_version SET version = version + 1 WHERE id = 1; END"
        )


def upgrade() -> None:
    op.create_table(
        "origins",
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("box_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_origins")),
    )
    op.create_index("ix_origins_box_id", "origins", ["box_id"])
    with op.batch_alter_table("events") as batch:
        batch.drop_constraint("fk_events_building_id_buildings", type_="foreignkey")
    _bump_content_version_on("events")
    with op.batch_alter_table("event_rsvps") as batch:
        batch.drop_constraint("fk_event_rsvps_profile_id_profiles", type_="foreignkey")
    _bump_content_version_on("event_rsvps")


def downgrade() -> None:
    op.drop_index("ix_origins_box_id", "origins")
    op.drop_table("origins")
    op.execute("DELETE FROM event_rsvps WHERE profile_id NOT IN (SELECT id FROM profiles)")
    op.execute(
        "DELETE FROM event_rsvps WHERE event_id IN "
        "(SELECT id FROM events WHERE building_id NOT IN (SELECT id FROM buildings))"
    )
    op.execute("DELETE FROM events WHERE building_id NOT IN (SELECT id FROM buildings)")
    with op.batch_alter_table("event_rsvps") as batch:
        batch.create_foreign_key(
            "fk_event_rsvps_profile_id_profiles", "profiles", ["profile_id"], ["id"]
        )
    _bump_content_version_on("event_rsvps")
    with op.batch_alter_table("events") as batch:
        batch.create_foreign_key(
            "fk_events_building_id_buildings", "buildings", ["building_id"], ["id"]
        )
    _bump_content_version_on("events")
