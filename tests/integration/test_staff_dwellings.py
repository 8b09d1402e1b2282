"""Landlord agents register dwellings, import lists, and issue or end households' codes."""

import re

from sqlalchemy import func, select

from core.storage.schema import audit_log, dwellings
from tests.support.letters import CODE, batch_of, codes_in, download, text_of


def _dwelling_count(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(dwellings)).scalar()


def _actions(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(audit_log.c.action)).scalars())


def _new_code(browser, dwelling_id: str):
    """Confirm the new code the way the agent does: open the page, then send its form."""
    page = f"/staff/dwellings/{dwelling_id}/new-code"
    return browser.post(page, _confirmation(browser, page))


def _confirmation(browser, page: str) -> dict[str, str]:
    """Return the fields of a confirmation form, read from one showing of its page."""
    html = browser.get(page).get_data(as_text=True)
    return dict(re.findall(r'name="(csrf_token|token)" value="([^"]+)"', html))


def test_an_agent_sees_the_dwellings_of_their_buildings_with_code_state(
    browser, other_browser, small_estate
):
    other_browser.activate(small_estate.codes["A-01"])
    other_browser.sign_in_staff("agent.b")
    page = other_browser.get("/staff/dwellings").get_data(as_text=True)
    assert "B-01" in page
    assert "A-01" not in page
    browser.sign_in_staff("agent")
    page = browser.get("/staff/dwellings").get_data(as_text=True)
    assert "A-01" in page and "B-01" in page
    assert "code-state--activated" in page and "code-state--issued" in page


def test_registering_a_dwelling_prints_its_letter_with_a_working_code(
    browser, other_browser, small_estate, engine
):
    browser.sign_in_staff("agent")
    letter = browser.post(
        "/staff/dwellings",
        {
            "building_id": small_estate.building_a,
            "reference": "A-10",
            "staircase": "2",
            "floor": "4",
        },
        form_page="/staff/dwellings/new",
    )
    pdf = download(browser, letter)
    [code] = codes_in(pdf)
    assert "A-10" in text_of(pdf)
    assert other_browser.activate(code).status_code == 302
    assert {"dwelling.register", "code.issue"} <= set(_actions(engine))


