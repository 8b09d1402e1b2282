"""Count every change to what the portal shows, so rendered pages can be reused safely.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Tables whose rows appear on tenants' pages. Triggers bump the counter whatever writes
# to them: a web worker, the command line or a future box agent.
WATCHED = (
    "residences",
    "buildings",
    "dwellings",
    "profiles",
    "staff",
    "publishers",
    "news",
    "works_notices",
    "reports",
    "report_photos",
    "report_events",
    "report_messages",
    "report_supporters",
)
OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "content_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_content_version_single_row"),
    )
    op.execute("INSERT INTO content_version (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name != "sqlite":
        return
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
    op.drop_table("content_version")
