"""Access-code letters and the lobby poster, read back as people and phones read them:
one page per dwelling, the code in large type, a QR code that opens the sign-in page with
the code after #, Arabic shaped and right to left, the poster with no code at all."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date

import pytest

from provisioning import letter_pages, letters, poster, print_pages, sign_in_links
from tests.support.letters import codes_in, page_count, qr_links, text_of
from webui.i18n import catalog

BUILDING = {"name": "Bâtiment A", "address": "12 rue des Lilas, 13014 Marseille"}
CARETAKER = {
    "role": "caretaker",
    "name": "Fatima Benali",
    "place": "Loge, rez-de-chaussée",
    "hours": "Du lundi au vendredi, 8 h – 12 h",
    "phone": "04 91 00 00 01",
}
# Cards as long as staff may type them: the letter must still hold on one page.
LONGEST = [
    {
        "role": "caretaker",
        "name": "N" * 80,
        "place": "P " * 70,
        "hours": "H\n" * 150,
        "phone": "0" * 40,
    },
    {
        "role": "mediator",
        "name": "M" * 80,
        "place": "Q " * 70,
        "hours": "long " * 60,
        "phone": "1" * 40,
    },
]


def _pdf(*letters_: dict) -> bytes:
    batch = letters.batch(
        "Résidence Les Lilas", "portail.lilas.example", "/welcome", date(2025, 3, 4), list(letters_)
    )
    target = io.BytesIO()
    letter_pages.write_pdf(batch, target, catalog)
    return target.getvalue()


def test_each_dwelling_gets_one_page_whose_qr_code_opens_the_sign_in_page_with_its_code():
    done = []
    batch = letters.batch(
        "Résidence Les Lilas",
        "portail.lilas.example",
        "/welcome",
        date(2025, 3, 4),
        [
            letters.letter("A-01", BUILDING, "K7QM-4RZT-9XPD", "fr", [CARETAKER]),
            letters.letter("A-02", BUILDING, "AB23-CD45-EF67", "en", []),
            letters.letter("A-03", BUILDING, "HJ89-KM23-NP45", "ar", LONGEST),
        ],
    )
    target = io.BytesIO()
    letter_pages.write_pdf(batch, target, catalog, done.append)
    pdf = target.getvalue()
    assert page_count(pdf) == 3
    assert done == [1, 2, 3]
    assert codes_in(pdf) == ["K7QM-4RZT-9XPD", "AB23-CD45-EF67", "HJ89-KM23-NP45"]
    assert qr_links(pdf) == [
        "http://portail.lilas.example/welcome#code=K7QM-4RZT-9XPD",
        "http://portail.lilas.example/welcome#code=AB23-CD45-EF67",
        "http://portail.lilas.example/welcome#code=HJ89-KM23-NP45",
    ]


def test_a_french_letter_says_where_to_go_and_who_helps():
    text = text_of(_pdf(letters.letter("A-01", BUILDING, "K7QM-4RZT-9XPD", "fr", [CARETAKER])))
    for words in (
        "Votre code d’accès",
        "Résidence Les Lilas",
        "portail.lilas.example",
        "12 rue des Lilas, 13014 Marseille",
        "Fatima Benali",
        "04 91 00 00 01",
        "4 mars 2025",
    ):
        assert words in text


def test_an_arabic_letter_is_in_arabic_with_the_code_and_address_left_to_right():
    pdf = _pdf(letters.letter("A-01", BUILDING, "K7QM-4RZT-9XPD", "ar", [CARETAKER]))
    text = text_of(pdf)
    # Words without the lam-alef ligature, which pdftotext gives back in another order.
    for words in ("رمز", "الدخول", "الخاص بك", "مسكنك", "العمارة", "مارس 2025"):
        assert words in text
    assert "Votre" not in text and "Your access code" not in text
    assert "K7QM-4RZT-9XPD" in text
    assert "12 rue des Lilas, 13014 Marseille" in text
    assert qr_links(pdf) == ["http://portail.lilas.example/welcome#code=K7QM-4RZT-9XPD"]


def test_what_staff_typed_is_printed_as_text_never_read_as_markup():
    building = {"name": '<img src="file:///etc/passwd">Tour <b>3</b>', "address": ""}
    text = text_of(_pdf(letters.letter("T-1", building, "K7QM-4RZT-9XPD", "fr", [])))
    assert '<img src="file:///etc/passwd">Tour <b>3</b>' in text


def test_the_lobby_poster_opens_the_portal_in_three_languages_and_holds_no_code():
    target = io.BytesIO()
    poster.write_pdf(
        "Résidence Les Lilas", "portail.lilas.example", BUILDING, [CARETAKER], catalog, target
    )
    pdf = target.getvalue()
    # The three languages stand side by side: their lines are read one column at a time.
    text = " ".join(text_of(pdf).split())
    assert page_count(pdf) == 1
    assert qr_links(pdf) == ["http://portail.lilas.example"]
    assert not codes_in(pdf)
    assert text.index("comment se connecter") < text.index("how to connect")
    assert "بوابة" in text
    for words in ("Fatima Benali", "Du lundi au vendredi, 8 h – 12 h", "04 91 00 00 01", "Gardien"):
        assert words in text


@pytest.mark.parametrize(
    ("address", "link"),
    [
        ("portail.lilas.example", "http://portail.lilas.example/welcome#code=K7QM-4RZT-9XPD"),
        ("https://10.0.0.1:8443/", "https://10.0.0.1:8443/welcome#code=K7QM-4RZT-9XPD"),
        (" http://box.local ", "http://box.local/welcome#code=K7QM-4RZT-9XPD"),
    ],
)
def test_the_code_goes_after_the_hash_of_the_sign_in_address(address, link):
    assert sign_in_links.sign_in_link(address, "/welcome", "K7QM-4RZT-9XPD") == link


def test_a_long_list_is_laid_out_in_parts_and_joined_in_order():
    count = 2 * print_pages.PART_DOCUMENTS + 1
    codes = [f"K7QM-4RZT-{number:04d}" for number in range(count)]
    pdf = _pdf(
        *(letters.letter(f"A-{n:02d}", BUILDING, code, "fr", []) for n, code in enumerate(codes))
    )

    assert page_count(pdf) == count
    assert codes_in(pdf) == codes


def test_the_web_service_never_loads_the_pdf_libraries(tmp_path):
    # In a process of its own: this one has loaded them for the tests above.
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, webui\n"
            f"webui.create_app({{'data_dir': {str(tmp_path)!r}}})\n"
            "print(sorted({'weasyprint', 'pypdf', 'segno'} & set(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"
