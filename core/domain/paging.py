"""Long lists a page at a time, each page starting where the one before ended.

A page ends at a place in the list's order: when its last item was written (its
``created_at``, or the column the list names), and that item's id for items written in
the same instant. An item added or taken away meanwhile
makes the next page neither skip one nor show one twice, as counting would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, or_

from core.domain.errors import N_, DomainError

_WRITTEN = "%Y%m%d%H%M%S%f"


@dataclass(frozen=True)
class Page:
    """Items of a list, and the place where the rest of it starts (None: no more)."""

    items: list[dict[str, Any]]
    rest: str | None


def beyond(
    table: Table, place: str, newest_first: bool, field: str, written: str = "created_at"
) -> ColumnElement:
    """Return the condition on the rows that come after ``place`` in the list's order
    (``field``: the query parameter that carried it, named in the refusal)."""
    when, _, item_id = place.partition("-")
    try:
        at = datetime.strptime(when, _WRITTEN)
        # Ids are text or, for local bookkeeping, integers (core/storage/schema.py).
        after = table.c.id.type.python_type(item_id)
        # SQLite takes integers of 64 bits at most, and refuses the query beyond.
        if isinstance(after, int) and after.bit_length() > 63:
            raise ValueError(item_id)
    except ValueError:
        raise DomainError("page_unknown", N_("This page does not exist."), field) from None
    column = table.c[written]
    further = column < at if newest_first else column > at
    return or_(further, and_(column == at, table.c.id > after))


def cut(found: list[dict[str, Any]], size: int, written: str = "created_at") -> Page:
    """Return a page of ``size`` items from ``found``, read with one more than that to
    tell whether more follow."""
    shown = found[:size]
    if len(found) <= size:
        return Page(shown, None)
    last = shown[-1]
    return Page(shown, f"{last[written]:{_WRITTEN}}-{last['id']}")
