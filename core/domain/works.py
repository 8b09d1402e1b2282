"""Works notices: what, where, from when to when, what tenants must do.

A notice reaches a scope, as news do: the lift of one building, the heating of a
residence, the street of a district, the water of the whole city. The landlord announces
most of them, the town hall and the city the rest. A notice shows until its last day;
then it has expired.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, delete, select

from core.domain import copies, notifications, publishing, scope, typed_text
from core.domain.clock import utcnow
from core.domain.errors import N_, DomainError, FieldChecks, NotFound
from core.messages import publications as link_messages
from core.storage.schema import publishers, works_notices


def _title(typed: str, field: str = "title") -> str:
    return typed_text.line(typed, field, 140, N_("Say what the works are."))


def _location(typed: str, field: str = "location") -> str:
    return typed_text.line(
        typed, field, 140, N_("Say where the works take place."), typed_text.TEXT_LONG
    )


def _tenant_action(typed: str, field: str = "tenant_action") -> str:
    return typed_text.plain(typed or "", field)


def _checked(fields: dict[str, Any], before: dict[str, Any] | None) -> dict[str, Any]:
    checks = FieldChecks()
    row = {
        "title": checks.check(lambda: _title(fields["title"])),
        "location": checks.check(lambda: _location(fields["location"])),
        "tenant_action": checks.check(lambda: _tenant_action(fields.get("tenant_action"))),
        "starts_on": fields["starts_on"],
        "ends_on": fields["ends_on"],
        "scope_kind": fields["scope_kind"],
        "scope_ref": fields["scope_ref"],
        "photo_id": fields.get("photo_id"),
    }
    if row["ends_on"] < row["starts_on"]:
        checks.refuse(
            DomainError(
                "dates_order", N_("The end date must be on or after the start date."), "ends_on"
            )
        )
    checks.check(lambda: scope.check(row["scope_kind"], row["scope_ref"]))
    checks.done()
    if before is None:
        row |= {
            "publisher_id": fields.get("publisher_id"),
            "published_at": utcnow(),
            "author_staff_id": fields.get("author_staff_id"),
        }
    return row


def announce(
    connection: Connection,
    scope_kind: str,
    scope_ref: str,
    title: str,
    location: str,
    starts_on: date,
    ends_on: date,
    tenant_action: str = "",
    *,
    publisher_id: str | None = None,
    photo_id: str | None = None,
    author_staff_id: str | None = None,
    language: str | None = None,
    versions: dict[str, dict[str, str]] | None = None,
) -> str:
    """Announce works to every building of a scope; return the notice's id.

    Audited when staff do it.
    """
    return publishing.publish(
        connection,
        PUBLICATION,
        {
            "scope_kind": scope_kind,
            "scope_ref": scope_ref,
            "title": title,
            "location": location,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "tenant_action": tenant_action,
            "publisher_id": publisher_id,
            "photo_id": photo_id,
            "author_staff_id": author_staff_id,
            "language": language,
            "versions": versions,
        },
        author_staff_id,
    )


def tell_residents(connection: Connection, notice_id: str) -> None:
    """Tell the people of the buildings the notice reaches, on this box, that works come."""
    notice = connection.execute(
        select(works_notices.c.title, works_notices.c.scope_kind, works_notices.c.scope_ref).where(
            works_notices.c.id == notice_id
        )
    ).one()
    notifications.tell(
        connection,
        notifications.people_of(
            connection, scope.buildings_in(connection, notice.scope_kind, notice.scope_ref)
        ),
        "works",
        notice_id,
        title=notice.title,
    )


PUBLICATION = publishing.Kind(
    name="works",
    verbs=("works.announce", "works.edit", "works.withdraw"),
    table=works_notices,
    missing=("works_not_found", N_("This works notice does not exist.")),
    checked=_checked,
    reach=publishing.ScopeReach(link_messages.works_withdrawn),
    published=link_messages.works_announced,
    after_publishing=tell_residents,
    texts={"title": _title, "location": _location, "tenant_action": _tenant_action},
)


def keep_copy(connection: Connection, notice_id: str, fields: dict[str, Any]) -> None:
    """Keep a works notice the hub sent, or replace it (a change made at the hub comes
    with the same id); the residents are told of a notice new here."""
    if copies.keep(connection, works_notices, notice_id, fields):
        tell_residents(connection, notice_id)


def drop_copy(connection: Connection, notice_id: str) -> None:
    """Forget a works notice the hub withdrew from this box (nothing if it is not here)."""
    connection.execute(delete(works_notices).where(works_notices.c.id == notice_id))


def _with_publisher():
    return select(
        works_notices,
        publishers.c.name.label("publisher_name"),
        publishers.c.kind.label("publisher_kind"),
    ).outerjoin(publishers)


def get(connection: Connection, notice_id: str) -> dict[str, Any]:
    """Return one works notice, ended or not, with its publisher."""
    row = (
        connection.execute(_with_publisher().where(works_notices.c.id == notice_id))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("works_not_found", N_("This works notice does not exist."))
    return dict(row)


def current_for_building(
    connection: Connection, building: dict[str, Any], today: date | None = None
) -> list[dict[str, Any]]:
    """Return the works reaching a building under way or still to come, soonest first.

    ``building`` carries its residence, district and city (``estate.list_buildings``).
    """
    today = today or utcnow().date()
    rows = connection.execute(
        _with_publisher()
        .where(
            scope.covers(works_notices.c.scope_kind, works_notices.c.scope_ref, building),
            works_notices.c.ends_on >= today,
        )
        .order_by(works_notices.c.starts_on, works_notices.c.title)
    ).mappings()
    return [dict(row) for row in rows]


def _mine(publisher_id: str, buildings: list[dict[str, Any]]):
    return and_(
        works_notices.c.publisher_id == publisher_id,
        scope.reaches_any(works_notices.c.scope_kind, works_notices.c.scope_ref, buildings),
    )


def of_publisher(
    connection: Connection,
    publisher_id: str,
    buildings: list[dict[str, Any]],
    today: date | None = None,
) -> list[dict[str, Any]]:
    """Return the publisher's works reaching one of ``buildings``, under way or to come,
    soonest first, with where they are shown (``scope_name``)."""
    today = today or utcnow().date()
    rows = connection.execute(
        _with_publisher()
        .where(_mine(publisher_id, buildings), works_notices.c.ends_on >= today)
        .order_by(works_notices.c.starts_on, works_notices.c.title)
    ).mappings()
    return scope.named(connection, [dict(row) for row in rows])


def one_of_publisher(
    connection: Connection, publisher_id: str, buildings: list[dict[str, Any]], notice_id: str
) -> dict[str, Any]:
    """Return one of the publisher's works notices reaching one of ``buildings``, ended or
    not; any other is as if it did not exist."""
    row = (
        connection.execute(
            _with_publisher().where(works_notices.c.id == notice_id, _mine(publisher_id, buildings))
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("works_not_found", N_("This works notice does not exist."))
    return scope.named(connection, [dict(row)])[0]
