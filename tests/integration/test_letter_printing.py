"""A large list's letters are made by a process of their own while the staff page shows
how far it is; the PDF is downloaded once; no code ever reaches a log line; the command
line prints the same letters."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from core.domain import access_codes
from tests.conftest import STAFF_PASSWORD
from tests.integration.gunicorn_box import RunningBox, Visitor
from tests.support.letters import batch_of, codes_in, page_count, qr_links, text_of

RESIDACOEUR = str(Path(sys.executable).with_name("residacoeur"))


def _roster(count: int, building: str = "Bâtiment A", prefix: str = "L") -> str:
    lines = [f"{prefix}-{number:03d};{building};1;{number % 9}" for number in range(count)]
    return "reference;building;staircase;floor\n" + "\n".join(lines) + "\n"


def test_a_large_list_is_made_apart_with_its_progress_shown_then_downloaded_once(
    browser, other_browser, small_estate, data_dir
):
    browser.sign_in_staff("agent")
    issued = browser.post(
        "/staff/dwellings/import",
        {"roster_text": _roster(30), "letter_locale": "ar"},
        form_page="/staff/dwellings/import",
    )
    page = f"/staff/letters/{batch_of(issued)}"
    first = browser.get(page).get_data(as_text=True)
    assert '<progress max="30"' in first and f'href="{page}"' in first
    seen = [first]
    while "/pdf" not in seen[-1]:
        seen.append(browser.get(page).get_data(as_text=True))
    done = [
        int(value) for html in seen for value in re.findall(r'<progress[^>]* value="(\d+)"', html)
    ]
    assert done == sorted(done)
    assert "<progress" not in seen[-1]
    pdf = browser.post(f"{page}/pdf", form_page=page)
    assert pdf.headers["Cache-Control"] == "no-store"
    letters_pdf = pdf.get_data()
    assert page_count(letters_pdf) == 30
    codes = codes_in(letters_pdf)
    assert len(set(codes)) == 30
    assert [urlsplit(link).fragment for link in qr_links(letters_pdf, resolution=80)] == [
        f"code={code}" for code in codes
    ]
    assert "رمز" in text_of(letters_pdf, page=30)
    assert other_browser.activate(codes[29]).status_code == 302
    assert browser.post(f"{page}/pdf", form_page="/staff/").status_code == 404
    assert not list((data_dir / "letters").iterdir())


def test_no_code_reaches_a_log_line_from_letter_to_sign_in(data_dir, small_estate, tmp_path):
    access_log = tmp_path / "access.log"
    box = RunningBox(data_dir, access_log=access_log)
    try:
        agent = Visitor(box.url)
        agent.post_form(
            "/staff/sign-in",
            {"username": "agent", "password": STAFF_PASSWORD},
            form_page="/staff/sign-in",
        )
        status, _ = agent.post_form(
            "/staff/dwellings/import",
            {"roster_text": _roster(25, prefix="G")},
            form_page="/staff/dwellings/import",
        )
        assert status == 303
        [batch] = (data_dir / "letters").iterdir()
        pdf = _download(agent, f"/staff/letters/{batch.name}")
        link = urlsplit(qr_links(pdf, resolution=80)[0])
        tenant = Visitor(box.url)
        # The phone opens the link; what follows # stays on the phone, then goes in a form.
        status, html = tenant.get(link.path)
        assert status == 200 and 'name="code"' in html
        code = link.fragment.removeprefix("code=")
        assert tenant.post_form("/welcome", {"code": code}, form_page="/welcome")[0] == 302
    finally:
        box.stop()
    logged = access_log.read_text() + box.process.stderr.read().decode()
    assert "GET /welcome " in logged and "POST /staff/dwellings/import " in logged
    for code in codes_in(pdf):
        for written in (code, code.replace("-", ""), code.lower()):
            assert written not in logged


def _download(visitor: Visitor, page: str) -> bytes:
    deadline = time.monotonic() + 60
    while "/pdf" not in visitor.get(page)[1]:
        assert time.monotonic() < deadline, "the letters were not made in time"
        time.sleep(0.2)
    status, pdf = visitor.post_form_for_bytes(f"{page}/pdf", {}, form_page=page)
    assert status == 200
    return pdf


def test_the_command_line_prints_the_letters_of_a_roster_for_its_owner_only(
    data_dir, engine, pepper, small_estate, tmp_path
):
    roster = tmp_path / "roster.csv"
    roster.write_text(_roster(3, prefix="C"), encoding="utf-8")
    letters_out = tmp_path / "letters.pdf"
    command = [RESIDACOEUR, "box", "import-dwellings", str(roster), "--data-dir", str(data_dir)]
    refused = subprocess.run(
        [*command, "--letters-out", str(letters_out)], capture_output=True, text=True
    )
    assert refused.returncode != 0 and "portal_address" in refused.stderr
    done = subprocess.run(
        [*command, "--letters-out", str(letters_out), "--letters-language", "en"],
        capture_output=True,
        text=True,
        env={**os.environ, "RESIDACOEUR_PORTAL_ADDRESS": "portail.lilas.example"},
    )
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(letters_out.stat().st_mode) == 0o600
    pdf = letters_out.read_bytes()
    assert page_count(pdf) == 3
    assert "Your access code" in text_of(pdf)
    codes = codes_in(pdf)
    assert qr_links(pdf, resolution=80) == [
        f"http://portail.lilas.example/welcome#code={code}" for code in codes
    ]
    with engine.connect() as connection:
        assert all(access_codes.find(connection, pepper, code) for code in codes)


def test_the_lobby_poster_of_a_building_is_printed_from_the_contacts_page(browser, small_estate):
    browser.sign_in_staff("agent.b")
    contacts = browser.get("/staff/contacts").get_data(as_text=True)
    poster = f"/staff/buildings/{small_estate.building_b}/poster.pdf"
    assert f'href="{poster}" download' in contacts
    response = browser.get(poster)
    assert response.mimetype == "application/pdf"
    pdf = response.get_data()
    assert page_count(pdf) == 1
    assert qr_links(pdf, resolution=80) == ["http://localhost/"]
    assert "Bâtiment B" in text_of(pdf) and not codes_in(pdf)
    assert browser.get(f"/staff/buildings/{small_estate.building_a}/poster.pdf").status_code == 404
