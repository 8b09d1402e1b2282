"""Dwellings and their access codes on the staff side: list, register, import, reissue, move out.

A code is in clear only in the answer that issues it, which no cache may keep; after
that only its keyed hash exists. Staff reach only the dwellings of their buildings.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request
from pydantic import Field

from core.domain import access_codes, audit, estate, people, roles, staff_buildings
from provisioning import roster
from webui.api import blueprint
from webui.api.fields import (
    Answer,
    Body,
    Count,
    Filters,
    Id,
    Instant,
    OptionalText,
    Text,
    WholeNumber,
)
from webui.api.openapi import media
from webui.api.problems import RefusedLine, UnsupportedContent
from webui.api.shared_shapes import BuildingRef, building_of
from webui.api.spec import CSV, Response, spec
from webui.auth import staff_required
from webui.database import db
from webui.errors import problem
from webui.i18n import translate

# A code is shown once: no cache, in the browser or between, may keep the answer.
_UNSTORED = {"Cache-Control": "no-store"}


class Dwelling(Answer):
    """A dwelling with the state of its code."""

    id: Id
    reference: str
    building: BuildingRef
    staircase: str
    floor: int
    code_issued_at: Instant | None = Field(description="Null when no code works.")
    code_activated_at: Instant | None
    profile_count: Count
    created_at: Instant

    @classmethod
    def of(cls, found: dict[str, Any]) -> Dwelling:
        """A dwelling with the state of its code and how many profiles live there."""
        return cls(
            id=found["id"],
            reference=found["reference"],
            building=building_of(found),
            staircase=found["staircase"],
            floor=found["floor"],
            code_issued_at=found["code_issued_at"],
            code_activated_at=found["code_activated_at"],
            profile_count=found["profile_count"],
            created_at=found["created_at"],
        )


class DwellingList(Answer):
    """Dwellings by building, staircase, floor."""

    dwellings: list[Dwelling]


class IssuedCode(Answer):
    """A new access code, shown this once and never again."""

    dwelling: Dwelling
    code: str = Field(examples=["K7QM-4RZT-9XPD"])


class ImportedRoster(Answer):
    """Every dwelling of the roster."""

    issued: list[IssuedCode]


class MovedOut(Answer):
    """The dwelling after its household left."""

    dwelling: Dwelling
    profiles_left: Count


class DwellingFilter(Filters):
    """Which dwellings to list."""

    building: OptionalText = Field(None, description="Only this building (one of the person's).")


class NewDwelling(Body):
    """A dwelling in one of the staff member's buildings."""

    building_id: Text = Field(description="Opaque identifier.")
    reference: Text
    staircase: Text = ""
    floor: WholeNumber = Field(
        description="0 is the ground floor.", json_schema_extra={"minimum": -3}
    )


def _pepper() -> str:
    return current_app.config["ACCESS_CODE_PEPPER"]


def _dwellings(dwelling_ids: list[str]) -> list[dict[str, Any]]:
    wanted = set(dwelling_ids)
    found = estate.list_dwellings(db(), g.staff["building_ids"])
    return [dwelling for dwelling in found if dwelling["id"] in wanted]


def _issued(codes: dict[str, str]) -> list[IssuedCode]:
    """Return each new code beside its dwelling, in the order given."""
    shown = {dwelling["id"]: dwelling for dwelling in _dwellings(list(codes))}
    return [
        IssuedCode(dwelling=Dwelling.of(shown[dwelling_id]), code=access_codes.printable(code))
        for dwelling_id, code in codes.items()
    ]


@blueprint.get("/staff/dwellings")
@staff_required(roles.MANAGE_DWELLINGS)
@spec.validate(resp=Response(HTTP_200=DwellingList, HTTP_404=None), tags=["staff"])
def dwelling_list(query: DwellingFilter):
    """Dwellings of my buildings (or of one of them) with the state of their code."""
    if query.building:
        staff_buildings.building(db(), g.staff, query.building)
    buildings = [query.building] if query.building else g.staff["building_ids"]
    return DwellingList(dwellings=[Dwelling.of(d) for d in estate.list_dwellings(db(), buildings)])


