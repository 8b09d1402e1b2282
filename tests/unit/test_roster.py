"""Dwelling rosters: read leniently, checked line by line, imported whole or not at all."""

import io
import tracemalloc

import pytest
from sqlalchemy import func, select

from core.domain import access_codes, estate
from core.storage.schema import dwellings
from provisioning import roster


def _dwelling_count(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(dwellings)).scalar()


def _reasons(error: roster.RosterError) -> dict[int, str]:
    return dict(error.translated(lambda message, **params: message % params if params else message))


def test_semicolons_a_byte_order_mark_and_french_column_names_are_understood():
    lines = roster.parse("\ufeffRéférence;Bâtiment;Escalier;Étage\r\nC-01;Bâtiment A;2;3\r\n")
    assert lines == [roster.RosterLine(2, "C-01", "Bâtiment A", "2", "3")]


def test_commas_columns_in_any_order_blank_lines_and_trailing_empty_cells_are_accepted():
    text = "floor,reference,building,staircase\n\n0,C-01,Bâtiment A,,\n-1,C-02,Bâtiment B,1\n"
    lines = roster.parse(text)
    assert [(line.number, line.reference, line.floor) for line in lines] == [
        (3, "C-01", "0"),
        (4, "C-02", "-1"),
    ]


def test_a_list_without_its_header_row_is_refused_on_line_one():
    with pytest.raises(roster.RosterError) as refused:
        roster.parse("C-01;Bâtiment A;1;2\n")
    assert [line.number for line in refused.value.lines] == [1]
    assert "reference, building, staircase, floor" in _reasons(refused.value)[1]


def test_an_empty_list_and_a_header_alone_are_refused():
    for text in ("", "  \n", "reference;building;staircase;floor\n"):
        with pytest.raises(roster.RosterError):
            roster.parse(text)


def test_lines_with_missing_columns_are_each_reported():
    text = "reference;building;staircase;floor\nC-01;Bâtiment A\nC-02;Bâtiment A;1;2\nC-03\n"
    with pytest.raises(roster.RosterError) as refused:
        roster.parse(text)
    assert [line.number for line in refused.value.lines] == [2, 4]


HEADER = "reference;building;staircase;floor\r\n"


def _read(data: bytes) -> list[roster.RosterLine]:
    return roster.read(io.BytesIO(data))


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["plain", "bom"])
def test_a_french_excel_roster_in_windows_1252_is_read(bom):
    data = bom + (HEADER + "C-01;Bâtiment A;Entrée 2;3\r\n").encode("cp1252")
    assert _read(data) == [roster.RosterLine(2, "C-01", "Bâtiment A", "Entrée 2", "3")]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["plain", "bom"])
def test_utf8_is_tried_first_so_its_accents_are_not_read_as_windows_1252(bom):
    data = bom + "référence,bâtiment,escalier,étage\nC-01,Bâtiment A,É,3\n".encode()
    assert _read(data) == [roster.RosterLine(2, "C-01", "Bâtiment A", "É", "3")]


def test_a_byte_that_no_encoding_explains_is_refused_with_its_line():
    data = (HEADER + "C-01;Bâtiment A;1;2\r\n").encode("cp1252") + b"C-02;B\x81;1;2\r\n"
    with pytest.raises(roster.RosterError) as refused:
        _read(data)
    assert [line.number for line in refused.value.lines] == [3]


def test_a_lone_carriage_return_ends_a_line_as_in_old_mac_spreadsheets():
    lines = roster.parse("reference;building;staircase;floor\rC-01;Bâtiment A;1;2\r")
    assert lines == [roster.RosterLine(2, "C-01", "Bâtiment A", "1", "2")]


def test_a_lone_carriage_return_inside_an_unquoted_cell_names_its_lines():
    with pytest.raises(roster.RosterError) as refused:
        roster.parse("reference;building;staircase;floor\nC-01;Bâti\rment A;1;2\n")
    assert [line.number for line in refused.value.lines] == [2, 3]


