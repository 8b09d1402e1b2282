"""CSV written for a spreadsheet: a cell is always read as text, never run as a formula.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some take a
leading tab or CR the same way), so a dwelling reference typed as
``=HYPERLINK("http://…")`` would become a live link, or worse, in the office that opens
the file. As OWASP advises against CSV injection, such a cell is written after a single
quote, which spreadsheets read as "this is text" and do not show.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

# What a spreadsheet takes as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """Return a value as a cell a spreadsheet shows as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class Writer:
    """A csv.writer whose every cell is made safe for spreadsheets."""

    def __init__(self, handle: TextIO) -> None:
        self._writer = csv.writer(handle)

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row, each cell made safe."""
        self._writer.writerow([cell(value) for value in row])
