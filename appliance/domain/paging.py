"""Long lists a page at a time, each page starting where the one before ended.

A page ends at a place in the list's order: when its last item was written, and that
item's id for items written in the same instant. An item added or taken away meanwhile
makes the next page neither skip one nor show one twice, as counting would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, or_

from appliance.domain.errors import N_, DomainError

_WRITTEN = "%Y%m%d%H%M%S%f"


@dataclass(frozen=True)
class Page:
    """Items of a list, and the place where the rest of it starts (None: no more)."""

    items: list[dict[str, Any]]
    rest: str | None


def beyond(table: Table, place: str, newest_first: bool, field: str) -> ColumnElement:
    """Return the condition on the rows that come after ``place`` in the list's order
    (``field``: the query parameter that carried it, named in the refusal)."""
    written, _, item_id = place.partition("-")
    try:
        at = datetime.strptime(written, _WRITTEN)
    except ValueError:
        raise DomainError("page_unknown", N_("This page does not exist."), field) from None
    further = table.c.created_at < at if newest_first else table.c.created_at > at
    return or_(further, and_(table.c.created_at == at, table.c.id > item_id))


def cut(found: list[dict[str, Any]], size: int) -> Page:
    """Return a page of ``size`` items from ``found``, read with one more than that to
    tell whether more follow."""
    shown = found[:size]
    if len(found) <= size:
        return Page(shown, None)
    last = shown[-1]
    return Page(shown, f"{last['created_at']:{_WRITTEN}}-{last['id']}")