@blueprint.post("/staff/dwellings")
@staff_required(roles.MANAGE_DWELLINGS)
@spec.validate(resp=Response(HTTP_201=IssuedCode, HTTP_404=None), tags=["staff"])
def register_dwelling(json: NewDwelling):
    """Register a dwelling in one of my buildings and issue its first code."""
    staff_buildings.building(db(), g.staff, json.building_id)
    dwelling_id = estate.register_dwelling(
        db(), json.building_id, json.reference, json.staircase, json.floor
    )
    code = access_codes.issue(db(), _pepper(), dwelling_id)
    dwelling = estate.get_dwelling(db(), dwelling_id)
    target = f"dwelling:{dwelling['reference']}"
    audit.record(
        db(), g.staff["id"], "dwelling.register", target, building=dwelling["building_name"]
    )
    audit.record(db(), g.staff["id"], "code.issue", target)
    return _issued({dwelling_id: code})[0], 201, _UNSTORED


@blueprint.post("/staff/dwellings/import")
@staff_required(roles.MANAGE_DWELLINGS)
@media(reads=CSV)
@spec.validate(resp=Response(HTTP_201=ImportedRoster), tags=["staff"])
def import_dwellings():
    """Register every dwelling of a CSV roster with a code each, or none if a line is bad.

    The roster is CSV in UTF-8 (with or without a byte-order mark) or Windows-1252: a
    header line naming the columns reference, building, staircase, floor (or their French
    names), then one dwelling per line, `;` or `,` between.
    """
    if request.mimetype != CSV:
        raise UnsupportedContent(CSV)
    try:
        # The body as a stream: a big roster is read line by line, never held whole.
        imported = roster.import_roster(db(), _pepper(), request.stream, g.staff["building_ids"])
    except roster.RosterError as error:
        return problem(
            error.status,
            translate(error.message, **error.params),
            error.code,
            error.field,
            lines=[
                RefusedLine(line=number, message=message).model_dump()
                for number, message in error.translated(translate)
            ],
        )
    audit.record(
        db(),
        g.staff["id"],
        "dwellings.import",
        f"dwellings:{len(imported)}",
        references=[row["reference"] for row in imported],
    )
    issued = _issued({row["dwelling_id"]: row["code"] for row in imported})
    return ImportedRoster(issued=issued), 201, _UNSTORED


@blueprint.post("/staff/dwellings/<dwelling_id>/code")
@staff_required(roles.MANAGE_DWELLINGS)
@spec.validate(resp=Response(HTTP_200=IssuedCode), tags=["staff"])
def reissue_code(dwelling_id: str):
    """Replace the dwelling's code (a lost letter): the old one stops working at once."""
    dwelling = staff_buildings.dwelling(db(), g.staff, dwelling_id)
    code = access_codes.issue(db(), _pepper(), dwelling_id)
    audit.record(db(), g.staff["id"], "code.issue", f"dwelling:{dwelling['reference']}")
    return _issued({dwelling_id: code})[0], 200, _UNSTORED


@blueprint.post("/staff/dwellings/<dwelling_id>/move-out")
@staff_required(roles.MANAGE_DWELLINGS)
@spec.validate(resp=Response(HTTP_200=MovedOut), tags=["staff"])
def move_out(dwelling_id: str):
    """The household left: its code and profiles stop working; issue a code for the next one."""
    staff_buildings.dwelling(db(), g.staff, dwelling_id)
    profiles_left = people.move_out(db(), dwelling_id, g.staff["id"])
    return MovedOut(dwelling=Dwelling.of(_dwellings([dwelling_id])[0]), profiles_left=profiles_left)
