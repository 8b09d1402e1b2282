"""Dwelling rosters: a CSV list of dwellings, checked whole, imported whole, one code each.

The landlord exports its dwellings from a spreadsheet as CSV with the columns
``reference, building, staircase, floor``: a header row first, ``;`` or ``,`` between
columns, UTF-8 or Windows-1252 (``roster_file`` reads what spreadsheets write). Every
line is checked before anything is written and every bad line is reported with its
number, so a file is fixed in one go; when any line is bad, nothing at all is imported.
Each cell is text typed by people (``typed_text``): no hidden control character reaches
the estate.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO, TextIO

from sqlalchemy import Connection, func, select

from core.domain import access_codes, estate, typed_text
from core.domain.errors import N_, DomainError
from core.storage.schema import dwellings
from provisioning import roster_file

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
# Longer than any reference, staircase, floor or building name: a cell that long is a
# mistake, and its text would fill the message that names it.
MAX_CELL = 200
CELL_LONG = N_("A cell of this line is too long (%(count)d characters at most).")


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


def _column_name(cell: str) -> str:
    bare = unicodedata.normalize("NFKD", cell.strip().lower())
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    return _COLUMN_ALIASES.get(bare, bare)


def read(file: BinaryIO) -> list[RosterLine]:
    """Read the lines of a roster file sent as bytes (UTF-8 or Windows-1252)."""
    try:
        with roster_file.opened(file) as text:
            return parse(text)
    except roster_file.Unreadable as error:
        raise RosterError([BadLine(error.line, error.message, **error.params)]) from None


def parse(source: str | TextIO) -> list[RosterLine]:
    """Read the roster's lines, or refuse the file with every line that cannot be read."""
    text = (
        io.StringIO(source.removeprefix("\ufeff"), newline="")
        if isinstance(source, str)
        else source
    )
    header: list[str] | None = None
    found: list[RosterLine] = []
    bad: list[BadLine] = []
    try:
        for number, row in roster_file.rows(text):
            if header is None:
                header = [_column_name(cell) for cell in row]
                if not set(COLUMNS) <= set(header):
                    raise RosterError(
                        [
                            BadLine(
                                number,
                                N_("The first line must name the columns: %(columns)s."),
                                columns=", ".join(COLUMNS),
                            )
                        ]
                    )
                continue
            if len(found) + len(bad) >= MAX_DWELLINGS:
                raise RosterError(
                    [
                        BadLine(
                            number,
                            N_(
                                "A list holds %(max)d dwellings at most. Split it in several lists."
                            ),
                            max=MAX_DWELLINGS,
                        )
                    ]
                )
            line = _line(number, row, header)
            (bad if isinstance(line, BadLine) else found).append(line)
    except roster_file.Unreadable as error:
        bad.append(BadLine(error.line, error.message, **error.params))
    if header is None and not bad:
        raise RosterError([BadLine(1, N_("The list is empty."))])
    if bad:
        raise RosterError(bad)
    if not found:
        raise RosterError([BadLine(1, N_("The list has no dwelling after its first line."))])
    return found


def _line(number: int, row: list[str], header: list[str]) -> RosterLine | BadLine:
    """Return the dwelling a row describes, or why it cannot be read."""
    cells = _fit(row, len(header))
    if cells is None:
        return BadLine(
            number,
            N_("This line has %(found)d columns, the first line has %(expected)d."),
            found=len(row),
            expected=len(header),
        )
    fields = {}
    for name in COLUMNS:
        try:
            fields[name] = typed_text.line(
                cells[header.index(name)], name, MAX_CELL, long=CELL_LONG
            )
        except DomainError as error:
            return BadLine(number, error.message, **error.params)
    return RosterLine(number, **fields)


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
    connection: Connection,
    pepper: str,
    roster: str | BinaryIO,
    allowed_building_ids: list[str],
) -> list[dict[str, Any]]:
    """Register every dwelling of the roster and issue each its code, or nothing at all.

    The roster is text (pasted in a form) or a file's bytes. Returns, per dwelling:
    dwelling_id, reference, building_name and the new code in clear — the only time it
    exists outside the tenant's letter.
    """
    lines = parse(roster) if isinstance(roster, str) else read(roster)
    new_dwellings = check(connection, lines, allowed_building_ids)
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
