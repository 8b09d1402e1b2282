"""Publishing, the same for news, works notices, shops' deals and partners' services.

An item is checked by its kind's rules, written with whom it reaches, audited when staff
do it, and sent to the boxes it reaches in the same transaction. A change is checked the
same way; the boxes it no longer reaches take it down, the others get it anew. Taking it
down removes it everywhere it was shown. Each kind says only what is its own: its table,
its checks, how it reaches people and its messages (``Kind``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Connection, Table, delete, insert, select, update

from core.domain import audit, text_versions
from core.domain.clock import new_id
from core.domain.errors import FieldChecks, NotFound
from core.storage.schema import publishers

# Whom an item reaches: a scope (kind, reference) or a list of residences.
Reached = Any


class Reach(Protocol):
    """How a kind of item reaches people, and how it is taken down where it no longer
    does."""

    def of(self, connection: Connection, item: dict[str, Any]) -> Reached:
        """Return whom the stored item reaches."""

    def split(self, row: dict[str, Any]) -> tuple[dict[str, Any], Reached]:
        """Return the checked row's own columns, and whom it reaches."""

    def write(self, connection: Connection, item_id: str, reached: Reached) -> None:
        """Store whom the item reaches, where its columns do not say it."""

    def leave(
        self, connection: Connection, item_id: str, before: Reached, after: Reached | None
    ) -> None:
        """Take the item down from the boxes reached ``before`` and not ``after`` (None:
        all of them)."""

    def audited(self, reached: Reached) -> dict[str, Any]:
        """Return what the audit says of whom a new item reaches."""


@dataclass(frozen=True)
class ScopeReach:
    """Reaching one scope — a building, a residence, a district or a city — kept in the
    item's ``scope_kind`` and ``scope_ref`` columns."""

    withdrawn: Callable[..., None]

    def of(self, connection: Connection, item: dict[str, Any]) -> tuple[str, str]:
        return item["scope_kind"], item["scope_ref"]

    def split(self, row: dict[str, Any]) -> tuple[dict[str, Any], tuple[str, str]]:
        return row, (row["scope_kind"], row["scope_ref"])

    def write(self, connection: Connection, item_id: str, reached: tuple[str, str]) -> None:
        """The item's own columns say it."""

    def leave(
        self,
        connection: Connection,
        item_id: str,
        before: tuple[str, str],
        after: tuple[str, str] | None,
    ) -> None:
        if before != after:
            self.withdrawn(connection, item_id, *before, keep=after)

    def audited(self, reached: tuple[str, str]) -> dict[str, Any]:
        return {"scope": reached[0]}


