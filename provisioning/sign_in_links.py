"""The addresses printed on paper, and the QR codes that open them.

A letter's QR code opens the sign-in page with the household's code after ``#``
(``http://portail.example/welcome#code=K7QM-4RZT-9XPD``). A browser never sends what
follows ``#``: the code reaches neither the box nor any log on the way, and the sign-in
page's script copies it into the code field, then takes it out of the address bar and
the history. Without the script, the person types the code printed beside the QR code.
"""

from __future__ import annotations

from urllib.parse import urljoin


def portal_link(portal_address: str) -> str:
    """Return the portal's address as a link: the address people type, with ``http://``
    in front when it has no scheme (a box served over HTTPS sends the browser on, and
    the part after ``#`` goes along)."""
    address = portal_address.strip()
    return address if "://" in address else f"http://{address}"


def sign_in_link(portal_address: str, sign_in_path: str, code: str) -> str:
    """Return the address a letter's QR code opens: the sign-in page, the code after ``#``."""
    return f"{urljoin(portal_link(portal_address), sign_in_path)}#code={code}"


def qr_image(link: str) -> str:
    """Return a QR code of ``link`` as an SVG ``data:`` address, for an ``<img>`` to print.

    Error correction at level M (15 %) survives a fold or a stain on the paper.
    """
    # Imported here: the web service takes this module's addresses, and leaves segno
    # (about 10 MB) to the processes that draw (webui/qr_images.py).
    import segno

    return segno.make(link, error="m", boost_error=False).svg_data_uri(border=4)
