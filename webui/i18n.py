"""Languages: French first, English and Arabic (right to left), chosen per person."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path
from typing import Any

from babel.support import Translations
from flask import Flask, current_app, g, request, session
from flask_babel import Babel, get_locale, get_translations
from flask_babel import gettext as _
from markupsafe import Markup

from core.domain import text_versions
from core.domain.errors import N_
from webui import shown_dates

LOCALES = ("fr", "en", "ar")
RTL = frozenset({"ar"})
LANGUAGE_NAMES = {"fr": "Français", "en": "English", "ar": "العربية"}
TRANSLATIONS = Path(__file__).parent / "translations"
# Said beside a publication shown in its original language, the reader's having no
# version of it.
NOT_TRANSLATED = {
    "fr": N_("Not yet translated: this text is in French."),
    "en": N_("Not yet translated: this text is in English."),
    "ar": N_("Not yet translated: this text is in Arabic."),
}


@functools.cache
def catalog(locale: str) -> Translations:
    """Return the translations of ``locale`` outside any request: for pages printed to
    PDF, by the web service or by a command, in the reader's language."""
    return Translations.load(TRANSLATIONS, [locale], "messages")


def select_locale() -> str:
    """Use the person's chosen language, else their browser's when the portal speaks it
    (a phone set to Arabic opens the sign-in page in Arabic), else the box's default."""
    person = g.get("profile") or g.get("staff")
    if person and person.get("locale") in LOCALES:
        return person["locale"]
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(
        LOCALES, default=current_app.config["RESIDACOEUR"]["default_locale"]
    )


def select_timezone() -> str:
    return current_app.config["RESIDACOEUR"]["timezone"]


def translate(message: str, **params) -> str:
    """Translate a message marked in the domain with N_(); dates read as people write them."""
    if not params:
        return _(message)
    written = {
        name: shown_dates.shown(value, "date") if isinstance(value, date) else value
        for name, value in params.items()
    }
    return _(message, **written)


def isolated(words: str) -> Markup:
    """Return words people wrote, set apart for the bidirectional algorithm (``<bdi>``,
    which old TV engines know too): a French title in an Arabic sentence keeps its own
    direction and leaves the sentence's alone."""
    return Markup("<bdi>{}</bdi>").format(words)


def my_language() -> str:
    """Return the language of the person the page is for (what they write in, unless
    they say otherwise)."""
    return str(get_locale())


def text_direction() -> str:
    return "rtl" if str(get_locale()) in RTL else "ltr"


def in_my_language(item: dict[str, Any], *fields: str, reader: str | None = None) -> dict:
    """Return a publication's text fields in the reader's language (the person's, unless
    said), else in the original's (``text_versions.shown_to``)."""
    return text_versions.shown_to(item, fields, reader or my_language())


def _translations():
    # Flask-Babel looks the catalogue up again for every string; a page has dozens.
    found = g.get("translations")
    if found is None:
        found = g.translations = get_translations()
    return found


def init_app(app: Flask) -> None:
    """Set up Flask-Babel and the template helpers for languages and dates."""
    Babel(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(TRANSLATIONS),
    )
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(
        t=translate,
        text_direction=text_direction,
        current_locale=my_language,
        language_names=LANGUAGE_NAMES,
        locales=LOCALES,
        in_my_language=in_my_language,
        direction_of=text_versions.direction,
        not_translated=NOT_TRANSLATED,
    )
    app.jinja_env.filters.update(shown_dates.filters(), isolated=isolated)
