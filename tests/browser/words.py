"""What the pages say, in the language of the page, read from the catalogs the box serves.

Tests find buttons and fields by the words a person reads. Those words come from the
same compiled catalogs as the box's, so a test reads "Continuer" on a French page and
"متابعة" on an Arabic one without spelling out either.
"""

from __future__ import annotations

from functools import cache

from babel.support import Translations
from playwright.sync_api import Page

from webui.i18n import LANGUAGE_NAMES, TRANSLATIONS

__all__ = [
    "LANGUAGE_NAMES",
    "page_locale",
    "said",
    "said_plural",
    "translated",
    "translated_plural",
]


@cache
def _catalog(locale: str) -> Translations:
    return Translations.load(str(TRANSLATIONS), [locale])


def translated(locale: str, message: str, **params: object) -> str:
    """Return a message as the box shows it in this language."""
    text = _catalog(locale).gettext(message)
    return text % params if params else text


def translated_plural(locale: str, singular: str, plural: str, count: int) -> str:
    """Return a message that depends on a number, as the box shows it in this language."""
    return _catalog(locale).ngettext(singular, plural, count) % {"num": count}


def page_locale(page: Page) -> str:
    """Return the language the page is written in (its html lang)."""
    return page.locator("html").get_attribute("lang") or "fr"


def said(page: Page, message: str, **params: object) -> str:
    """Return a message as this page shows it."""
    return translated(page_locale(page), message, **params)


def said_plural(page: Page, singular: str, plural: str, count: int) -> str:
    """Return a message that depends on a number as this page shows it."""
    return translated_plural(page_locale(page), singular, plural, count)