@pytest.mark.parametrize(
    "cell",
    ["x" * 200_000, '"' + "x" * 200_000 + '"', '"never closed\n' + "x;\n" * 50_000],
    ids=["unquoted", "quoted", "unclosed-quote"],
)
def test_an_overlong_cell_is_refused_with_its_line(cell):
    with pytest.raises(roster.RosterError) as refused:
        roster.parse(f"reference;building;staircase;floor\nC-01;Bâtiment A;1;2\nC-02;{cell};1;2\n")
    assert [line.number for line in refused.value.lines] == [3]


def test_a_hidden_control_character_in_a_cell_is_refused_with_its_line():
    with pytest.raises(roster.RosterError) as refused:
        roster.parse("reference;building;staircase;floor\nC-01;Bâtiment A;1;2\nC-\x0002;B;1;2\n")
    assert [line.number for line in refused.value.lines] == [3]
    assert "control character" in _reasons(refused.value)[3]


def test_a_huge_file_on_one_line_is_refused_in_little_memory(tmp_path):
    huge = tmp_path / "roster.csv"
    with huge.open("wb") as file:
        file.write(b"reference;building;staircase;floor\n")
        for _ in range(50):
            file.write(b"x" * 1_000_000)
    tracemalloc.start()
    try:
        with huge.open("rb") as file, pytest.raises(roster.RosterError) as refused:
            roster.read(file)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [line.number for line in refused.value.lines] == [2]
    assert peak < 4_000_000


def test_bad_lines_are_a_pair_of_number_and_message_with_the_message_params():
    line = roster.BadLine(4, "The reference %(reference)s is taken.", reference="C-01")
    number, message = line
    assert (number, message, line.params) == (4, line.message, {"reference": "C-01"})


def test_every_bad_line_is_reported_and_nothing_is_imported(engine, pepper, small_estate):
    text = (
        "reference;building;staircase;floor\n"
        "C-01;Bâtiment A;1;2\n"  # fine
        "C-02;Bâtiment Z;1;2\n"  # unknown building
        ";Bâtiment A;1;2\n"  # no reference
        "C-01;Bâtiment A;1;3\n"  # twice in the file
        "A-01;Bâtiment A;1;3\n"  # already registered
        "C-05;Bâtiment A;1;deux\n"  # floor is not a number
        "C-06;Bâtiment A;1;99\n"  # floor out of range
        "C-07;Bâtiment B;1;1\n"  # a building this person does not manage
    )
    before = _dwelling_count(engine)
    with engine.begin() as connection, pytest.raises(roster.RosterError) as refused:
        roster.import_roster(connection, pepper, text, [small_estate.building_a])
    reasons = _reasons(refused.value)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]
    assert "Bâtiment Z" in reasons[3]
    assert "line 2" in reasons[5]
    assert "already exists" in reasons[6]
    assert "Bâtiment B" in reasons[9]
    assert _dwelling_count(engine) == before


def test_a_good_roster_registers_each_dwelling_with_a_working_code(engine, pepper, small_estate):
    text = "reference,building,staircase,floor\nC-01,bâtiment a,2,0\nC-02,Bâtiment B,,5\n"
    with engine.begin() as connection:
        imported = roster.import_roster(
            connection, pepper, text, [small_estate.building_a, small_estate.building_b]
        )
    assert [(row["reference"], row["building_name"]) for row in imported] == [
        ("C-01", "Bâtiment A"),
        ("C-02", "Bâtiment B"),
    ]
    with engine.connect() as connection:
        for row in imported:
            found = access_codes.find(connection, pepper, row["code"])
            assert found["dwelling_id"] == row["dwelling_id"]
        first = estate.get_dwelling(connection, imported[0]["dwelling_id"])
    assert (first["staircase"], first["floor"]) == ("2", 0)
