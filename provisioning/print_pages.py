"""A4 pages printed from HTML templates by WeasyPrint: access-code letters, the poster.

WeasyPrint lays text out with Pango, which shapes it with HarfBuzz: Arabic letters join
and lines run right to left as on the portal. The fonts are the system's (Noto Sans and
Noto Sans Arabic from fonts-noto-core, DejaVu Sans Mono for codes), embedded in the PDF.
Nothing but ``data:`` addresses (the QR codes) is ever read: what people typed (a
building's name, a caretaker's hours) cannot make the printer fetch anything.
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import pypdf
import weasyprint
from babel.dates import format_date
from weasyprint.text.fonts import FontConfiguration

TEMPLATES = Path(__file__).parent / "printed"
RTL = frozenset({"ar"})
# Documents laid out and written together before the next ones are laid out.
PART_DOCUMENTS = 20
# The translations of one language, for the person who will read the page.
Catalogs = Callable[[str], gettext.NullTranslations]

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def isolated(text: str) -> str:
    """Return words people wrote between the Unicode isolates FSI and PDI, which Pango
    follows (WeasyPrint does not know ``<bdi>``): a French address in an Arabic letter
    keeps its own order and leaves the sentence's alone."""
    return f"\u2068{text}\u2069"


_environment.filters["isolated"] = isolated


class Words:
    """The page's words in one language, as templates call them (``_``, ``ngettext``)."""

    def __init__(self, catalog: gettext.NullTranslations, locale: str):
        self.catalog = catalog
        self.locale = locale
        self.direction = "rtl" if locale in RTL else "ltr"

    def gettext(self, message: str, **params: Any) -> str:
        text = self.catalog.gettext(message)
        return text % params if params else text

    def ngettext(self, singular: str, plural: str, num: int, **params: Any) -> str:
        return self.catalog.ngettext(singular, plural, num) % {"num": num, **params}

    def date(self, day: date) -> str:
        return format_date(day, format="long", locale=self.locale)


def words(catalogs: Catalogs, locale: str) -> Words:
    """Return the words of ``locale`` from the catalogs."""
    return Words(catalogs(locale), locale)


def render(template: str, said: Words, **context: Any) -> weasyprint.Document:
    """Lay out a template's pages in the language of ``said``."""
    html = _environment.get_template(template).render(
        _=said.gettext, ngettext=said.ngettext, said=said, **context
    )
    return weasyprint.HTML(string=html, url_fetcher=_data_only()).render(
        stylesheets=[_print_stylesheet()], font_config=_fonts()
    )


def write(documents: Iterable[weasyprint.Document], target: Any) -> None:
    """Write the pages of every document, in order, as one PDF to a file or a path.

    Laid-out pages take about 1.5 MiB each until written: the documents are written
    PART_DOCUMENTS at a time and the parts joined (pypdf), so that a list of thousands
    of letters takes the memory of one part, not of all its pages.
    """
    parts = []
    part: list[weasyprint.Document] = []
    for document in documents:
        part.append(document)
        if len(part) == PART_DOCUMENTS:
            parts.append(_written(part))
            part = []
    if part or not parts:
        parts.append(_written(part))
    if len(parts) == 1:
        _copy(parts[0], target)
        return
    joined = pypdf.PdfWriter()
    for written in parts:
        joined.append(pypdf.PdfReader(written))
    joined.write(target)


def _written(part: list[weasyprint.Document]) -> io.BytesIO:
    pages = [page for document in part for page in document.pages]
    written = io.BytesIO()
    part[0].copy(pages).write_pdf(written)
    written.seek(0)
    return written


def _copy(written: io.BytesIO, target: Any) -> None:
    if isinstance(target, str | Path):
        Path(target).write_bytes(written.getvalue())
    else:
        target.write(written.getvalue())


@functools.cache
def _fonts() -> FontConfiguration:
    # One set of fonts for every page a process lays out: each document would otherwise
    # load its own copy, and a large list's letters are many documents.
    return FontConfiguration()


@functools.cache
def _print_stylesheet() -> weasyprint.CSS:
    return weasyprint.CSS(filename=TEMPLATES / "print.css", url_fetcher=_data_only())


def _data_only() -> weasyprint.URLFetcher:
    # A QR code that cannot be read stops the printing, rather than leave a letter without it.
    return weasyprint.URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
