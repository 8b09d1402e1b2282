"""The pages of access-code letters, laid out and written as one PDF (WeasyPrint).

Run by ``residacoeur box print-letters`` and ``import-dwellings --letters-out``, in a
process of their own: WeasyPrint and its fonts take some 40 MiB that no web worker
should keep.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, BinaryIO

import weasyprint

from provisioning import print_pages, sign_in_links


def write_pdf(
    letters_batch: dict[str, Any],
    target: BinaryIO,
    catalogs: print_pages.Catalogs,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write the batch's letters to ``target`` as one PDF, one page each, calling
    ``progress`` with the number of letters laid out so far."""
    issued_on = date.fromisoformat(letters_batch["issued_on"])

    def laid_out() -> Iterator[weasyprint.Document]:
        # One at a time, as the writer asks: a letter's layout is not kept past its part.
        for done, one in enumerate(letters_batch["letters"], start=1):
            link = sign_in_links.sign_in_link(
                letters_batch["portal_address"], letters_batch["sign_in_path"], one["code"]
            )
            yield _one_page(
                print_pages.words(catalogs, one["locale"]),
                letter=one,
                box_name=letters_batch["box_name"],
                portal_address=letters_batch["portal_address"],
                qr_image=sign_in_links.qr_image(link),
                issued_on=issued_on,
            )
            if progress:
                progress(done)

    print_pages.write(laid_out(), target)


# Tried in turn until the letter holds on one page: the building's cards are typed by
# staff (a caretaker's hours may take several lines), so they are set smaller, then
# left out; the help sentence still says whom to ask.
_LAYOUTS = (
    {"compact": False, "without_contacts": False},
    {"compact": True, "without_contacts": False},
    {"compact": True, "without_contacts": True},
)


def _one_page(said: print_pages.Words, **context: Any) -> weasyprint.Document:
    for layout in _LAYOUTS:
        document = print_pages.render("letter.html", said, **layout, **context)
        if len(document.pages) == 1:
            return document
    return document
