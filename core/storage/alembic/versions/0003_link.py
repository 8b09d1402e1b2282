"""The link between boxes and the hub: node, peers, outbox, held, quarantine, fleet.

Report numbers and dwelling references become unique per building, since the hub holds
the reports and dwellings of many boxes; names of people from the other side of the
link are kept beside their messages.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ID = sa.String(32)


def _bump_content_version_on(table: str, operations: tuple[str, ...]) -> None:
    for operation in operations:
        op.execute(
            f"CREATE TRIGGER {table}_{operation.lower()}_bumps_content_version "
            f"AFTER {operation} ON {table} "
            "BEGIN UPDATE content_version SET version = version + 1 WHERE id = 1; END"
        )


def _unique_per_building(table: str, old: str, new: str, columns: list[str]) -> None:
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(old, type_="unique")
        batch.create_unique_constraint(new, columns)
    if op.get_bind().dialect.name == "sqlite":
        # SQLite rebuilds the table for the change, and its triggers go with the old one.
        _bump_content_version_on(table, ("INSERT", "UPDATE", "DELETE"))


def upgrade() -> None:
    _unique_per_building(
        "reports", "uq_reports_number", "uq_reports_building_number", ["building_id", "number"]
    )
    _unique_per_building(
        "dwellings",
        "uq_dwellings_reference",
        "uq_dwellings_building_reference",
        ["building_id", "reference"],
    )
    with op.batch_alter_table("report_events") as batch:
        batch.add_column(sa.Column("actor_name", sa.String(100)))
    with op.batch_alter_table("report_messages") as batch:
        batch.add_column(sa.Column("author_name", sa.String(100)))
    op.create_table(
        "node",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("box_id", sa.String(64)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_node_single_row"),
        sa.CheckConstraint("kind IN ('box', 'hub')", name="ck_node_kind"),
    )
    op.create_table(
        "peers",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("sent_seq", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("applied_seq", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("acked_at", sa.DateTime()),
    )
    op.create_table(
        "outbox",
        sa.Column("peer_id", sa.String(64), sa.ForeignKey("peers.id"), primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("id", ID, nullable=False, unique=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("subject_id", ID, index=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime()),
    )
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("received_at", sa.DateTime(), nullable=False, index=True),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "held",
        sa.Column("peer_id", sa.String(64), primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "boxes",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("label", sa.String(120), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("last_seen_at", sa.DateTime()),
        sa.Column("version", sa.String(40)),
        sa.Column("uptime_s", sa.BigInteger()),
        sa.Column("disk_free_bytes", sa.BigInteger()),
        sa.Column("outbox_depth", sa.Integer()),
        sa.Column("last_sync_at", sa.DateTime()),
    )
    op.create_table(
        "box_buildings",
        sa.Column("box_id", sa.String(64), sa.ForeignKey("boxes.id"), primary_key=True),
        sa.Column("building_id", ID, sa.ForeignKey("buildings.id"), primary_key=True, unique=True),
    )
    if op.get_bind().dialect.name == "sqlite":
        # Tenants' pages say which reports have not reached the landlord yet.
        _bump_content_version_on("outbox", ("INSERT", "DELETE"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for operation in ("insert", "delete"):
            op.execute(f"DROP TRIGGER outbox_{operation}_bumps_content_version")
    for table in ("box_buildings", "boxes", "held", "quarantine", "outbox", "peers", "node"):
        op.drop_table(table)
    with op.batch_alter_table("report_messages") as batch:
        batch.drop_column("author_name")
    with op.batch_alter_table("report_events") as batch:
        batch.drop_column("actor_name")
    _unique_per_building(
        "dwellings", "uq_dwellings_building_reference", "uq_dwellings_reference", ["reference"]
    )
    _unique_per_building("reports", "uq_reports_building_number", "uq_reports_number", ["number"])
