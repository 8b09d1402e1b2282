"""What one side of the link keeps of what the other sent: an item added, or replaced
when it comes again with the same id (changed, or sent again to bring a box up to date).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, select, update


def keep(connection: Connection, table: Table, item_id: str, row: dict[str, Any]) -> bool:
    """Add the item, or replace the one with its id; return whether it is new here."""
    if connection.execute(select(table.c.id).where(table.c.id == item_id)).first():
        connection.execute(update(table).where(table.c.id == item_id).values(**row))
        return False
    connection.execute(table.insert().values(id=item_id, **row))
    return True
