"""Language, text size and the TV mode, switchable from every page; the language and
text size are remembered for the person, the TV mode for the device."""

from __future__ import annotations

from flask import Blueprint, g, request, session

from core.domain import people
from webui.database import db
from webui.navigation import back
from webui.tv import mode

blueprint = Blueprint("preferences", __name__)


@blueprint.post("/preferences/language")
def language():
    """Switch the language of the portal."""
    locale = request.form.get("locale", "")
    if locale in people.LOCALES:
        session["locale"] = locale
        if g.profile:
            people.set_preferences(db(), g.profile["id"], locale=locale)
        elif g.staff:
            people.set_staff_locale(db(), g.staff["id"], locale)
    return back()


@blueprint.post("/preferences/text-size")
def text_size():
    """Make the text bigger or smaller."""
    try:
        size = int(request.form.get("size", "0"))
    except ValueError:
        size = 0
    if size in people.TEXT_SIZES:
        session["text_size"] = size
        if g.profile:
            people.set_preferences(db(), g.profile["id"], text_size=size)
    return back()


@blueprint.post("/preferences/screen")
def screen():
    """Switch this device between the TV mode and the standard one."""
    mode.choose(request.form.get("screen") == "tv")
    return back()
