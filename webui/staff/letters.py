"""Access-code letters: the only place a code appears in clear, shown once and never kept.

A letter goes to the household, so it is written in the box's language whatever the
language of the staff member printing it. The answer carries ``no-store`` so no cache
or browser history keeps a copy, and the code never appears in a URL or a log.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, make_response, render_template, url_for
from flask_babel import force_locale
from markupsafe import Markup

from core.domain import access_codes, staff_buildings
from core.domain.clock import utcnow
from webui.database import db


def show(issued: list[dict[str, Any]]) -> Response:
    """Answer with one printable letter per freshly issued code (reference, building_name, code)."""
    config = current_app.config["RESIDACOEUR"]
    buildings = {
        building["name"]: building for building in staff_buildings.buildings(db(), g.staff)
    }
    locale = config["default_locale"]
    with force_locale(locale):
        letters = [
            Markup(
                render_template(
                    "staff/_letter.html",
                    reference=row["reference"],
                    building=buildings.get(row["building_name"], {"name": row["building_name"]}),
                    code=access_codes.printable(row["code"]),
                    portal_address=config["portal_address"]
                    or url_for("portal.home", _external=True),
                    issued_on=utcnow().date(),
                    box_name=config["box_name"],
                )
            )
            for row in issued
        ]
    response = make_response(
        render_template("staff/letters.html", letters=letters, letter_locale=locale)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def show_one(dwelling: dict[str, Any], code: str) -> Response:
    """Answer with the letter of one dwelling (with its building_name) and its new code."""
    return show(
        [
            {
                "reference": dwelling["reference"],
                "building_name": dwelling["building_name"],
                "code": code,
            }
        ]
    )
