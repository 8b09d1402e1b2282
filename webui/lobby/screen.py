"""A building's lobby page, on a screen in its entrance hall.

The caretaker opens the screen's address once on the screen (`/lobby/<building>/<key>`):
the key goes into a cookie for that building's lobby only, and the screen lands on
`/lobby/<building>`, which it shows from then on. The slides turn by themselves
(static/js/lobby.js), and the page fetches itself again every few minutes, keeping what
it shows when the box does not answer (a restart): the screen never shows an error.
Without JavaScript the page turns the slides itself, one page per slide.
"""

from __future__ import annotations

from datetime import UTC

from flask import current_app, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale

from core.domain import building_contacts, estate, lobby, lobby_screens
from core.domain.clock import utcnow
from provisioning import sign_in_links
from webui import qr_images, readings
from webui.database import db
from webui.form_dates import local
from webui.lobby import blueprint
from webui.portal_address import portal_address

COOKIE = "lobby_screen"
# A screen is set up once and stays for years.
COOKIE_SECONDS = 5 * 365 * 24 * 3600
SLIDE_SECONDS = 12
REFRESH_SECONDS = 300


def _periods() -> tuple[str, str] | None:
    """Before and after noon in the page's language; None where hours go to 24."""
    periods = get_locale().periods
    if str(get_locale()) == "fr" or "am" not in periods:
        return None
    return periods["am"], periods["pm"]


def _not_allowed():
    answer = make_response(render_template("lobby/not_allowed.html"), 403)
    answer.headers["Cache-Control"] = "no-store"
    return answer


@blueprint.get("/lobby/<building_id>/<key>")
def set_up_screen(building_id: str, key: str):
    """The screen's first visit: keep its key, then show the lobby page."""
    if lobby_screens.shown_on(db(), building_id, key) is None:
        return _not_allowed()
    answer = redirect(url_for("lobby.lobby_page", building_id=building_id), 303)
    answer.set_cookie(
        COOKIE,
        key,
        max_age=COOKIE_SECONDS,
        path=f"/lobby/{building_id}",
        secure=request.is_secure,
        httponly=True,
        samesite="Lax",
    )
    return answer


@blueprint.get("/lobby/<building_id>")
def lobby_page(building_id: str):
    """The lobby page, its slides, the one shown first (``slide``, without JavaScript)."""
    key = request.cookies.get(COOKIE, "")
    if not key or lobby_screens.shown_on(db(), building_id, key) is None:
        return _not_allowed()
    building = estate.get_building(db(), building_id)
    now = utcnow()
    content = lobby.shown(db(), building, now)
    slides = [
        {"kind": "welcome"},
        *({"kind": "works", "notice": notice} for notice in content["works"]),
        *({"kind": "news", "item": item} for item in content["news"]),
        *([{"kind": "events", "events": content["events"]}] if content["events"] else []),
        *([{"kind": "contacts", "contacts": content["contacts"]}] if content["contacts"] else []),
    ]
    for slide in slides:
        if slide["kind"] in ("works", "news"):
            item = slide["notice"] if slide["kind"] == "works" else slide["item"]
            name = readings.spoken_name(slide["kind"], item)
            slide["listen"] = (
                url_for("lobby.reading", building_id=building_id, name=name) if name else None
            )
    asked = request.args.get("slide", "0")
    current = int(asked) % len(slides) if asked.isdigit() else 0
    address = portal_address()
    answer = make_response(
        render_template(
            "lobby/screen.html",
            building=building,
            slides=slides,
            now=now,
            now_epoch=int(now.replace(tzinfo=UTC).timestamp()),
            zone_minutes=int((local(now) - now).total_seconds() // 60),
            periods=_periods(),
            contact_roles=building_contacts.ROLES,
            current=current,
            following=url_for("lobby.lobby_page", building_id=building_id, slide=current + 1),
            portal_address=address,
            qr_image=qr_images.qr_image(
                current_app.config["RESIDACOEUR"]["data_dir"], sign_in_links.portal_link(address)
            ),
            slide_seconds=SLIDE_SECONDS,
            refresh_seconds=REFRESH_SECONDS,
        )
    )
    answer.headers["Cache-Control"] = "no-store"
    return answer


@blueprint.get("/lobby/<building_id>/readings/<name>.mp3")
def reading(building_id: str, name: str):
    """A slide read aloud, for the screen of this building only."""
    key = request.cookies.get(COOKIE, "")
    if not key or lobby_screens.shown_on(db(), building_id, key) is None:
        return _not_allowed()
    return readings.sound(name)
