"""Report references readable across the hub, and the household's details on a report.

Each building gets a short code (the first part of its reports' references, "BA-12"),
made from its name as new buildings get theirs, in the order of their names without
accents. Each report keeps the
name, language and contact of the household member who filed it, as they were then.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 10:00:00
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _folded(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def _code(name: str, taken: set[str]) -> str:
    # core/domain/building_codes.from_name as it stands here: storage sits below the
    # domain, and a migration must give the same codes whatever the rule becomes.
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z]+|[0-9]+", folded)
    stem = "".join(word if word.isdigit() else word[0].upper() for word in words)[:6] or "B"
    code, suffix = stem, 2
    while code in taken:
        code, suffix = f"{stem}{suffix}", suffix + 1
    return code


def upgrade() -> None:
    with op.batch_alter_table("buildings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(8), nullable=True))
    connection = op.get_bind()
    named = connection.execute(sa.text("SELECT id, name FROM buildings")).all()
    taken: set[str] = set()
    # In an order of Python's own, not the database's collation: a box (SQLite) and the
    # hub (PostgreSQL) holding the same buildings must give them the same codes.
    for building_id, name in sorted(named, key=lambda row: (_folded(row[1]), row[1], row[0])):
        code = _code(name, taken)
        taken.add(code)
        connection.execute(
            sa.text("UPDATE buildings SET code = :code WHERE id = :id"),
            {"code": code, "id": building_id},
        )
    # A unique index rather than a constraint: SQLite adds neither that nor NOT NULL to
    # a table without rebuilding it, and a rebuild would lose its triggers.
    op.create_index("ix_buildings_code", "buildings", ["code"], unique=True)
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("household_name", sa.String(60), nullable=True))
        batch_op.add_column(sa.Column("household_locale", sa.String(8), nullable=True))
        batch_op.add_column(sa.Column("household_contact", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_column("household_contact")
        batch_op.drop_column("household_locale")
        batch_op.drop_column("household_name")
    op.drop_index("ix_buildings_code", table_name="buildings")
    with op.batch_alter_table("buildings", schema=None) as batch_op:
        batch_op.drop_column("code")
