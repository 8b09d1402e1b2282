"""Dwelling rosters: a CSV list of dwellings, checked whole, imported whole, one code each.

The landlord exports its dwellings from a spreadsheet as CSV with the columns
``reference, building, staircase, floor``: a header row first, ``;`` or ``,`` between
columns, UTF-8 with or without a byte-order mark. Every line is checked before anything
is written and every bad line is reported with its number, so a file is fixed in one
go; when any line is bad, nothing at all is imported.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from appliance.domain import access_codes, estate
from appliance.domain.errors import N_, DomainError
from appliance.storage.schema import dwellings

COLUMNS = ("reference", "building", "staircase", "floor")
# French spreadsheets name their columns in French; both are understood.
_COLUMN_ALIASES = {
    "reference": "reference",
    "building": "building",
    "batiment": "building",
    "staircase": "staircase",
    "escalier": "staircase",
    "floor": "floor",
    "etage": "floor",
}
# The largest estate a box serves is a few hundred dwellings; a bigger file is a mistake
# and checking it would hold the database lock for long on a Pi-class box.
MAX_DWELLINGS = 5000


class BadLine(tuple[int, str]):
    """A refused line as (line number, message); the message is marked N_ with its params."""

    params: dict[str, Any]

    def __new__(cls, number: int, message: str, **params: Any) -> BadLine:
        line = super().__new__(cls, (number, message))
        line.params = params
        return line

    @property
    def number(self) -> int:
        return self[0]

    @property
    def message(self) -> str:
        return self[1]


class RosterError(DomainError):
    """A roster refused as a whole, with every bad line and the reason it is bad."""

    def __init__(self, lines: list[BadLine]):
        super().__init__(
            "roster_invalid",
            N_("Nothing was imported. Fix the lines shown and send the list again."),
            "roster",
        )
        self.lines = sorted(lines, key=lambda line: line.number)

    def translated(self, translate: Callable[..., str]) -> list[tuple[int, str]]:
        """Return (line number, message in the reader's language) for every bad line."""
        return [(line.number, translate(line.message, **line.params)) for line in self.lines]


@dataclass(frozen=True)
class RosterLine:
    """One dwelling as written in the file, not yet checked."""

    number: int
    reference: str
    building: str
    staircase: str
    floor: str


@dataclass(frozen=True)
class NewDwelling:
    """One checked dwelling, ready to be registered."""

    number: int
    reference: str
    building_id: str
    building_name: str
    staircase: str
    floor: int


def decode(data: bytes) -> str:
    """Return the text of an uploaded file, or say on which line it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RosterError(
            [
                BadLine(
                    line,
                    N_(
                        "The file is not in UTF-8. In your spreadsheet, save it as "
                        '"CSV UTF-8" and send it again.'
                    ),
                )
            ]
        ) from None


def _column_name(cell: str) -> str:
    bare = unicodedata.normalize("NFKD", cell.strip().lower())
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    return _COLUMN_ALIASES.get(bare, bare)


def _separator(header: str) -> str:
    return ";" if header.count(";") >= header.count(",") and ";" in header else ","


def parse(csv_text: str) -> list[RosterLine]:
    """Read the roster's lines, or refuse the file with every line that cannot be read."""
    text = (csv_text or "").removeprefix("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise RosterError([BadLine(1, N_("The list is empty."))])
    reader = csv.reader(io.StringIO(text), delimiter=_separator(first))
    header: list[str] | None = None
    found: list[RosterLine] = []
    bad: list[BadLine] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [_column_name(cell) for cell in row]
            if not set(COLUMNS) <= set(header):
                raise RosterError(
                    [
                        BadLine(
                            reader.line_num,
                            N_("The first line must name the columns: %(columns)s."),
                            columns=", ".join(COLUMNS),
                        )
                    ]
                )
            continue
        cells = _fit(row, len(header))
        if cells is None:
            bad.append(
                BadLine(
                    reader.line_num,
                    N_("This line has %(found)d columns, the first line has %(expected)d."),
                    found=len(row),
                    expected=len(header),
                )
            )
            continue
        fields = {name: cells[header.index(name)].strip() for name in COLUMNS}
        found.append(RosterLine(reader.line_num, **fields))
        if len(found) > MAX_DWELLINGS:
            raise RosterError(
                [
                    BadLine(
                        reader.line_num,
                        N_("A list holds %(max)d dwellings at most. Split it in several lists."),
                        max=MAX_DWELLINGS,
                    )
                ]
            )
    if bad:
        raise RosterError(bad)
    if not found:
        raise RosterError([BadLine(1, N_("The list has no dwelling after its first line."))])
    return found


def _fit(row: list[str], width: int) -> list[str] | None:
    # Spreadsheets often leave empty cells after the last column: those do no harm.
    while len(row) > width and not row[-1].strip():
        row = row[:-1]
    return row if len(row) == width else None


def check(
    connection: Connection, lines: list[RosterLine], allowed_building_ids: list[str]
) -> list[NewDwelling]:
    """Check every line against the estate, or refuse the roster with every bad line."""
    allowed = set(allowed_building_ids)
    buildings = {
        building["name"].lower(): building
        for building in estate.list_buildings(connection)
        if building["id"] in allowed
    }
    registered = set(connection.execute(select(func.lower(dwellings.c.reference))).scalars())
    first_seen: dict[str, int] = {}
    checked: list[NewDwelling] = []
    bad: list[BadLine] = []
    for line in lines:
        problems = []
        building = buildings.get(line.building.lower())
        if not line.building:
            problems.append(BadLine(line.number, N_("Give the building's name.")))
        elif building is None:
            problems.append(
                BadLine(
                    line.number,
                    N_('There is no building "%(building)s" among those you manage.'),
                    building=line.building,
                )
            )
        try:
            reference, staircase, floor = estate.validate_dwelling(
                line.reference, line.staircase, line.floor
            )
        except DomainError as error:
            problems.append(BadLine(line.number, error.message, **error.params))
        else:
            key = reference.lower()
            if key in first_seen:
                problems.append(
                    BadLine(
                        line.number,
                        N_("The reference %(reference)s is already on line %(line)d."),
                        reference=reference,
                        line=first_seen[key],
                    )
                )
            elif key in registered:
                problems.append(
                    BadLine(
                        line.number,
                        N_("A dwelling with the reference %(reference)s already exists."),
                        reference=reference,
                    )
                )
            first_seen.setdefault(key, line.number)
        if problems:
            bad.extend(problems)
        else:
            checked.append(
                NewDwelling(
                    line.number, reference, building["id"], building["name"], staircase, floor
                )
            )
    if bad:
        raise RosterError(bad)
    return checked


def import_roster(
    connection: Connection, pepper: str, csv_text: str, allowed_building_ids: list[str]
) -> list[dict[str, Any]]:
    """Register every dwelling of the roster and issue each its code, or nothing at all.

    Returns, per dwelling: dwelling_id, reference, building_name and the new code in
    clear — the only time it exists outside the tenant's letter.
    """
    new_dwellings = check(connection, parse(csv_text), allowed_building_ids)
    imported = []
    # A savepoint keeps the import whole even when the caller's transaction goes on.
    with connection.begin_nested():
        for dwelling in new_dwellings:
            dwelling_id = estate.register_dwelling(
                connection,
                dwelling.building_id,
                dwelling.reference,
                dwelling.staircase,
                dwelling.floor,
            )
            imported.append(
                {
                    "dwelling_id": dwelling_id,
                    "reference": dwelling.reference,
                    "building_name": dwelling.building_name,
                    "code": access_codes.issue(connection, pepper, dwelling_id),
                }
            )
    return imported
