"""CSV the project writes never holds a cell a spreadsheet would run as a formula."""

import csv
import io

import pytest

from provisioning import spreadsheet_cells


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x.example","A")', '\'=HYPERLINK("http://x.example","A")'),
        ("+33 4 91", "'+33 4 91"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("A-01", "A-01"),
        ("", ""),
        (None, ""),
        (3, "3"),
    ],
)
def test_a_cell_that_starts_like_a_formula_is_written_as_text(value, written):
    assert spreadsheet_cells.cell(value) == written


def test_the_writer_escapes_every_cell_of_a_row():
    out = io.StringIO()
    spreadsheet_cells.Writer(out).writerow(["=1+1", "Bâtiment A", "K7QM-4RZT-9XPD"])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["'=1+1", "Bâtiment A", "K7QM-4RZT-9XPD"]
    ]