def test_a_refused_dwelling_form_comes_back_with_what_was_typed(browser, small_estate, engine):
    browser.sign_in_staff("agent")
    before = _dwelling_count(engine)
    response = browser.post(
        "/staff/dwellings",
        {
            "building_id": small_estate.building_a,
            "reference": "A-11",
            "staircase": "3",
            "floor": "x",
        },
        form_page="/staff/dwellings/new",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="A-11"' in page and 'value="3"' in page and 'value="x"' in page
    assert 'id="floor-error"' in page
    assert f'<option value="{small_estate.building_a}" selected>' in page
    assert _dwelling_count(engine) == before


def test_an_agent_cannot_register_a_dwelling_in_another_building(browser, small_estate, engine):
    browser.sign_in_staff("agent.b")
    response = browser.post(
        "/staff/dwellings",
        {"building_id": small_estate.building_a, "reference": "A-12", "floor": "1"},
        form_page="/staff/dwellings/new",
    )
    assert response.status_code == 422
    assert 'id="building_id-error"' in response.get_data(as_text=True)
    assert _dwelling_count(engine) == 4


def test_a_csv_list_registers_every_dwelling_and_prints_one_letter_each(
    browser, other_browser, small_estate, engine
):
    browser.sign_in_staff("agent")
    roster = "reference;building;staircase;floor\nC-01;Bâtiment A;1;0\nC-02;Bâtiment B;1;1\n"
    response = browser.post(
        "/staff/dwellings/import",
        {"roster_text": roster},
        form_page="/staff/dwellings/import",
    )
    codes = codes_in(download(browser, response))
    assert len(codes) == 2 and len(set(codes)) == 2
    assert other_browser.activate(codes[1]).status_code == 302
    assert "dwellings.import" in _actions(engine)


def test_an_uploaded_csv_file_with_a_byte_order_mark_is_imported(browser, small_estate):
    import io

    browser.sign_in_staff("agent")
    data = "\ufeffreference,building,staircase,floor\r\nC-03,Bâtiment A,,2\r\n".encode()
    response = browser.post(
        "/staff/dwellings/import",
        {"roster_file": (io.BytesIO(data), "logements.csv"), "roster_text": ""},
        form_page="/staff/dwellings/import",
        content_type="multipart/form-data",
    )
    assert len(codes_in(download(browser, response))) == 1


def _upload(browser, data: bytes):
    import io

    return browser.post(
        "/staff/dwellings/import",
        {"roster_file": (io.BytesIO(data), "logements.csv"), "roster_text": ""},
        form_page="/staff/dwellings/import",
        content_type="multipart/form-data",
    )


def test_a_french_excel_file_in_windows_1252_is_imported(browser, small_estate):
    browser.sign_in_staff("agent")
    data = "Référence;Bâtiment;Escalier;Étage\r\nC-04;Bâtiment A;Entrée 1;2\r\n".encode("cp1252")
    response = _upload(browser, data)
    assert len(codes_in(download(browser, response))) == 1


def test_an_uploaded_file_with_an_overlong_cell_names_its_line_and_comes_back(
    browser, small_estate, engine
):
    browser.sign_in_staff("agent")
    data = (
        "reference;building;staircase;floor\nC-05;Bâtiment A;1;2\nC-06;Bâtiment A;"
        + "x" * 200_000
        + ";1\n"
    ).encode()
    response = _upload(browser, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    rows = re.findall(r'<tr><th scope="row">(\d+)</th><td>([^<]+)</td></tr>', page)
    assert [number for number, _reason in rows] == ["3"]
    assert "C-05;Bâtiment A;1;2" in page
    assert _dwelling_count(engine) == 4


def test_a_csv_list_with_bad_lines_imports_nothing_and_names_each_bad_line(
    browser, small_estate, engine
):
    browser.sign_in_staff("agent.b")
    roster = (
        "reference;building;staircase;floor\n"
        "C-01;Bâtiment B;1;0\n"
        "C-02;Bâtiment A;1;1\n"
        "C-01;Bâtiment B;1;2\n"
        "C-04;Bâtiment B;1;cinq\n"
        ";Bâtiment B;1;1\n"
    )
    response = browser.post(
        "/staff/dwellings/import", {"roster_text": roster}, form_page="/staff/dwellings/import"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    rows = re.findall(r'<tr><th scope="row">(\d+)</th><td>([^<]+)</td></tr>', page)
    assert [number for number, _reason in rows] == ["3", "4", "5", "6"]
    assert "Bâtiment A" in rows[0][1]
    assert "C-04;Bâtiment B;1;cinq" in page
    assert not CODE.search(page)
    assert _dwelling_count(engine) == 4


def test_a_new_code_stops_the_old_one_at_once(browser, other_browser, small_estate, engine):
    browser.sign_in_staff("agent")
    [code] = codes_in(download(browser, _new_code(browser, small_estate.dwellings["A-02"])))
    old = other_browser.post("/welcome", {"code": small_estate.codes["A-02"]})
    assert old.status_code == 422
    assert other_browser.post("/welcome", {"code": code}).status_code == 302
    assert "code.issue" in _actions(engine)


def test_the_letter_is_downloaded_once_by_its_maker_and_the_code_never_kept(
    browser, other_browser, small_estate, data_dir
):
    browser.sign_in_staff("agent")
    dwelling_id = small_estate.dwellings["A-03"]
    page = f"/staff/dwellings/{dwelling_id}/new-code"
    confirmation = _confirmation(browser, page)
    issued = browser.post(page, confirmation)
    letters_page = f"/staff/letters/{batch_of(issued)}"
    shown = browser.get(letters_page)
    assert shown.headers["Cache-Control"] == "no-store"
    assert not CODE.search(shown.get_data(as_text=True))
    # Another staff member of the same building cannot take it.
    other_browser.sign_in_staff("operateur")
    assert other_browser.get(letters_page).status_code == 404
    stolen = other_browser.post(f"{letters_page}/pdf", form_page="/staff/")
    assert stolen.status_code == 404
    pdf = browser.post(f"{letters_page}/pdf", form_page=letters_page)
    assert pdf.headers["Cache-Control"] == "no-store"
    assert "attachment" in pdf.headers["Content-Disposition"]
    [code] = codes_in(pdf.get_data())
    assert code.replace("-", "") not in issued.headers["Location"]
    # Once downloaded, it is gone from the box.
    assert browser.post(f"{letters_page}/pdf", form_page="/staff/").status_code == 404
    assert browser.get(letters_page).status_code == 404
    assert not list((data_dir / "letters").iterdir())
    # Sending the confirmed form again (a reload) issues nothing and shows no code.
    again = browser.post(page, confirmation)
    assert again.status_code == 302
    listing = browser.get("/staff/dwellings").get_data(as_text=True)
    assert code not in listing and "already issued" in listing


def test_a_move_out_ends_the_tenants_session_on_their_next_request(
    browser, other_browser, small_estate, engine
):
    other_browser.activate(small_estate.codes["A-01"])
    assert other_browser.get("/").status_code == 200
    browser.sign_in_staff("agent")
    dwelling_id = small_estate.dwellings["A-01"]
    assert "1 profile" in browser.get(f"/staff/dwellings/{dwelling_id}/move-out").get_data(
        as_text=True
    )
    done = browser.post(
        f"/staff/dwellings/{dwelling_id}/move-out",
        form_page=f"/staff/dwellings/{dwelling_id}/move-out",
    )
    assert done.status_code == 302
    home = other_browser.get("/")
    assert home.status_code == 302 and "/welcome" in home.headers["Location"]
    assert other_browser.post("/welcome", {"code": small_estate.codes["A-01"]}).status_code == 422
    assert "household.move_out" in _actions(engine)
    # The next household gets a new code.
    [code] = codes_in(download(browser, _new_code(browser, dwelling_id)))
    assert other_browser.activate(code, name="Karim").status_code == 302


def test_dwellings_of_other_buildings_are_out_of_reach(browser, small_estate):
    browser.sign_in_staff("agent.b")
    dwelling_id = small_estate.dwellings["A-01"]
    assert browser.get(f"/staff/dwellings/{dwelling_id}/new-code").status_code == 404
    assert browser.get(f"/staff/dwellings/{dwelling_id}/move-out").status_code == 404
    response = browser.post(
        f"/staff/dwellings/{dwelling_id}/move-out", form_page="/staff/dwellings"
    )
    assert response.status_code == 404


def test_roles_without_the_permission_cannot_manage_dwellings(browser, small_estate):
    browser.sign_in_staff("gardien")
    assert browser.get("/staff/dwellings").status_code == 403
    menu = browser.get("/staff/").get_data(as_text=True)
    assert "/staff/dwellings" not in menu
    assert "/staff/reports" in menu
    assert "/staff/audit" not in menu
