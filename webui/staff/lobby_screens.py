"""The screens in my buildings' entrance halls: make one (its address shown once), see
when each last showed the lobby page, stop one."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from core.domain import estate, lobby_screens, roles
from core.domain.errors import DomainError
from webui.auth import staff_required
from webui.database import db, keep_changes
from webui.forms import refuse, typed
from webui.staff import blueprint


def _context() -> dict:
    return {
        "screens": lobby_screens.of_buildings(db(), g.staff["building_ids"]),
        "buildings": estate.list_buildings(db(), g.staff["building_ids"]),
    }


@blueprint.get("/lobby-screens")
@staff_required(roles.KEEP_LOBBY_SCREENS)
def lobby_screens_page():
    """My buildings' screens, and the form to add one."""
    return render_template("staff/lobby_screens.html", values={}, errors={}, **_context())


@blueprint.post("/lobby-screens")
@staff_required(roles.KEEP_LOBBY_SCREENS)
def add_lobby_screen():
    """Make a screen; its address, with its key, is shown on this page only."""
    values = typed("building_id", "name")
    if not values["building_id"] and len(g.staff["building_ids"]) == 1:
        values["building_id"] = g.staff["building_ids"][0]
    try:
        screen_id, key = lobby_screens.create(db(), g.staff, values["building_id"], values["name"])
    except DomainError as error:
        keep_changes()
        return refuse("staff/lobby_screens.html", error, values, **_context())
    address = url_for(
        "lobby.set_up_screen", building_id=values["building_id"], key=key, _external=True
    )
    answer = render_template(
        "staff/lobby_screens.html",
        values={},
        errors={},
        made={"id": screen_id, "address": address},
        **_context(),
    )
    return answer, 201, {"Cache-Control": "no-store"}


@blueprint.post("/lobby-screens/<screen_id>/revoke")
@staff_required(roles.KEEP_LOBBY_SCREENS)
def revoke_lobby_screen(screen_id: str):
    """Stop a screen: at its next refresh it shows nothing of the building any more."""
    screen = lobby_screens.revoke(db(), g.staff, screen_id)
    said = _("The screen “%(name)s” no longer shows the lobby page.", name=screen["name"])
    flash(said, "success")
    return redirect(url_for("staff.lobby_screens_page"))
