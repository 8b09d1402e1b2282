"""Works notices reach a scope (a building, a residence, a district, the city), as news do,
and carry their publisher and an optional picture.

A notice of one building becomes a notice with that building as its scope.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = sa.String(32)


def _bump_content_version_again() -> None:
    # SQLite rebuilds the table to drop a column, and its triggers go with the old one.
    if op.get_bind().dialect.name != "sqlite":
        return
    for operation in ("INSERT", "UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER works_notices_{operation.lower()}_bumps_content_version "
            f"AFTER {operation} ON works_notices "
            "BEGIN UPDATE content_version SET version = version + 1 WHERE id = 1; END"
        )


def upgrade() -> None:
    with op.batch_alter_table("works_notices") as batch:
        # Defaults only fill the rows already there; the next step drops them.
        batch.add_column(
            sa.Column("scope_kind", sa.String(20), nullable=False, server_default="building")
        )
        batch.add_column(sa.Column("scope_ref", sa.String(120), nullable=False, server_default=""))
        batch.add_column(
            sa.Column(
                "publisher_id",
                ID,
                sa.ForeignKey("publishers.id", name="fk_works_notices_publisher_id_publishers"),
            )
        )
        batch.add_column(
            sa.Column(
                "photo_id", ID, sa.ForeignKey("photos.id", name="fk_works_notices_photo_id_photos")
            )
        )
    op.execute("UPDATE works_notices SET scope_ref = building_id")
    # Until now only the landlord announced works: theirs, when the box knows one landlord.
    op.execute(
        "UPDATE works_notices"
        " SET publisher_id = (SELECT id FROM publishers WHERE kind = 'landlord')"
        " WHERE (SELECT count(*) FROM publishers WHERE kind = 'landlord') = 1"
    )
    with op.batch_alter_table("works_notices") as batch:
        batch.drop_index("ix_works_notices_building_id")
        batch.drop_constraint("fk_works_notices_building_id_buildings", type_="foreignkey")
        batch.drop_column("building_id")
        batch.alter_column("scope_kind", server_default=None)
        batch.alter_column("scope_ref", server_default=None)
        batch.create_index("ix_works_notices_scope", ["scope_kind", "scope_ref"])
    _bump_content_version_again()


def downgrade() -> None:
    # A notice wider than one building has no single building to go back to.
    op.execute("DELETE FROM works_notices WHERE scope_kind != 'building'")
    with op.batch_alter_table("works_notices") as batch:
        batch.add_column(sa.Column("building_id", ID, nullable=False, server_default=""))
    op.execute("UPDATE works_notices SET building_id = scope_ref")
    with op.batch_alter_table("works_notices") as batch:
        batch.drop_index("ix_works_notices_scope")
        batch.drop_constraint("fk_works_notices_photo_id_photos", type_="foreignkey")
        batch.drop_constraint("fk_works_notices_publisher_id_publishers", type_="foreignkey")
        batch.drop_column("photo_id")
        batch.drop_column("publisher_id")
        batch.drop_column("scope_ref")
        batch.drop_column("scope_kind")
        batch.create_foreign_key(
            "fk_works_notices_building_id_buildings", "buildings", ["building_id"], ["id"]
        )
        batch.create_index("ix_works_notices_building_id", ["building_id"])
    _bump_content_version_again()
