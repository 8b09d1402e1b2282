"""A dwelling's code: a new one when it leaked or the letter was lost, none when people leave.

Both act on the household at once, so each is confirmed on its own page first.
"""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from core.domain import access_codes, audit, estate, people, roles, staff_buildings
from webui.auth import staff_required
from webui.database import db
from webui.staff import blueprint, letters
from webui.staff.confirmations import new_token, use_token


def _with_state(dwelling_id: str) -> dict:
    """Return one of my dwellings with its code dates and number of profiles."""
    dwelling = staff_buildings.dwelling(db(), g.staff, dwelling_id)
    rows = estate.list_dwellings(db(), [dwelling["building_id"]])
    return next(row for row in rows if row["id"] == dwelling_id)


@blueprint.get("/dwellings/<dwelling_id>/new-code")
@staff_required(roles.MANAGE_DWELLINGS)
def confirm_new_code(dwelling_id: str):
    """Ask before replacing the dwelling's code."""
    dwelling = _with_state(dwelling_id)
    return render_template(
        "staff/code_confirm.html",
        dwelling=dwelling,
        token=new_token(f"code:{dwelling_id}"),
        letter_locale=letters.letter_locale(_household_language(dwelling_id)),
    )


def _household_language(dwelling_id: str) -> str | None:
    """Return the language of the household's first profile, if anyone lives there."""
    household = people.household(db(), dwelling_id)
    return household[0]["locale"] if household else None


@blueprint.post("/dwellings/<dwelling_id>/new-code")
@staff_required(roles.MANAGE_DWELLINGS)
def issue_code(dwelling_id: str):
    """Replace the dwelling's code (the old one stops at once) and print the new letter,
    in the language chosen (the household's, unless said)."""
    dwelling = staff_buildings.dwelling(db(), g.staff, dwelling_id)
    if not use_token(f"code:{dwelling_id}", request.form.get("token", "")):
        # Sent twice (a reload): the letter already shown holds the live code.
        flash(
            _(
                "This code was already issued: it is on the letter shown then. "
                'If that letter is lost, choose "New code" again.'
            ),
            "info",
        )
        return redirect(url_for("staff.dwellings"))
    code = access_codes.issue(db(), current_app.config["ACCESS_CODE_PEPPER"], dwelling_id)
    audit.record(db(), g.staff["id"], "code.issue", f"dwelling:{dwelling['reference']}")
    return letters.print_issued(
        [
            {
                "reference": dwelling["reference"],
                "building_name": dwelling["building_name"],
                "code": code,
            }
        ],
        letters.letter_locale(_household_language(dwelling_id)),
    )


@blueprint.get("/dwellings/<dwelling_id>/move-out")
@staff_required(roles.MANAGE_DWELLINGS)
def confirm_move_out(dwelling_id: str):
    """Ask before ending the household's access."""
    return render_template("staff/move_out_confirm.html", dwelling=_with_state(dwelling_id))


@blueprint.post("/dwellings/<dwelling_id>/move-out")
@staff_required(roles.MANAGE_DWELLINGS)
def move_out(dwelling_id: str):
    """The household left: its code and its profiles stop working now."""
    dwelling = staff_buildings.dwelling(db(), g.staff, dwelling_id)
    profiles = people.move_out(db(), dwelling_id, g.staff["id"])
    flash(
        ngettext(
            "The household of %(reference)s has left: its code and its %(num)d profile "
            "no longer work. Issue a new code when the next household arrives.",
            "The household of %(reference)s has left: its code and its %(num)d profiles "
            "no longer work. Issue a new code when the next household arrives.",
            profiles,
            reference=dwelling["reference"],
        ),
        "success",
    )
    return redirect(url_for("staff.dwellings"))
