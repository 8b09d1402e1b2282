"""Reading printed letters back as a person and a phone would: their text (poppler's
pdftotext), their pages, and what their QR codes say (pdftoppm, then zbar's zbarimg)."""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from pathlib import Path

CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b")
# Marks of direction pdftotext puts around right-to-left runs, and the isolates around
# what people wrote: they are not read.
_DIRECTION_MARKS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_BATCH = re.compile(r"/staff/letters/([A-Za-z0-9_-]+)$")


def text_of(pdf: bytes, page: int | None = None) -> str:
    """Return the PDF's text (of one page, counted from 1, when given), as read."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    text = subprocess.run(
        ["pdftotext", *pages, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return text.translate(_DIRECTION_MARKS)


def codes_in(pdf: bytes) -> list[str]:
    """Return the access codes printed in the PDF, in page order."""
    return CODE.findall(text_of(pdf))


def page_count(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout.decode(), re.M).group(1))


def qr_links(pdf: bytes, resolution: int = 100) -> list[str]:
    """Return what the QR code of each page says, page by page, read from an image of
    the page as a phone's camera would."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(resolution), "-", f"{folder}/page"],
            input=pdf,
            check=True,
        )
        found = []
        for image in sorted(Path(folder).glob("page-*.png")):
            read = subprocess.run(
                ["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
                capture_output=True,
                text=True,
            )
            found.append(read.stdout.strip())
        return found


def batch_of(response) -> str:
    """Return the batch id of the letters page an issuing form sent the browser to."""
    assert response.status_code == 303, response.status_code
    return _BATCH.search(response.headers["Location"]).group(1)


def download(browser, response, wait: float = 60) -> bytes:
    """Follow an issuing form to its letters page, wait until they are made, download
    them, and return the PDF."""
    page = f"/staff/letters/{batch_of(response)}"
    deadline = time.monotonic() + wait
    while "/pdf" not in browser.get(page).get_data(as_text=True):
        assert time.monotonic() < deadline, "the letters were not made in time"
        time.sleep(0.2)
    pdf = browser.post(f"{page}/pdf", form_page=page)
    assert pdf.status_code == 200, pdf.status_code
    assert pdf.mimetype == "application/pdf"
    return pdf.get_data()
