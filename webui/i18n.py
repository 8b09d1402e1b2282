"""Languages: French first, English and Arabic (right to left), chosen per person."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, session
from flask_babel import (
    Babel,
    format_date,
    format_datetime,
    format_time,
    get_locale,
    get_translations,
)
from flask_babel import gettext as _

from core.domain import text_versions
from core.domain.errors import N_

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


def select_locale() -> str:
    """Use the person's chosen language, else the box's default."""
    person = g.get("profile") or g.get("staff")
    if person and person.get("locale") in LOCALES:
        return person["locale"]
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    return current_app.config["RESIDACOEUR"]["default_locale"]


def select_timezone() -> str:
    return current_app.config["RESIDACOEUR"]["timezone"]


def translate(message: str, **params) -> str:
    """Translate a message marked in the domain with N_(); dates read as people write them."""
    if not params:
        return _(message)
    shown = {
        name: format_date(value, "long") if isinstance(value, date) else value
        for name, value in params.items()
    }
    return _(message, **shown)


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
    app.jinja_env.filters["date"] = lambda value, fmt="long": _shown(format_date, value, fmt)
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": _shown(
        format_datetime, value, fmt
    )
    app.jinja_env.filters["time"] = lambda value, fmt="short": _shown(format_time, value, fmt)


def _shown(format_moment: Callable[..., str], value: Any, fmt: str) -> str:
    """Write a day or a moment of the domain's clock as the building's clocks show it."""
    if not value:
        return ""
    try:
        return format_moment(value, fmt)
    except OverflowError:
        # In the last hours of year 9999 (the API takes any instant) the building's
        # clock would pass the calendar's end: the moment is shown as stored.
        return format_moment(value, fmt, rebase=False)