@dataclass(frozen=True)
class ResidencesReach:
    """Reaching some residences, listed in a table of their own (``links``: the item's
    id column, then the residence's)."""

    links: Table
    item_column: str
    withdrawn: Callable[[Connection, str, list[str]], None]

    def of(self, connection: Connection, item: dict[str, Any]) -> list[str]:
        return list(
            connection.execute(
                select(self.links.c.residence_id).where(
                    self.links.c[self.item_column] == item["id"]
                )
            ).scalars()
        )

    def split(self, row: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        columns = dict(row)
        return columns, list(dict.fromkeys(columns.pop("residence_ids")))

    def write(self, connection: Connection, item_id: str, reached: list[str]) -> None:
        connection.execute(delete(self.links).where(self.links.c[self.item_column] == item_id))
        connection.execute(
            insert(self.links),
            [{self.item_column: item_id, "residence_id": r} for r in reached],
        )

    def leave(
        self, connection: Connection, item_id: str, before: list[str], after: list[str] | None
    ) -> None:
        left = [r for r in before if r not in (after or [])]
        if left:
            self.withdrawn(connection, item_id, left)
        if after is None:
            connection.execute(delete(self.links).where(self.links.c[self.item_column] == item_id))

    def audited(self, reached: list[str]) -> dict[str, Any]:
        return {}


@dataclass(frozen=True)
class Kind:
    """What makes one kind of publication what it is."""

    # The audit's name for it ("news:<id>") and its actions: published, changed, taken down.
    name: str
    verbs: tuple[str, str, str]
    table: Table
    # Raised for an id that is not there: the code and the words people read.
    missing: tuple[str, str]
    # The row to write from what was typed, or DomainError naming the field at fault.
    # ``before`` is the item being changed, None for a new one.
    checked: Callable[[dict[str, Any], dict[str, Any] | None], dict[str, Any]]
    reach: Reach
    # Sends the item, as it now is, to the boxes it reaches.
    published: Callable[[Connection, str], None]
    # What else follows a new item (residents told of works), if anything.
    after_publishing: Callable[[Connection, str], None] | None = None
    # The column that names the item in the audit.
    label: str = "title"
    # The text fields that have versions in the other languages, each with its check
    # (the one the original's field goes through).
    texts: Mapping[str, text_versions.Check] = field(default_factory=dict)


def get(connection: Connection, kind: Kind, item_id: str) -> dict[str, Any]:
    """Return the stored item, or NotFound."""
    row = connection.execute(select(kind.table).where(kind.table.c.id == item_id)).mappings()
    found = row.first()
    if found is None:
        raise NotFound(*kind.missing)
    return dict(found)


def publish(
    connection: Connection,
    kind: Kind,
    fields: dict[str, Any],
    author_staff_id: str | None = None,
) -> str:
    """Publish a new item of ``kind``; return its id (audited when staff do it)."""
    row = _checked(kind, fields, None)
    columns, reached = kind.reach.split(row)
    item_id = new_id()
    connection.execute(insert(kind.table).values(id=item_id, **columns))
    kind.reach.write(connection, item_id, reached)
    if author_staff_id is not None:
        audit.record(
            connection,
            author_staff_id,
            kind.verbs[0],
            f"{kind.name}:{item_id}",
            **{kind.label: row[kind.label]},
            **kind.reach.audited(reached),
            **_publisher(connection, row.get("publisher_id")),
        )
    kind.published(connection, item_id)
    if kind.after_publishing is not None:
        kind.after_publishing(connection, item_id)
    return item_id


def change(
    connection: Connection, kind: Kind, item_id: str, actor_staff_id: str, fields: dict[str, Any]
) -> None:
    """Change an item; the boxes it no longer reaches take it down (audited)."""
    before = get(connection, kind, item_id)
    row = _checked(kind, fields, before)
    columns, reached = kind.reach.split(row)
    kind.reach.leave(connection, item_id, kind.reach.of(connection, before), reached)
    connection.execute(update(kind.table).where(kind.table.c.id == item_id).values(**columns))
    kind.reach.write(connection, item_id, reached)
    audit.record(
        connection,
        actor_staff_id,
        kind.verbs[1],
        f"{kind.name}:{item_id}",
        **{kind.label: row[kind.label]},
    )
    kind.published(connection, item_id)


def take_down(connection: Connection, kind: Kind, item_id: str, actor_staff_id: str) -> None:
    """Take an item down everywhere it was shown (audited)."""
    before = get(connection, kind, item_id)
    kind.reach.leave(connection, item_id, kind.reach.of(connection, before), None)
    connection.execute(delete(kind.table).where(kind.table.c.id == item_id))
    audit.record(
        connection,
        actor_staff_id,
        kind.verbs[2],
        f"{kind.name}:{item_id}",
        **{kind.label: before[kind.label]},
    )


def _checked(kind: Kind, fields: dict[str, Any], before: dict[str, Any] | None) -> dict[str, Any]:
    """Return the row to write, its language and versions with it, or refuse all that is
    wrong with them at once. A change that does not say them keeps them."""
    kept = before or {}
    checks = FieldChecks()
    row = checks.check(lambda: kind.checked(fields, before))
    languages = checks.check(
        lambda: text_versions.checked(
            kind.texts,
            fields.get("language", kept.get("language")),
            fields.get("versions", kept.get("versions")),
        )
    )
    checks.done()
    return {**row, **languages}


def _publisher(connection: Connection, publisher_id: str | None) -> dict[str, str]:
    if publisher_id is None:
        return {}
    name = connection.execute(
        select(publishers.c.name).where(publishers.c.id == publisher_id)
    ).scalar_one()
    return {"publisher": name}
