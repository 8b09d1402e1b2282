"""Operators register a roster from the command line and get the codes to print."""

import csv
import stat
import subprocess
import sys
from pathlib import Path

from core.domain import access_codes

RESIDACOEUR = str(Path(sys.executable).with_name("residacoeur"))


def _import(data_dir, roster, codes_out):
    return subprocess.run(
        [
            RESIDACOEUR,
            "box",
            "import-dwellings",
            str(roster),
            "--data-dir",
            str(data_dir),
            "--codes-out",
            str(codes_out),
        ],
        capture_output=True,
        text=True,
    )


def test_a_roster_is_imported_and_its_codes_written_for_the_owner_only(
    data_dir, engine, pepper, small_estate, tmp_path
):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "\ufeffreference;building;staircase;floor\nA-10;Bâtiment A;2;3\nB-10;Bâtiment B;1;0\n",
        encoding="utf-8",
    )
    codes_out = tmp_path / "codes.csv"
    result = _import(data_dir, roster, codes_out)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(codes_out.stat().st_mode) == 0o600
    rows = list(csv.DictReader(codes_out.open(encoding="utf-8")))
    assert [row["reference"] for row in rows] == ["A-10", "B-10"]
    with engine.connect() as connection:
        for row in rows:
            assert access_codes.find(connection, pepper, row["code"]) is not None


def test_a_bad_roster_imports_nothing_and_names_each_bad_line(
    data_dir, engine, small_estate, tmp_path
):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "reference,building,staircase,floor\nA-11,Bâtiment A,1,2\nA-12,Nulle part,1,2\n"
        "A-13,Bâtiment A,1,deux\n",
        encoding="utf-8",
    )
    result = _import(data_dir, roster, tmp_path / "codes.csv")
    assert result.returncode != 0
    assert "line 3" in result.stderr and "line 4" in result.stderr
    assert "nothing was imported" in result.stderr
    assert not (tmp_path / "codes.csv").exists()
    with engine.connect() as connection:
        count = connection.exec_driver_sql(
            "SELECT count(*) FROM dwellings WHERE reference LIKE 'A-1_'"
        ).scalar()
    assert count == 0


def test_a_french_excel_roster_in_windows_1252_is_imported(
    data_dir, engine, small_estate, tmp_path
):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(
        "Référence;Bâtiment;Escalier;Étage\r\nA-14;Bâtiment A;Entrée 2;3\r\n".encode("cp1252")
    )
    codes_out = tmp_path / "codes.csv"
    result = _import(data_dir, roster, codes_out)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(codes_out.open(encoding="utf-8")))
    assert [(row["reference"], row["building"]) for row in rows] == [("A-14", "Bâtiment A")]


def test_the_codes_file_never_holds_a_live_spreadsheet_formula(
    data_dir, engine, small_estate, tmp_path
):
    roster = tmp_path / "roster.csv"
    with roster.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["reference", "building", "staircase", "floor"])
        for reference in ['=HYPERLINK("http://x.example","A")', "+1", "-2", "@SUM(A1)", "A-15"]:
            writer.writerow([reference, "Bâtiment A", "1", "1"])
    codes_out = tmp_path / "codes.csv"
    result = _import(data_dir, roster, codes_out)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(codes_out.open(encoding="utf-8")))
    assert [row["reference"] for row in rows] == [
        '\'=HYPERLINK("http://x.example","A")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "A-15",
    ]
